package dev.socialpulse.flink.trending.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.socialpulse.flink.trending.TrendingHorizon;
import dev.socialpulse.flink.trending.records.Mention;
import dev.socialpulse.flink.trending.records.TopicWindowStats;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The pane aggregation in an operator harness, with exact control over watermarks: window sums as
 * panes enter and expire, the baseline, lateness, timers and state clean-up. Two small horizons: 6
 * s sliding every 2 s, and 10 s sliding every 5 s.
 */
@Tag("component")
class AggregateTopicWindowsTest {

    private static final TrendingScore SCORE = TrendingScore.DEFAULTS;
    private static final TrendingHorizon SIX_S =
            new TrendingHorizon("6s", Duration.ofSeconds(6), Duration.ofSeconds(2));
    private static final TrendingHorizon TEN_S =
            new TrendingHorizon("10s", Duration.ofSeconds(10), Duration.ofSeconds(5));

    /** The 6 s horizon's baseline decay per slide: 2^(-2 s / (4 × 6 s)). */
    private static final double D6 = Math.pow(2.0, -1.0 / 12);

    private AggregateTopicWindows function;
    private KeyedOneInputStreamOperatorTestHarness<String, Mention, TopicWindowStats> harness;

    @BeforeEach
    void setUp() throws Exception {
        function = new AggregateTopicWindows(List.of(SIX_S, TEN_S), SCORE);
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        function, Mention::topic, Types.STRING);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void shouldSumThePanesOfEveryWindowExactlyAsTheyEnterAndExpire() throws Exception {
        harness.processElement(mention("ai", "a"), 1_000L);
        harness.processElement(mention("ai", "b"), 3_000L);
        harness.processElement(mention("ai", "a"), 5_000L);
        harness.processElement(mention("ai", "a"), 5_500L);

        harness.processWatermark(Long.MAX_VALUE);

        // 6 s: panes [0,2) a | [2,4) b | [4,6) a a
        assertThat(horizon("6s"))
                .extracting(
                        TopicWindowStats::windowStartMillis,
                        TopicWindowStats::windowEndMillis,
                        TopicWindowStats::mentions,
                        TopicWindowStats::uniqueAuthors)
                .containsExactly(
                        tuple(-4_000L, 2_000L, 1L, 1),
                        tuple(-2_000L, 4_000L, 2L, 2),
                        tuple(0L, 6_000L, 4L, 2),
                        tuple(2_000L, 8_000L, 3L, 2),
                        tuple(4_000L, 10_000L, 2L, 1));
        assertThat(horizon("6s"))
                .extracting(TopicWindowStats::weightedMentions)
                .containsExactly(
                        1.0,
                        2.0,
                        // a 3 times, b once
                        1 + Math.log(3) + 1,
                        1 + Math.log(2) + 1,
                        1 + Math.log(2));
        // Each window's baseline folds in the window ending one length (6 s) earlier: 2 s → W 1
        // into the window ending at 8 s, 4 s → W 2 into 10 s.
        List<TopicWindowStats> sixS = horizon("6s");
        assertThat(sixS.get(2).baseline()).isZero();
        assertThat(sixS.get(3).baseline()).isCloseTo((1 - D6) * 1.0, within(1e-12));
        assertThat(sixS.get(4).baseline())
                .isCloseTo(D6 * (1 - D6) * 1.0 + (1 - D6) * 2.0, within(1e-12));
        assertThat(sixS.get(4).velocity())
                .isCloseTo((1 + Math.log(2) + 10) / (sixS.get(4).baseline() + 10), within(1e-12));
        assertThat(sixS.get(4).score())
                .isCloseTo(SCORE.score(1 + Math.log(2), sixS.get(4).baseline()), within(1e-12));

        // 10 s: panes [0,5) a b | [5,10) a a
        assertThat(horizon("10s"))
                .extracting(
                        TopicWindowStats::windowEndMillis,
                        TopicWindowStats::mentions,
                        TopicWindowStats::uniqueAuthors)
                .containsExactly(
                        tuple(5_000L, 2L, 2), tuple(10_000L, 4L, 2), tuple(15_000L, 2L, 1));
    }

    @Test
    void shouldFireEachWindowWhenTheWatermarkPassesItsLastMillisecond() throws Exception {
        harness.processElement(mention("ai", "a"), 1_000L);
        // One timer per horizon: the 6 s one at 1.999 s, the 10 s one at 4.999 s.
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);

        harness.processWatermark(1_998L);
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.processWatermark(1_999L);
        assertThat(harness.extractOutputStreamRecords())
                .extracting(StreamRecord::getTimestamp)
                .containsExactly(1_999L);
        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(s -> assertThat(s.windowEndMillis()).isEqualTo(2_000L));
    }

    @Test
    void shouldDropAMentionOnlyFromTheHorizonsWhoseWindowsHaveAllFired() throws Exception {
        harness.processElement(mention("ai", "a"), 1_000L);
        harness.processWatermark(5_999L);
        assertThat(horizon("6s")).hasSize(3);

        // Pane [0,2) has left the 6 s window: late there; the 10 s window [0,10) is still open.
        harness.processElement(mention("ai", "late"), 1_500L);
        // Pane [2,4) still belongs to the 6 s window ending at 8 s.
        harness.processElement(mention("ai", "b"), 2_500L);
        harness.processWatermark(Long.MAX_VALUE);

        assertThat(function.lateMentionCount(0)).isEqualTo(1);
        assertThat(function.lateMentionCount(1)).isZero();
        assertThat(horizon("6s"))
                .extracting(TopicWindowStats::windowEndMillis, TopicWindowStats::mentions)
                .containsExactly(
                        tuple(2_000L, 1L), tuple(4_000L, 1L), tuple(6_000L, 1L), tuple(8_000L, 1L));
        assertThat(horizon("10s"))
                .extracting(TopicWindowStats::windowEndMillis, TopicWindowStats::mentions)
                .containsExactly(tuple(5_000L, 1L), tuple(10_000L, 3L));
    }

    @Test
    void shouldMoveTheRunningWindowBackForAnOutOfOrderMentionThatIsNotLate() throws Exception {
        harness.processElement(mention("ai", "a"), 9_000L);
        // Before the watermark has passed any of its windows: not late, though older than the
        // running window [4 s, 10 s).
        harness.processElement(mention("ai", "b"), 1_000L);

        harness.processWatermark(Long.MAX_VALUE);

        assertThat(function.lateMentionCount(0)).isZero();
        assertThat(horizon("6s"))
                .extracting(TopicWindowStats::windowEndMillis, TopicWindowStats::mentions)
                .containsExactly(
                        tuple(2_000L, 1L),
                        tuple(4_000L, 1L),
                        tuple(6_000L, 1L),
                        tuple(10_000L, 1L),
                        tuple(12_000L, 1L),
                        tuple(14_000L, 1L));
        assertThat(horizon("10s"))
                .extracting(TopicWindowStats::windowEndMillis, TopicWindowStats::mentions)
                .containsExactly(tuple(5_000L, 1L), tuple(10_000L, 2L), tuple(15_000L, 1L));
    }

    @Test
    void shouldCountBotMentionsApartAndEmitNoWindowWithoutCountedMentions() throws Exception {
        harness.processElement(Mention.of("ai", "u:bot", true), 1_000L);
        harness.processElement(mention("ai", "a"), 2_500L);
        harness.processElement(Mention.of("spam", "u:bot", true), 1_000L);

        harness.processWatermark(Long.MAX_VALUE);

        assertThat(horizon("6s"))
                .extracting(
                        TopicWindowStats::topic,
                        TopicWindowStats::windowEndMillis,
                        TopicWindowStats::mentions,
                        TopicWindowStats::botMentions)
                .containsExactly(
                        tuple("ai", 4_000L, 1L, 1L),
                        tuple("ai", 6_000L, 1L, 1L),
                        tuple("ai", 8_000L, 1L, 0L));
    }

    @Test
    void shouldSkipEmptyWindowsAcrossAGapAndDecayTheBaselineOverIt() throws Exception {
        harness.processElement(mention("ai", "a"), 1_000L);
        harness.processElement(mention("ai", "a"), 30_000L);

        harness.processWatermark(Long.MAX_VALUE);

        List<TopicWindowStats> sixS = horizon("6s");
        assertThat(sixS)
                .extracting(TopicWindowStats::windowEndMillis)
                .containsExactly(2_000L, 4_000L, 6_000L, 32_000L, 34_000L, 36_000L);
        // W = 1 in the windows ending at 2, 4 and 6 s, folded in at 8, 10 and 12 s, then 10 slides
        // of nothing to 32 s.
        double baseline = 0;
        for (int i = 0; i < 3; i++) {
            baseline = D6 * baseline + (1 - D6);
        }
        baseline *= Math.pow(D6, 10);
        assertThat(sixS.get(3).baseline()).isCloseTo(baseline, within(1e-12));
    }

    @Test
    void shouldDropAnIdleTopicsStateOnceItsBaselineHasFadedAndLeaveNoTimer() throws Exception {
        harness.processElement(mention("ai", "a"), 1_000L);
        harness.processElement(mention("f1", "b"), 12_000L);
        assertThat(harness.numKeyedStateEntries()).isPositive();

        harness.processWatermark(60_000L);
        // Windows done, baselines not yet below the floor: the state waits.
        assertThat(harness.numKeyedStateEntries()).isPositive();
        assertThat(harness.numEventTimeTimers()).isEqualTo(4);

        harness.processWatermark(Long.MAX_VALUE);

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldComputeTheFirstUnfiredWindowEnd() {
        assertThat(AggregateTopicWindows.firstUnfiredEnd(Long.MIN_VALUE, 2_000L))
                .isEqualTo(Long.MIN_VALUE);
        // The window ending at 4 s fired at watermark 3.999 s.
        assertThat(AggregateTopicWindows.firstUnfiredEnd(3_999L, 2_000L)).isEqualTo(6_000L);
        assertThat(AggregateTopicWindows.firstUnfiredEnd(3_998L, 2_000L)).isEqualTo(4_000L);
        assertThat(AggregateTopicWindows.firstUnfiredEnd(-1L, 2_000L)).isEqualTo(2_000L);
    }

    private List<TopicWindowStats> horizon(String label) {
        return harness.extractOutputValues().stream()
                .filter(s -> s.horizon().equals(label))
                .toList();
    }

    private static Mention mention(String topic, String author) {
        return Mention.of(topic, "u:" + author, false);
    }
}
