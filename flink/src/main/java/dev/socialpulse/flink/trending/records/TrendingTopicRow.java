package dev.socialpulse.flink.trending.records;

/**
 * One row of the ClickHouse table {@code trending_topics}: a topic's place in the top N of one
 * window.
 *
 * <p>The table is a {@code ReplacingMergeTree(computed_at)} keyed by {@code (window_size,
 * window_end, topic)}, so a window recomputed after a restart replaces its earlier rows.
 *
 * @param windowSize the window length as a label, for example {@code 1m}
 * @param windowStartMillis window start, inclusive, epoch milliseconds
 * @param windowEndMillis window end, exclusive, epoch milliseconds
 * @param topic the normalised hashtag
 * @param mentions mentions in the window
 * @param score ranking score (see {@code TopicScorer})
 * @param rank place in the window's top N, 1-based
 * @param computedAtMillis processing time the row was computed at; the table's version column
 */
public record TrendingTopicRow(
        String windowSize,
        long windowStartMillis,
        long windowEndMillis,
        String topic,
        long mentions,
        double score,
        int rank,
        long computedAtMillis) {}
