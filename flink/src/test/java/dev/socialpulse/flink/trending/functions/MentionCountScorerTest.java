package dev.socialpulse.flink.trending.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.socialpulse.flink.trending.records.TopicCount;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class MentionCountScorerTest {

    private final MentionCountScorer scorer = new MentionCountScorer();

    @Test
    void shouldScoreByMentions() {
        assertThat(scorer.score(new TopicCount("ai", 0L, 60_000L, 42L))).isEqualTo(42.0);
    }

    @Test
    void shouldIgnoreTheWindow() {
        assertThat(scorer.score(new TopicCount("ai", 5_000L, 65_000L, 7L)))
                .isEqualTo(scorer.score(new TopicCount("ai", 0L, 60_000L, 7L)));
    }
}
