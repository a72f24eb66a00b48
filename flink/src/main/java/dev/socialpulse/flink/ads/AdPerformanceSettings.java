package dev.socialpulse.flink.ads;

import java.io.Serializable;
import java.time.Duration;

/**
 * How ad events are joined, attributed and reported.
 *
 * @param clickWindow a click is attributed to its impression if it came at most this long after it
 *     (exactly this long included)
 * @param attributionWindow a conversion is credited to its click if it came at most this long after
 *     it (exactly this long included)
 * @param allowedLateness an ad event the watermark has passed by less than this is still counted
 *     (at once); a later one is counted as too late and dropped (the archive keeps it). Also how
 *     long a superseded profile or link version is kept, and how long past the windows the joins
 *     keep their state
 * @param profileTtl an anonymous id's link and a user's profile are forgotten this long after the
 *     last {@code user.identified} that set them (processing time)
 * @param flushInterval how often the summed changes are emitted (processing time)
 * @param outOfOrderness bounded out-of-orderness of the watermarks
 * @param idleness a caught-up partition quiet this long lets its watermark follow the wall clock
 * @param checkpointInterval the sink commits at checkpoints: rows show at most this late
 */
public record AdPerformanceSettings(
        Duration clickWindow,
        Duration attributionWindow,
        Duration allowedLateness,
        Duration profileTtl,
        Duration flushInterval,
        Duration outOfOrderness,
        Duration idleness,
        Duration checkpointInterval)
        implements Serializable {

    /** A click long after the ad was shown is a return visit, not the ad's doing. */
    public static final Duration DEFAULT_CLICK_WINDOW = Duration.ofMinutes(30);

    /** The usual post-click attribution window of ad platforms. */
    public static final Duration DEFAULT_ATTRIBUTION_WINDOW = Duration.ofDays(7);

    /** The SDK retries unsent batches with backoff for up to a minute; five covers a reconnect. */
    public static final Duration DEFAULT_ALLOWED_LATENESS = Duration.ofMinutes(5);

    /** Users sign in at least monthly, or their demographics go stale anyway. */
    public static final Duration DEFAULT_PROFILE_TTL = Duration.ofDays(30);

    /**
     * An ad event shows once the watermark passed it (the out-of-orderness behind the newest event,
     * or the out-of-orderness and the idleness behind the wall clock when traffic pauses), at the
     * next flush and the checkpoint after it (the sink commits at checkpoints). Half a second each
     * and a checkpoint a second keep an event visible in the API within 5 s (goal p95;
     * bench/ads-latency.bench.ts); at 1 s, 1 s, 1 s and 2 s the p95 was 5.6 s.
     */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(500);

    public static final Duration DEFAULT_OUT_OF_ORDERNESS = Duration.ofMillis(500);
    public static final Duration DEFAULT_IDLENESS = Duration.ofMillis(500);
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

    /**
     * The longest any setting may be: event times plus a window, the lateness and a TTL stay far
     * from overflowing a long of milliseconds.
     */
    public static final Duration MAX_DURATION = Duration.ofDays(3650);

    public AdPerformanceSettings {
        positive("clickWindow", clickWindow);
        positive("attributionWindow", attributionWindow);
        notNegative("allowedLateness", allowedLateness);
        positive("profileTtl", profileTtl);
        positive("flushInterval", flushInterval);
        notNegative("outOfOrderness", outOfOrderness);
        positive("idleness", idleness);
        positive("checkpointInterval", checkpointInterval);
    }

    public static AdPerformanceSettings defaults() {
        return new AdPerformanceSettings(
                DEFAULT_CLICK_WINDOW,
                DEFAULT_ATTRIBUTION_WINDOW,
                DEFAULT_ALLOWED_LATENESS,
                DEFAULT_PROFILE_TTL,
                DEFAULT_FLUSH_INTERVAL,
                DEFAULT_OUT_OF_ORDERNESS,
                DEFAULT_IDLENESS,
                DEFAULT_CHECKPOINT_INTERVAL);
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        atMostMax(name, value);
    }

    private static void notNegative(String name, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
        atMostMax(name, value);
    }

    private static void atMostMax(String name, Duration value) {
        if (value.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(
                    name + " must be at most " + MAX_DURATION + ", got " + value);
        }
    }
}
