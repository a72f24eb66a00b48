package dev.socialpulse.flink.trending.functions;

import dev.socialpulse.flink.trending.records.TopicWindowStats;
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

    /** Best first. */
    public static final Comparator<TopicWindowStats> BEST_FIRST =
            Comparator.comparingDouble(TopicWindowStats::score)
                    .reversed()
                    .thenComparing(Comparator.comparingLong(TopicWindowStats::mentions).reversed())
                    .thenComparing(TopicWindowStats::topic);

    private TopTopics() {}

    /**
     * @param topics the topics of one window, one each, in any order
     * @param n how many to keep, at least 1
     * @return at most {@code n} topics, best first (rank = index + 1)
     */
    public static List<TopicWindowStats> select(Iterable<TopicWindowStats> topics, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, got " + n);
        }
        // A min-heap of the best n seen so far: O(topics * log n) for a window of many topics.
        PriorityQueue<TopicWindowStats> best = new PriorityQueue<>(n + 1, BEST_FIRST.reversed());
        for (TopicWindowStats topic : topics) {
            best.add(topic);
            if (best.size() > n) {
                best.poll();
            }
        }
        List<TopicWindowStats> sorted = new ArrayList<>(best);
        sorted.sort(BEST_FIRST);
        return sorted;
    }
}
