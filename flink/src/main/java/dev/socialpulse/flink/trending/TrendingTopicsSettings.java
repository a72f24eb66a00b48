package dev.socialpulse.flink.trending;

import dev.socialpulse.flink.trending.functions.TrendingScore;
import java.time.Duration;
import java.util.List;

/**
 * How {@link TrendingTopicsJob} computes: horizons, watermarks, the score, deduplication, the size
 * of the top N and checkpointing. Where it reads from and writes to is given by its source and
 * sink.
 *
 * @param horizons the trending horizons (in production {@link TrendingHorizon#fromClasspath()}),
 *     labels distinct
 * @param outOfOrderness how far behind the newest event time an event may be and still count
 * @param idleness after this long without events a Kafka partition no longer holds back the
 *     watermark
 * @param topN topics emitted per window
 * @param score the score's parameters
 * @param dedupTtl how long an event id is remembered to drop its duplicates; longer than the
 *     largest window plus the out-of-orderness
 * @param checkpointInterval time between checkpoints
 */
public record TrendingTopicsSettings(
        List<TrendingHorizon> horizons,
        Duration outOfOrderness,
        Duration idleness,
        int topN,
        TrendingScore score,
        Duration dedupTtl,
        Duration checkpointInterval) {

    /** The largest top N; {@code rank} is a {@code UInt16} column. */
    public static final int MAX_TOP_N = 10_000;

    public TrendingTopicsSettings {
        if (horizons == null || horizons.isEmpty()) {
            throw new IllegalArgumentException("at least one horizon is needed");
        }
        horizons = List.copyOf(horizons);
        if (horizons.stream().map(TrendingHorizon::label).distinct().count() != horizons.size()) {
            throw new IllegalArgumentException("horizon labels must be distinct: " + horizons);
        }
        if (outOfOrderness == null || outOfOrderness.isNegative()) {
            throw new IllegalArgumentException(
                    "outOfOrderness must not be negative, got " + outOfOrderness);
        }
        requirePositive(idleness, "idleness");
        if (topN < 1 || topN > MAX_TOP_N) {
            throw new IllegalArgumentException(
                    "topN must be between 1 and " + MAX_TOP_N + ", got " + topN);
        }
        if (score == null) {
            throw new IllegalArgumentException("score must be given");
        }
        requirePositive(dedupTtl, "dedupTtl");
        Duration needed = largestWindow(horizons).plus(outOfOrderness);
        if (dedupTtl.compareTo(needed) <= 0) {
            throw new IllegalArgumentException(
                    "dedupTtl ("
                            + dedupTtl
                            + ") must exceed the largest window plus the out-of-orderness ("
                            + needed
                            + "), or a late duplicate could count twice");
        }
        requirePositive(checkpointInterval, "checkpointInterval");
    }

    /** The longest window of the horizons. */
    public Duration largestWindow() {
        return largestWindow(horizons);
    }

    private static Duration largestWindow(List<TrendingHorizon> horizons) {
        return horizons.stream()
                .map(TrendingHorizon::window)
                .max(Duration::compareTo)
                .orElseThrow();
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
    }
}
