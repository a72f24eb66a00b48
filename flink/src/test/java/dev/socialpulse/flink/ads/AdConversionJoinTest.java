package dev.socialpulse.flink.ads;

import static dev.socialpulse.flink.ads.AdFixtures.ATTRIBUTION_WINDOW;
import static dev.socialpulse.flink.ads.AdFixtures.DAY;
import static dev.socialpulse.flink.ads.AdFixtures.LATENESS;
import static dev.socialpulse.flink.ads.AdFixtures.MINUTE;
import static dev.socialpulse.flink.ads.AdFixtures.SETTINGS;
import static dev.socialpulse.flink.ads.AdFixtures.T0;
import static dev.socialpulse.flink.ads.AdFixtures.click;
import static dev.socialpulse.flink.ads.AdFixtures.conversion;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Stage 3: conversions attributed to their clicks ({@link JoinConversions}), on the operator
 * harness.
 */
@Tag("component")
class AdConversionJoinTest {

    private static final long WINDOW = ATTRIBUTION_WINDOW.toMillis();
    private static final long L = LATENESS.toMillis();

    private JoinConversions joinConversions;
    private KeyedOneInputStreamOperatorTestHarness<Long, TaggedAdEvent, AdChange> harness;

    @BeforeEach
    void setUp() throws Exception {
        joinConversions = new JoinConversions(SETTINGS);
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        joinConversions, TaggedAdEvent::clickKey, Types.LONG);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void shouldCreditAConversionDaysLaterToItsClicksMinuteAndRowInItsOwnCurrency()
            throws Exception {
        TaggedAdEvent click =
                click("i-1", "k-1")
                        .by("u-1")
                        .at(T0 + 30_000)
                        .device("desktop", "Windows", "PL")
                        .tagged();
        TaggedAdEvent conversion =
                conversion("k-1")
                        .by("u-1")
                        .at(T0 + 3 * DAY)
                        .device("mobile", "Android", "DE")
                        .currency("USD")
                        .tagged();
        send(click);
        harness.processWatermark(T0 + 3 * DAY - MINUTE);
        send(conversion);

        AdRow credited =
                new AdRow(
                        T0, "c-1", "ad-1", "desktop", "Windows", "PL", "unknown", "unknown", "USD");
        assertThat(harness.extractOutputValues())
                .containsExactly(AdChange.conversion(credited, 25_000_000));
        assertThat(joinConversions.unattributedConversionCount()).isZero();
    }

    @Test
    void shouldKeepTheClicksCurrencyForAConversionWithoutOne() throws Exception {
        TaggedAdEvent click = click("i-1", "k-1").by("u-1").at(T0).tagged();
        send(click);
        send(conversion("k-1").by("u-1").at(T0 + MINUTE).currency("").tagged());

        assertThat(harness.extractOutputValues())
                .containsExactly(AdChange.conversion(click.row(), 25_000_000));
        assertThat(click.row().currency()).isEqualTo("EUR");
    }

    @Test
    void shouldAttributeUpToTheWholeWindowAfterTheClickAndNoLater() throws Exception {
        send(click("i-1", "k-1").by("u-1").at(T0).tagged());
        send(click("i-2", "k-2").by("u-2").at(T0).tagged());
        send(click("i-3", "k-3").by("u-3").at(T0).tagged());
        TaggedAdEvent atEnd = conversion("k-1").by("u-1").at(T0 + WINDOW).tagged();
        TaggedAdEvent pastEnd = conversion("k-2").by("u-2").at(T0 + WINDOW + 1).tagged();
        TaggedAdEvent beforeClick = conversion("k-3").by("u-3").at(T0 - 1).tagged();
        send(atEnd);
        send(pastEnd);
        send(beforeClick);

        assertThat(harness.extractOutputValues())
                .containsExactly(
                        AdChange.conversion(
                                click("i-1", "k-1").by("u-1").at(T0).tagged().row(), 25_000_000),
                        AdChange.unattributedConversion(pastEnd.row(), 25_000_000, 1),
                        AdChange.unattributedConversion(beforeClick.row(), 25_000_000, 1));
        assertThat(joinConversions.unattributedConversionCount()).isEqualTo(2);
    }

    @Test
    void shouldRestateAConversionReadBeforeItsClickOnceTheClickComes() throws Exception {
        TaggedAdEvent conversion = conversion("k-1").by("u-1").at(T0 + 2 * DAY).tagged();
        TaggedAdEvent click =
                click("i-1", "k-1").by("u-1").at(T0).device("tablet", "iPadOS", "NL").tagged();
        send(conversion);
        assertThat(harness.extractOutputValues())
                .containsExactly(AdChange.unattributedConversion(conversion.row(), 25_000_000, 1));

        send(click);

        assertThat(harness.extractOutputValues())
                .containsExactly(
                        AdChange.unattributedConversion(conversion.row(), 25_000_000, 1),
                        AdChange.unattributedConversion(conversion.row(), 25_000_000, -1),
                        AdChange.conversion(click.row(), 25_000_000));
        assertThat(joinConversions.unattributedConversionCount()).isZero();
    }

    @Test
    void shouldGiveUpOnAConversionWhoseClickHasNotComeWithinTheLateness() throws Exception {
        send(conversion("k-1").by("u-1").at(T0).tagged());
        harness.processWatermark(T0 + L - 1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(joinConversions.unattributedConversionCount()).isZero();

        harness.processWatermark(T0 + L);

        assertThat(joinConversions.unattributedConversionCount()).isEqualTo(1);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void shouldCountAConversionNamingNoClickAsUnattributedAtOnce() throws Exception {
        TaggedAdEvent conversion = conversion("").by("u-1").at(T0).tagged();
        send(conversion);

        assertThat(harness.extractOutputValues())
                .containsExactly(AdChange.unattributedConversion(conversion.row(), 25_000_000, 1));
        assertThat(joinConversions.unattributedConversionCount()).isEqualTo(1);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void shouldForgetAClickTheAttributionWindowPlusTheLatenessAfterIt() throws Exception {
        send(click("i-1", "k-1").by("u-1").at(T0).tagged());
        send(conversion("k-1").by("u-1").at(T0 + DAY).tagged());
        harness.processWatermark(T0 + WINDOW + L - 1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        harness.processWatermark(T0 + WINDOW + L);

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    private void send(TaggedAdEvent event) throws Exception {
        harness.processElement(event, event.eventTime());
    }
}
