package dev.socialpulse.flink.trending.records;

/**
 * One topic in one window of one horizon, with every part of its score; what the ranking receives.
 *
 * @param horizon the horizon's label, for example {@code 1m}
 * @param windowStartMillis window start, inclusive, epoch milliseconds
 * @param windowEndMillis window end, exclusive, epoch milliseconds
 * @param topic the normalised hashtag
 * @param mentions mentions counted: deduplicated, bot-flagged events excluded
 * @param uniqueAuthors distinct authors among them
 * @param weightedMentions W: the mentions after the per-author cap
 * @param botMentions mentions from bot-flagged events, not counted
 * @param baseline B: the topic's trailing baseline of W per window of this horizon
 * @param velocity V = (W + k) / (B + k)
 * @param score ln(1 + W) × V
 */
public record TopicWindowStats(
        String horizon,
        long windowStartMillis,
        long windowEndMillis,
        String topic,
        long mentions,
        int uniqueAuthors,
        double weightedMentions,
        long botMentions,
        double baseline,
        double velocity,
        double score) {

    /** The share of the mentions removed by the per-author cap, 0 to 1. */
    public double damping() {
        return mentions == 0 ? 0.0 : Math.max(0.0, 1.0 - weightedMentions / mentions);
    }
}
