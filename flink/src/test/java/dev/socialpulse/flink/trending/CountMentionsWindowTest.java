package dev.socialpulse.flink.trending;

import static org.assertj.core.api.Assertions.assertThat;

import dev.socialpulse.flink.trending.records.TopicCount;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The job's window stage ({@link TrendingTopicsJob#countMentions}) in an operator harness, with
 * exact control over watermarks: counts, window bounds, lateness and state clean-up.
 */
@Tag("component")
class CountMentionsWindowTest {

    private static final TrendingTopicsSettings TEN_SECONDS_EVERY_FIVE =
            new TrendingTopicsSettings(
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(5),
                    50,
                    Duration.ofSeconds(10));

    private KeyedOneInputStreamOperatorTestHarness<String, String, TopicCount> harness;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void setUp() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SingleOutputStreamOperator<TopicCount> counts =
                TrendingTopicsJob.countMentions(env.fromData("ai"), TEN_SECONDS_EVERY_FIVE);
        OneInputTransformation<String, TopicCount> window =
                (OneInputTransformation<String, TopicCount>) counts.getTransformation();
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        window.getOperatorFactory(),
                        (KeySelector<String, String>) window.getStateKeySelector(),
                        (TypeInformation<String>) window.getStateKeyType());
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void shouldCountMentionsInEveryWindowAnEventFallsIn() throws Exception {
        harness.processElement("ai", 1_000L);
        harness.processElement("ai", 6_000L);
        harness.processElement("f1", 7_000L);

        harness.processWatermark(9_999L);

        assertThat(harness.extractOutputValues())
                .containsExactlyInAnyOrder(
                        new TopicCount("ai", -5_000L, 5_000L, 1L),
                        new TopicCount("ai", 0L, 10_000L, 2L),
                        new TopicCount("f1", 0L, 10_000L, 1L));

        harness.processWatermark(Long.MAX_VALUE);

        assertThat(harness.extractOutputValues())
                .contains(
                        new TopicCount("ai", 5_000L, 15_000L, 1L),
                        new TopicCount("f1", 5_000L, 15_000L, 1L))
                .hasSize(5);
    }

    @Test
    void shouldStampEachCountWithItsWindowsLastMillisecond() throws Exception {
        harness.processElement("ai", 1_000L);
        harness.processWatermark(4_999L);

        assertThat(harness.extractOutputStreamRecords())
                .extracting(StreamRecord::getTimestamp)
                .containsExactly(4_999L);
    }

    @Test
    void shouldSendMentionsOfAlreadyFiredWindowsToTheLateOutput() throws Exception {
        harness.processWatermark(9_999L);

        // Both of its windows, [-5s, 5s) and [0s, 10s), have fired.
        harness.processElement("ai", 3_000L);
        // Still counts in [5s, 15s).
        harness.processElement("f1", 8_000L);
        harness.processWatermark(Long.MAX_VALUE);

        assertThat(harness.getSideOutput(TrendingTopicsJob.LATE_MENTIONS))
                .extracting(StreamRecord::getValue, StreamRecord::getTimestamp)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ai", 3_000L));
        assertThat(harness.extractOutputValues())
                .containsExactly(new TopicCount("f1", 5_000L, 15_000L, 1L));
    }

    @Test
    void shouldClearWindowStateOnceEveryWindowHasFired() throws Exception {
        harness.processElement("ai", 1_000L);
        harness.processElement("f1", 12_000L);
        assertThat(harness.numKeyedStateEntries()).isPositive();
        assertThat(harness.numEventTimeTimers()).isPositive();

        harness.processWatermark(Long.MAX_VALUE);

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}
