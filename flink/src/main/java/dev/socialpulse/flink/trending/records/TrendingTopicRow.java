package dev.socialpulse.flink.trending.records;

/**
 * One row of the ClickHouse table {@code trending_topics}: a topic's place in the top N of one
 * window of one horizon, with the parts of its score.
 *
 * <p>A window's whole list is written together with one {@code computed_at} (the generation). The
 * table is a {@code ReplacingMergeTree(computed_at)} ordered by {@code (window_size, window_end,
 * rank)} and readers take, per window, only the rows of the greatest {@code computed_at}: a window
 * recomputed after a restart replaces its whole list, and a topic that fell out of the top N
 * disappears.
 *
 * @param windowSize the horizon's label, for example {@code 1m}
 * @param windowStartMillis window start, inclusive, epoch milliseconds
 * @param windowEndMillis window end, exclusive, epoch milliseconds
 * @param rank place in the window's top N, 1-based, in score order
 * @param topic the normalised hashtag
 * @param score the final score, ln(1 + W) × V
 * @param mentions mentions counted: deduplicated by event id, bot-flagged events excluded
 * @param uniqueAuthors distinct authors among them
 * @param weightedMentions W: the mentions after the per-author cap
 * @param damping share of the mentions removed by the per-author cap, 1 - W / mentions
 * @param botMentions mentions from bot-flagged events, not counted
 * @param baseline B: the topic's trailing baseline of W per window of this horizon
 * @param velocity V = (W + k) / (B + k)
 * @param computedAtMillis processing time the window's list was computed at; the same for every row
 *     of the list; the table's version column
 */
public record TrendingTopicRow(
        String windowSize,
        long windowStartMillis,
        long windowEndMillis,
        int rank,
        String topic,
        double score,
        long mentions,
        int uniqueAuthors,
        double weightedMentions,
        double damping,
        long botMentions,
        double baseline,
        double velocity,
        long computedAtMillis) {

    /** The row for {@code stats} at {@code rank} in a list computed at {@code computedAtMillis}. */
    public static TrendingTopicRow of(TopicWindowStats stats, int rank, long computedAtMillis) {
        return new TrendingTopicRow(
                stats.horizon(),
                stats.windowStartMillis(),
                stats.windowEndMillis(),
                rank,
                stats.topic(),
                stats.score(),
                stats.mentions(),
                stats.uniqueAuthors(),
                stats.weightedMentions(),
                stats.damping(),
                stats.botMentions(),
                stats.baseline(),
                stats.velocity(),
                computedAtMillis);
    }
}
