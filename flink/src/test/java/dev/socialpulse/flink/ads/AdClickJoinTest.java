package dev.socialpulse.flink.ads;

import static dev.socialpulse.flink.ads.AdFixtures.CLICK_WINDOW;
import static dev.socialpulse.flink.ads.AdFixtures.LATENESS;
import static dev.socialpulse.flink.ads.AdFixtures.MINUTE;
import static dev.socialpulse.flink.ads.AdFixtures.SETTINGS;
import static dev.socialpulse.flink.ads.AdFixtures.T0;
import static dev.socialpulse.flink.ads.AdFixtures.click;
import static dev.socialpulse.flink.ads.AdFixtures.impression;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Stage 2: clicks joined to their impressions ({@link JoinClicks}), on the operator harness. */
@Tag("component")
class AdClickJoinTest {

    private static final long WINDOW = CLICK_WINDOW.toMillis();
    private static final long L = LATENESS.toMillis();

    private JoinClicks joinClicks;
    private KeyedOneInputStreamOperatorTestHarness<Integer, TaggedAdEvent, AdChange> harness;

    @BeforeEach
    void setUp() throws Exception {
        joinClicks = new JoinClicks(SETTINGS);
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        joinClicks, JoinClicks::bucketOf, Types.INT);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void shouldAttributeAClickUpToTheWholeWindowAfterItsImpressionAndNoLater() throws Exception {
        TaggedAdEvent inWindow = click("i-1", "k-1").by("u-1").at(T0 + WINDOW).tagged();
        TaggedAdEvent afterWindow = click("i-2", "k-2").by("u-2").at(T0 + WINDOW + 1).tagged();
        TaggedAdEvent beforeImpression = click("i-3", "k-3").by("u-3").at(T0 - 1).tagged();
        TaggedAdEvent impression1 = impression("i-1").by("u-1").at(T0).tagged();
        send(impression1);
        send(impression("i-2").by("u-2").at(T0).tagged());
        send(impression("i-3").by("u-3").at(T0).tagged());
        send(inWindow);
        send(afterWindow);
        send(beforeImpression);

        assertThat(harness.extractOutputValues())
                .containsExactly(
                        AdChange.impression(impression1.row(), "u-1", 1_500),
                        AdChange.impression(impression1.row(), "u-2", 1_500),
                        AdChange.impression(impression1.row(), "u-3", 1_500),
                        AdChange.click(inWindow.row(), 40_000, true),
                        AdChange.click(afterWindow.row(), 40_000, false),
                        AdChange.click(beforeImpression.row(), 40_000, false));
        assertThat(joinClicks.unattributedClickCount()).isEqualTo(2);
    }

    @Test
    void shouldRestateAClickReadBeforeItsImpressionOnceTheImpressionComes() throws Exception {
        TaggedAdEvent click = click("i-1", "k-1").by("u-1").at(T0 + 2 * MINUTE).tagged();
        TaggedAdEvent impression = impression("i-1").by("u-1").at(T0).tagged();
        send(click);
        assertThat(harness.extractOutputValues())
                .containsExactly(AdChange.click(click.row(), 40_000, false));

        send(impression);

        assertThat(harness.extractOutputValues())
                .containsExactly(
                        AdChange.click(click.row(), 40_000, false),
                        AdChange.impression(impression.row(), "u-1", 1_500),
                        AdChange.attributedClick(click.row()));
        assertThat(click.row().minute()).isEqualTo(T0 + 2 * MINUTE);
        assertThat(joinClicks.unattributedClickCount()).isZero();
        // Nothing left waiting: only the impression, for further clicks.
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    }

    @Test
    void shouldGiveUpOnAClickWhoseImpressionHasNotComeWithinTheLateness() throws Exception {
        TaggedAdEvent click = click("i-1", "k-1").by("u-1").at(T0).tagged();
        send(click);
        harness.processWatermark(T0 + L - 1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(joinClicks.unattributedClickCount()).isZero();

        harness.processWatermark(T0 + L);

        assertThat(joinClicks.unattributedClickCount()).isEqualTo(1);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.extractOutputValues())
                .containsExactly(AdChange.click(click.row(), 40_000, false));
    }

    @Test
    void shouldForgetAnImpressionTheWindowPlusTheLatenessAfterIt() throws Exception {
        send(impression("i-1").by("u-1").at(T0).tagged());
        harness.processWatermark(T0 + WINDOW + L - 1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        harness.processWatermark(T0 + WINDOW + L);

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldCountEventsWithoutAnImpressionIdWithoutKeepingThem() throws Exception {
        TaggedAdEvent impression = impression("").by("u-1").at(T0).tagged();
        TaggedAdEvent click = click("", "k-1").by("u-1").at(T0 + 1).tagged();
        send(impression);
        send(click);

        assertThat(harness.extractOutputValues())
                .containsExactly(
                        AdChange.impression(impression.row(), "u-1", 1_500),
                        AdChange.click(click.row(), 40_000, false));
        assertThat(joinClicks.unattributedClickCount()).isEqualTo(1);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void shouldJoinTheFirstOfTwoImpressionsWithOneIdAndCountBoth() throws Exception {
        TaggedAdEvent first = impression("i-1").by("u-1").at(T0).tagged();
        TaggedAdEvent second = impression("i-1").by("u-2").at(T0 + WINDOW).tagged();
        TaggedAdEvent click = click("i-1", "k-1").by("u-1").at(T0 + WINDOW + 1).tagged();
        send(first);
        send(second);
        send(click);

        assertThat(harness.extractOutputValues())
                .containsExactly(
                        AdChange.impression(first.row(), "u-1", 1_500),
                        AdChange.impression(second.row(), "u-2", 1_500),
                        AdChange.click(click.row(), 40_000, false));
    }

    @Test
    void shouldSendOnEveryClickThatHasAClickId() throws Exception {
        TaggedAdEvent attributed = click("i-1", "k-1").by("u-1").at(T0 + 1).tagged();
        TaggedAdEvent waiting = click("i-2", "k-2").by("u-1").at(T0 + 2).tagged();
        send(impression("i-1").by("u-1").at(T0).tagged());
        send(attributed);
        send(waiting);
        send(click("i-3", "").by("u-1").at(T0 + 3).tagged());

        List<TaggedAdEvent> forwarded =
                harness.getSideOutput(JoinClicks.CLICKS).stream()
                        .map(StreamRecord::getValue)
                        .toList();
        assertThat(forwarded).containsExactly(attributed, waiting);
    }

    @Test
    void shouldKeepWaitingTheClicksOfAnotherImpressionInTheSameBucket() throws Exception {
        String[] ids = twoImpressionIdsInOneBucket();
        TaggedAdEvent clickA = click(ids[0], "k-1").by("u-1").at(T0 + 1).tagged();
        TaggedAdEvent clickB = click(ids[1], "k-2").by("u-2").at(T0 + 2).tagged();
        TaggedAdEvent impressionB = impression(ids[1]).by("u-2").at(T0).tagged();
        send(clickA);
        send(clickB);
        send(impressionB);
        assertThat(harness.extractOutputValues())
                .containsExactly(
                        AdChange.click(clickA.row(), 40_000, false),
                        AdChange.click(clickB.row(), 40_000, false),
                        AdChange.impression(impressionB.row(), "u-2", 1_500),
                        AdChange.attributedClick(clickB.row()));

        send(impression(ids[0]).by("u-1").at(T0).tagged());
        harness.processWatermark(T0 + WINDOW + L);

        assertThat(harness.extractOutputValues()).endsWith(AdChange.attributedClick(clickA.row()));
        assertThat(joinClicks.unattributedClickCount()).isZero();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldForgetEachImpressionOfABucketOnTimeWhateverOrderTheyCameIn() throws Exception {
        String[] ids = twoImpressionIdsInOneBucket();
        send(impression(ids[0]).by("u-1").at(T0 + MINUTE).tagged());
        send(impression(ids[1]).by("u-2").at(T0).tagged());
        harness.processWatermark(T0 + WINDOW + L);

        // The second is forgotten, the first not yet: an impression with either id now is a
        // second one, joined only if the first with its id was forgotten.
        long now = T0 + WINDOW + L + 1;
        send(impression(ids[1]).by("u-3").at(now).tagged());
        send(impression(ids[0]).by("u-3").at(now).tagged());
        TaggedAdEvent clickB = click(ids[1], "k-2").by("u-3").at(now + 1).tagged();
        TaggedAdEvent clickA = click(ids[0], "k-1").by("u-3").at(now + 1).tagged();
        send(clickB);
        send(clickA);

        assertThat(harness.extractOutputValues())
                .endsWith(
                        AdChange.click(clickB.row(), 40_000, true),
                        AdChange.click(clickA.row(), 40_000, false));
    }

    /** Two impression ids that {@link JoinClicks#bucketOf} puts in one bucket. */
    private static String[] twoImpressionIdsInOneBucket() {
        Map<Integer, String> seen = new HashMap<>();
        for (int i = 0; ; i++) {
            String id = "i-" + i;
            String other = seen.putIfAbsent(JoinClicks.bucketOf(impression(id).tagged()), id);
            if (other != null) {
                return new String[] {other, id};
            }
        }
    }

    private void send(TaggedAdEvent event) throws Exception {
        harness.processElement(event, event.eventTime());
    }
}
