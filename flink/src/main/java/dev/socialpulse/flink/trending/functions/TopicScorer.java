package dev.socialpulse.flink.trending.functions;

import dev.socialpulse.flink.trending.records.TopicCount;
import java.io.Serializable;

/**
 * Scores a topic in one window; the top N of a window are the N highest scores.
 *
 * <p>Kept apart from the ranking so that scoring can grow (recency, spam damping) without touching
 * the window and top-N plumbing. Implementations must return a finite number and be deterministic,
 * so that a window recomputed after a restart ranks the same.
 */
@FunctionalInterface
public interface TopicScorer extends Serializable {

    double score(TopicCount count);
}
