package dev.socialpulse.flink.trending.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.socialpulse.flink.trending.records.TopicWindowStats;
import dev.socialpulse.flink.trending.records.TrendingTopicRow;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("component")
class RankTopTopicsTest {

    private KeyedOneInputStreamOperatorTestHarness<
                    Tuple2<String, Long>, TopicWindowStats, TrendingTopicRow>
            harness;

    @BeforeEach
    void setUp() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new RankTopTopics(2), RankTopTopics::key, RankTopTopics.KEY_TYPE);
        harness.setProcessingTime(777L);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void shouldEmitTheTopNWithOneComputedAtOnceTheWatermarkPassesTheWindow() throws Exception {
        harness.processElement(stats("1m", 60_000L, "f1", 3.0), 59_999L);
        harness.processElement(stats("1m", 60_000L, "ai", 9.0), 59_999L);
        harness.processElement(stats("1m", 60_000L, "worldcup", 5.0), 59_999L);

        harness.processWatermark(59_998L);
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.processWatermark(59_999L);
        assertThat(harness.extractOutputValues())
                .containsExactly(
                        TrendingTopicRow.of(stats("1m", 60_000L, "ai", 9.0), 1, 777L),
                        TrendingTopicRow.of(stats("1m", 60_000L, "worldcup", 5.0), 2, 777L));
    }

    @Test
    void shouldRankEachHorizonAndWindowSeparately() throws Exception {
        harness.processElement(stats("1m", 60_000L, "ai", 1.0), 59_999L);
        harness.processElement(stats("5m", 60_000L, "f1", 4.0), 59_999L);
        harness.processElement(stats("1m", 62_000L, "f1", 8.0), 61_999L);

        assertThat(harness.numEventTimeTimers()).isEqualTo(3);

        harness.processWatermark(Long.MAX_VALUE);

        assertThat(harness.extractOutputValues())
                .extracting(
                        TrendingTopicRow::windowSize,
                        TrendingTopicRow::topic,
                        TrendingTopicRow::rank)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("1m", "ai", 1),
                        org.assertj.core.groups.Tuple.tuple("5m", "f1", 1),
                        org.assertj.core.groups.Tuple.tuple("1m", "f1", 1));
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void shouldWriteCanaryTopicsAfterTheTopNWithoutTakingAPlaceInIt() throws Exception {
        harness.processElement(stats("1m", 60_000L, "CANARY:c2", 99.0), 59_999L);
        harness.processElement(stats("1m", 60_000L, "f1", 3.0), 59_999L);
        harness.processElement(stats("1m", 60_000L, "CANARY:c1", 0.1), 59_999L);
        harness.processElement(stats("1m", 60_000L, "ai", 9.0), 59_999L);
        harness.processElement(stats("1m", 60_000L, "worldcup", 5.0), 59_999L);

        harness.processWatermark(59_999L);

        // Top 2: the canaries, whatever their scores, come after them at ranks 3 and 4.
        assertThat(harness.extractOutputValues())
                .containsExactly(
                        TrendingTopicRow.of(stats("1m", 60_000L, "ai", 9.0), 1, 777L),
                        TrendingTopicRow.of(stats("1m", 60_000L, "worldcup", 5.0), 2, 777L),
                        TrendingTopicRow.of(stats("1m", 60_000L, "CANARY:c1", 0.1), 3, 777L),
                        TrendingTopicRow.of(stats("1m", 60_000L, "CANARY:c2", 99.0), 4, 777L));
    }

    private static TopicWindowStats stats(String horizon, long end, String topic, double score) {
        return new TopicWindowStats(
                horizon, end - 60_000L, end, topic, 4L, 2, 3.5, 1L, 1.0, 1.2, score);
    }
}
