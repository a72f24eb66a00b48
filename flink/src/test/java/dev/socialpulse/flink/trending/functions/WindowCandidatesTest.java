package dev.socialpulse.flink.trending.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.socialpulse.flink.trending.records.TopicWindowStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class WindowCandidatesTest {

    @Test
    void shouldKeepTheBestTopicsOfEachWindowApart() {
        WindowCandidates candidates = new WindowCandidates(2);
        candidates.offer(stats("1m", 60_000, "a", 1.0));
        candidates.offer(stats("1m", 60_000, "b", 3.0));
        candidates.offer(stats("1m", 60_000, "c", 2.0));
        candidates.offer(stats("5m", 60_000, "d", 0.5));
        candidates.offer(stats("1m", 61_000, "e", 0.1));

        List<String> sent = new ArrayList<>();
        candidates.sendUpTo(60_000, s -> sent.add(s.horizon() + ":" + s.topic()));
        assertThat(sent).containsExactlyInAnyOrder("1m:b", "1m:c", "5m:d");
        sent.clear();
        candidates.sendUpTo(Long.MAX_VALUE, s -> sent.add(s.horizon() + ":" + s.topic()));
        assertThat(sent).containsExactly("1m:e");
        assertThat(candidates.isEmpty()).isTrue();
    }

    @Test
    void shouldGiveTheExactTopNHoweverTheTopicsAreSplitIntoBatches() {
        Random random = new Random(7);
        List<TopicWindowStats> all = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            all.add(stats("1m", 60_000, "t" + i, random.nextInt(50)));
        }
        // Three subtasks, each sending some batches early (a checkpoint) and the rest at the
        // watermark.
        List<TopicWindowStats> received = new ArrayList<>();
        for (int subtask = 0; subtask < 3; subtask++) {
            WindowCandidates candidates = new WindowCandidates(10);
            for (int i = subtask; i < all.size(); i += 3) {
                candidates.offer(all.get(i));
                if (i % 97 == 0) {
                    candidates.sendUpTo(Long.MAX_VALUE, received::add);
                }
            }
            candidates.sendUpTo(60_000, received::add);
        }
        assertThat(TopTopics.select(received, 10)).isEqualTo(TopTopics.select(all, 10));
    }

    @Test
    void shouldRefuseAnEmptyTop() {
        assertThatThrownBy(() -> new WindowCandidates(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldSendEveryCanaryTopicOutsideTheBestN() {
        WindowCandidates candidates = new WindowCandidates(1);
        candidates.offer(stats("1m", 60_000, "a", 5.0));
        candidates.offer(stats("1m", 60_000, "CANARY:c1", 0.1));
        candidates.offer(stats("1m", 60_000, "CANARY:c2", 0.2));
        candidates.offer(stats("1m", 60_000, "b", 1.0));
        candidates.offer(stats("1m", 61_000, "CANARY:c3", 0.3));

        List<String> sent = new ArrayList<>();
        candidates.sendUpTo(60_000, s -> sent.add(s.topic()));
        assertThat(sent).containsExactlyInAnyOrder("a", "CANARY:c1", "CANARY:c2");
        assertThat(candidates.isEmpty()).isFalse();
        sent.clear();
        candidates.sendUpTo(Long.MAX_VALUE, s -> sent.add(s.topic()));
        assertThat(sent).containsExactly("CANARY:c3");
        assertThat(candidates.isEmpty()).isTrue();
    }

    private static TopicWindowStats stats(String horizon, long end, String topic, double score) {
        return new TopicWindowStats(
                horizon, end - 60_000, end, topic, 1, 1, 1.0, 0, 0.0, 1.0, score);
    }
}
