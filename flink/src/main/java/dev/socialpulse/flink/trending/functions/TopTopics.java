package dev.socialpulse.flink.trending.functions;

import dev.socialpulse.flink.trending.records.TopicCount;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Picks the N best-scored topics of one window.
 *
 * <p>Order: score descending, then mentions descending, then topic ascending. The tie-breakers make
 * the ranking deterministic, so a window recomputed after a restart gets the same ranks.
 */
public final class TopTopics {

    /** A topic's place in its window's top N. */
    public record Ranked(TopicCount count, double score, int rank) {}

    private record Scored(TopicCount count, double score) {}

    /** Best first. */
    private static final Comparator<Scored> BEST_FIRST =
            Comparator.comparingDouble(Scored::score)
                    .reversed()
                    .thenComparing(
                            Comparator.comparingLong((Scored s) -> s.count().mentions()).reversed())
                    .thenComparing(s -> s.count().topic());

    private TopTopics() {}

    /**
     * @param counts the counts of one window, one per topic, in any order
     * @param n how many to keep, at least 1
     * @param scorer scores each count
     * @return at most {@code n} topics, best first, ranked from 1
     */
    public static List<Ranked> select(Iterable<TopicCount> counts, int n, TopicScorer scorer) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, got " + n);
        }
        // A min-heap of the best n seen so far: O(topics * log n) for a window of many topics.
        PriorityQueue<Scored> best = new PriorityQueue<>(n + 1, BEST_FIRST.reversed());
        for (TopicCount count : counts) {
            best.add(new Scored(count, scorer.score(count)));
            if (best.size() > n) {
                best.poll();
            }
        }
        List<Scored> sorted = new ArrayList<>(best);
        sorted.sort(BEST_FIRST);
        List<Ranked> ranked = new ArrayList<>(sorted.size());
        for (int i = 0; i < sorted.size(); i++) {
            ranked.add(new Ranked(sorted.get(i).count(), sorted.get(i).score(), i + 1));
        }
        return ranked;
    }
}
