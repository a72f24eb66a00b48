package dev.socialpulse.flink.trending.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.socialpulse.flink.trending.TrendingHorizon;
import dev.socialpulse.flink.trending.records.Mention;
import dev.socialpulse.flink.trending.records.TopicWindowStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The first phase of the two-phase top N in an operator harness: only a subtask's best N topics of
 * a window go on, stamped with the window's last millisecond, before the watermark that fired it.
 */
@Tag("component")
class AggregateTopicWindowsOperatorTest {

    private static final TrendingHorizon FOUR_S =
            new TrendingHorizon("4s", Duration.ofSeconds(4), Duration.ofSeconds(2));

    private KeyedOneInputStreamOperatorTestHarness<String, Mention, TopicWindowStats> harness;

    @BeforeEach
    void setUp() throws Exception {
        AggregateTopicWindows function =
                new AggregateTopicWindows(List.of(FOUR_S), TrendingScore.DEFAULTS);
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new AggregateTopicWindowsOperator(function, 2),
                        Mention::topic,
                        Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void shouldSendOnlyTheBestTopicsOfEachWindowBeforeItsWatermark() throws Exception {
        // In [0, 2): ai from 3 authors, rust from 2, go from 1; in [2, 4): go from 4 authors.
        for (String author : List.of("a", "b", "c")) {
            harness.processElement(Mention.of("ai", author, false), 500L);
        }
        for (String author : List.of("a", "b")) {
            harness.processElement(Mention.of("rust", author, false), 700L);
        }
        harness.processElement(Mention.of("go", "a", false), 900L);
        for (String author : List.of("a", "b", "c", "d")) {
            harness.processElement(Mention.of("go", author, false), 2_500L);
        }

        harness.processWatermark(new Watermark(1_999L));
        assertThat(records())
                .extracting(r -> r.getValue().topic(), r -> r.getTimestamp())
                .containsExactlyInAnyOrder(tuple("ai", 1_999L), tuple("rust", 1_999L));
        assertThat(List.copyOf(harness.getOutput())).last().isEqualTo(new Watermark(1_999L));

        harness.getOutput().clear();
        harness.processWatermark(new Watermark(3_999L));
        // Window [0, 4): go has 5 mentions from 4 authors, ai 3, rust 2.
        assertThat(records())
                .extracting(r -> r.getValue().topic(), r -> r.getValue().windowEndMillis())
                .containsExactlyInAnyOrder(tuple("go", 4_000L), tuple("ai", 4_000L));
        assertThat(List.copyOf(harness.getOutput())).last().isEqualTo(new Watermark(3_999L));
    }

    @SuppressWarnings("unchecked")
    private List<StreamRecord<TopicWindowStats>> records() {
        List<StreamRecord<TopicWindowStats>> records = new ArrayList<>();
        for (Object element : harness.getOutput()) {
            if (element instanceof StreamRecord<?> record) {
                records.add((StreamRecord<TopicWindowStats>) record);
            }
        }
        return records;
    }
}
