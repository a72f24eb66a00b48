package dev.socialpulse.flink.trending.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.socialpulse.flink.trending.records.TopicCount;
import dev.socialpulse.flink.trending.records.TrendingTopicRow;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("component")
class RankTopTopicsTest {

    private KeyedOneInputStreamOperatorTestHarness<Long, TopicCount, TrendingTopicRow> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new RankTopTopics(2, "10s", new MentionCountScorer()),
                        TopicCount::windowEndMillis,
                        Types.LONG);
        harness.setProcessingTime(777L);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void shouldEmitTheTopNOnceTheWatermarkPassesTheWindow() throws Exception {
        harness.processElement(new TopicCount("f1", 0L, 10_000L, 3L), 9_999L);
        harness.processElement(new TopicCount("ai", 0L, 10_000L, 9L), 9_999L);
        harness.processElement(new TopicCount("worldcup", 0L, 10_000L, 5L), 9_999L);

        harness.processWatermark(9_998L);
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.processWatermark(9_999L);
        assertThat(harness.extractOutputValues())
                .containsExactly(
                        new TrendingTopicRow("10s", 0L, 10_000L, "ai", 9L, 9.0, 1, 777L),
                        new TrendingTopicRow("10s", 0L, 10_000L, "worldcup", 5L, 5.0, 2, 777L));
    }

    @Test
    void shouldRegisterOneTimerPerWindowAndClearTheWindowStateWhenDone() throws Exception {
        harness.processElement(new TopicCount("ai", 0L, 10_000L, 1L), 9_999L);
        harness.processElement(new TopicCount("f1", 0L, 10_000L, 1L), 9_999L);
        harness.processElement(new TopicCount("ai", 5_000L, 15_000L, 1L), 14_999L);

        assertThat(harness.numEventTimeTimers()).isEqualTo(2);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);

        harness.processWatermark(9_999L);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        harness.processWatermark(Long.MAX_VALUE);
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void shouldRankEachWindowSeparately() throws Exception {
        harness.processElement(new TopicCount("ai", 0L, 10_000L, 1L), 9_999L);
        harness.processElement(new TopicCount("f1", 0L, 10_000L, 4L), 9_999L);
        harness.processElement(new TopicCount("ai", 5_000L, 15_000L, 8L), 14_999L);

        harness.processWatermark(Long.MAX_VALUE);

        assertThat(harness.extractOutputValues())
                .containsExactly(
                        new TrendingTopicRow("10s", 0L, 10_000L, "f1", 4L, 4.0, 1, 777L),
                        new TrendingTopicRow("10s", 0L, 10_000L, "ai", 1L, 1.0, 2, 777L),
                        new TrendingTopicRow("10s", 5_000L, 15_000L, "ai", 8L, 8.0, 1, 777L));
    }
}
