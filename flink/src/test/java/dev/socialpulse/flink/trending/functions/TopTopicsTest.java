package dev.socialpulse.flink.trending.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.socialpulse.flink.trending.records.TopicWindowStats;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TopTopicsTest {

    @Test
    void shouldRankByScoreBestFirst() {
        List<TopicWindowStats> top =
                TopTopics.select(
                        List.of(
                                stats("f1", 3, 3.0),
                                stats("ai", 9, 9.0),
                                stats("worldcup", 5, 5.0)),
                        10);

        assertThat(top).extracting(TopicWindowStats::topic).containsExactly("ai", "worldcup", "f1");
    }

    @Test
    void shouldKeepOnlyTheTopN() {
        List<TopicWindowStats> topics = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            topics.add(stats("t" + i, 1, i));
        }
        Collections.shuffle(topics, new Random(7));

        assertThat(TopTopics.select(topics, 3))
                .extracting(TopicWindowStats::topic)
                .containsExactly("t100", "t99", "t98");
    }

    @Test
    void shouldBreakTiesByMentionsThenTopicName() {
        List<TopicWindowStats> top =
                TopTopics.select(
                        List.of(
                                stats("b", 2, 1.0),
                                stats("c", 5, 1.0),
                                stats("a", 2, 1.0),
                                stats("d", 1, 1.0)),
                        3);

        assertThat(top).extracting(TopicWindowStats::topic).containsExactly("c", "a", "b");
    }

    @Test
    void shouldRankWhateverThereIsWhenFewerThanN() {
        assertThat(TopTopics.select(List.of(stats("ai", 1, 1.0)), 50)).hasSize(1);
        assertThat(TopTopics.select(List.of(), 50)).isEmpty();
    }

    @Test
    void shouldRejectANonPositiveN() {
        assertThatThrownBy(() -> TopTopics.select(List.of(), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static TopicWindowStats stats(String topic, long mentions, double score) {
        return new TopicWindowStats(
                "1m", 0L, 60_000L, topic, mentions, 1, mentions, 0L, 0.0, 1.0, score);
    }
}
