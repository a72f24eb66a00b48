package dev.socialpulse.flink.ads;

/**
 * A value of a key that holds in event time from {@link #validFrom()} until the next version's
 * {@code validFrom} ({@link Versions}).
 *
 * @param <V> the version type
 */
public interface Versioned<V> {

    long validFrom();

    /** Whether {@code other} holds the same value (its time aside). */
    boolean sameValueAs(V other);
}
