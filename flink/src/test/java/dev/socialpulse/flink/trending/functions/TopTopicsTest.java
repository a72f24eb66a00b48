package dev.socialpulse.flink.trending.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.socialpulse.flink.trending.records.TopicCount;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TopTopicsTest {

    private static final TopicScorer BY_MENTIONS = new MentionCountScorer();

    @Test
    void shouldRankByScoreBestFirst() {
        List<TopTopics.Ranked> top =
                TopTopics.select(
                        List.of(count("f1", 3), count("ai", 9), count("worldcup", 5)),
                        10,
                        BY_MENTIONS);

        assertThat(top)
                .extracting(r -> r.count().topic(), TopTopics.Ranked::score, TopTopics.Ranked::rank)
                .containsExactly(
                        tuple("ai", 9.0, 1), tuple("worldcup", 5.0, 2), tuple("f1", 3.0, 3));
    }

    @Test
    void shouldKeepOnlyTheTopN() {
        List<TopicCount> counts = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            counts.add(count("t" + i, i));
        }
        Collections.shuffle(counts, new Random(7));

        List<TopTopics.Ranked> top = TopTopics.select(counts, 3, BY_MENTIONS);

        assertThat(top)
                .extracting(r -> r.count().topic(), TopTopics.Ranked::rank)
                .containsExactly(tuple("t100", 1), tuple("t99", 2), tuple("t98", 3));
    }

    @Test
    void shouldBreakTiesByMentionsThenTopicName() {
        TopicScorer flat = count -> 1.0;

        List<TopTopics.Ranked> top =
                TopTopics.select(
                        List.of(count("b", 2), count("c", 5), count("a", 2), count("d", 1)),
                        3,
                        flat);

        assertThat(top).extracting(r -> r.count().topic()).containsExactly("c", "a", "b");
    }

    @Test
    void shouldRankWhateverThereIsWhenFewerThanN() {
        assertThat(TopTopics.select(List.of(count("ai", 1)), 50, BY_MENTIONS)).hasSize(1);
        assertThat(TopTopics.select(List.of(), 50, BY_MENTIONS)).isEmpty();
    }

    @Test
    void shouldRejectANonPositiveN() {
        assertThatThrownBy(() -> TopTopics.select(List.of(), 0, BY_MENTIONS))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static TopicCount count(String topic, long mentions) {
        return new TopicCount(topic, 0L, 60_000L, mentions);
    }
}
