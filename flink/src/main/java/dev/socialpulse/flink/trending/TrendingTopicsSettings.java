package dev.socialpulse.flink.trending;

import java.time.Duration;

/**
 * How {@link TrendingTopicsJob} computes: windows, watermarks, the size of the top N and
 * checkpointing. Where it reads from and writes to is given by its source and sink.
 *
 * @param windowSize length of a sliding window
 * @param windowSlide how often a window starts; at most {@code windowSize}
 * @param outOfOrderness how far behind the newest event time an event may be and still count
 * @param idleness after this long without events a Kafka partition no longer holds back the
 *     watermark
 * @param topN topics emitted per window
 * @param checkpointInterval time between checkpoints
 */
public record TrendingTopicsSettings(
        Duration windowSize,
        Duration windowSlide,
        Duration outOfOrderness,
        Duration idleness,
        int topN,
        Duration checkpointInterval) {

    /** The largest top N; {@code rank} is a {@code UInt16} column. */
    public static final int MAX_TOP_N = 10_000;

    public TrendingTopicsSettings {
        requirePositive(windowSize, "windowSize");
        requirePositive(windowSlide, "windowSlide");
        if (windowSlide.compareTo(windowSize) > 0) {
            throw new IllegalArgumentException(
                    "windowSlide ("
                            + windowSlide
                            + ") must not exceed windowSize ("
                            + windowSize
                            + ")");
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
        requirePositive(checkpointInterval, "checkpointInterval");
    }

    /**
     * The window length as the {@code window_size} label of the rows: {@code 1m}, {@code 30s},
     * {@code 1h}; the largest whole unit.
     */
    public String windowSizeLabel() {
        long seconds = windowSize.toSeconds();
        if (windowSize.toMillis() % 1000 != 0) {
            return windowSize.toMillis() + "ms";
        } else if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        } else if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
    }
}
