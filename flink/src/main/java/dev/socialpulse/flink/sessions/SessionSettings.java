package dev.socialpulse.flink.sessions;

import java.io.Serializable;
import java.time.Duration;

/**
 * How sessions are cut and reported.
 *
 * @param gap a visitor inactive this long has ended the session: two events exactly {@code gap}
 *     apart are in different sessions
 * @param maxLength a session never spans this long; the next event starts a new one
 * @param allowedLateness after a session closes (the watermark passed its end plus the gap), late
 *     events still update it for this long; then the session is sealed and later events for its
 *     time are counted as too late (the archive keeps them)
 * @param earlyFiringInterval how often a session in progress is reported (processing time)
 * @param outOfOrderness bounded out-of-orderness of the watermarks
 * @param idleness a caught-up partition quiet this long lets its watermark follow the wall clock
 * @param checkpointInterval the sink commits at checkpoints: rows show at most this late
 */
public record SessionSettings(
        Duration gap,
        Duration maxLength,
        Duration allowedLateness,
        Duration earlyFiringInterval,
        Duration outOfOrderness,
        Duration idleness,
        Duration checkpointInterval)
        implements Serializable {

    /** The usual web analytics definition: 30 minutes of inactivity end a visit. */
    public static final Duration DEFAULT_GAP = Duration.ofMinutes(30);

    /** A tab left open on an auto-refreshing page, or a crawler, ends here. */
    public static final Duration DEFAULT_MAX_LENGTH = Duration.ofHours(4);

    /** The SDK retries unsent batches with backoff for up to a minute; five covers a reconnect. */
    public static final Duration DEFAULT_ALLOWED_LATENESS = Duration.ofMinutes(5);

    /**
     * A session in progress shows after the next early firing and the checkpoint after it (the sink
     * commits at checkpoints): 1 s and 3 s keep "active now" within the 5-second goal.
     */
    public static final Duration DEFAULT_EARLY_FIRING_INTERVAL = Duration.ofSeconds(1);

    public static final Duration DEFAULT_OUT_OF_ORDERNESS = Duration.ofSeconds(5);
    public static final Duration DEFAULT_IDLENESS = Duration.ofSeconds(1);

    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(3);

    public SessionSettings {
        positive("gap", gap);
        positive("maxLength", maxLength);
        notNegative("allowedLateness", allowedLateness);
        positive("earlyFiringInterval", earlyFiringInterval);
        notNegative("outOfOrderness", outOfOrderness);
        positive("idleness", idleness);
        positive("checkpointInterval", checkpointInterval);
        if (maxLength.compareTo(gap) <= 0) {
            throw new IllegalArgumentException(
                    "maxLength must be longer than the gap, got " + maxLength + " <= " + gap);
        }
    }

    public static SessionSettings defaults() {
        return new SessionSettings(
                DEFAULT_GAP,
                DEFAULT_MAX_LENGTH,
                DEFAULT_ALLOWED_LATENESS,
                DEFAULT_EARLY_FIRING_INTERVAL,
                DEFAULT_OUT_OF_ORDERNESS,
                DEFAULT_IDLENESS,
                DEFAULT_CHECKPOINT_INTERVAL);
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    private static void notNegative(String name, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
    }
}
