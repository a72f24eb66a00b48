package dev.socialpulse.flink.common;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Bounded out-of-orderness watermarks that keep moving when a live partition goes quiet, and never
 * overtake a partition that is catching up.
 *
 * <p>Flink's idleness only stops a quiet partition from holding the others back; when every
 * partition is quiet the watermark stands still and the last windows never fire, so a trend would
 * not show until more traffic came. Event times here are stamped by the collector and are never
 * later than the moment it received the event, so a partition that was caught up (its newest event
 * read within {@code outOfOrderness + quietAfter} of its event time) and then stays quiet for
 * {@code quietAfter} may follow the wall clock, {@code outOfOrderness + quietAfter} behind it: no
 * event it reads later can be older than that, unless it is late by the usual rule too.
 *
 * <p>A partition replaying a backlog (after a restart, or a job started on old data) is not caught
 * up: following the wall clock would make all its remaining events late. Quiet there means idle
 * (the others are not held back) but never a wall-clock watermark. Quiet is measured on the input
 * activity clock, which stands still while the source is backpressured, so a stalled read does not
 * count as a quiet partition either. A partition that has seen no event is idle too, but only after
 * {@link #FIRST_EVENT_GRACE}: after a start or a restart its reader may take seconds to fetch the
 * first records, and idle at once it would let the others' watermark pass records it has not read
 * yet (the ads job would then tag replayed ad events before reading the identify that precedes
 * them).
 */
public class WallClockBoundedWatermarks<T> implements WatermarkGenerator<T> {

    /** How long a partition that has seen no event yet may hold the others back. */
    public static final Duration FIRST_EVENT_GRACE = Duration.ofSeconds(10);

    private final long outOfOrdernessMs;
    private final long quietAfterMs;
    private final LongSupplier wallClock;
    private final LongSupplier activityClock;
    private long maxTimestamp = Long.MIN_VALUE;
    private long lastEventActivity;
    private boolean caughtUp;
    private long lastEmitted = Long.MIN_VALUE;

    /**
     * The jobs' watermark strategy: these watermarks per source split (Kafka partition), on the
     * wall clock and Flink's input activity clock, with the event times {@code timestamps} gives.
     * The generator is serialized into the job graph: it captures the two Durations only.
     */
    public static <T> WatermarkStrategy<T> strategy(
            Duration outOfOrderness,
            Duration quietAfter,
            SerializableTimestampAssigner<T> timestamps) {
        return WatermarkStrategy.<T>forGenerator(
                        context ->
                                new WallClockBoundedWatermarks<>(
                                        outOfOrderness,
                                        quietAfter,
                                        System::currentTimeMillis,
                                        context.getInputActivityClock()::relativeTimeMillis))
                .withTimestampAssigner(timestamps);
    }

    /**
     * @param wallClock the time event times are stamped in: milliseconds since the epoch
     * @param activityClock milliseconds that do not advance while the source is backpressured
     *     (Flink's input activity clock)
     */
    public WallClockBoundedWatermarks(
            Duration outOfOrderness,
            Duration quietAfter,
            LongSupplier wallClock,
            LongSupplier activityClock) {
        this.outOfOrdernessMs = outOfOrderness.toMillis();
        this.quietAfterMs = quietAfter.toMillis();
        this.wallClock = wallClock;
        this.activityClock = activityClock;
        this.lastEventActivity = activityClock.getAsLong();
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
        lastEventActivity = activityClock.getAsLong();
        caughtUp = wallClock.getAsLong() - maxTimestamp <= outOfOrdernessMs + quietAfterMs;
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long candidate =
                maxTimestamp == Long.MIN_VALUE
                        ? Long.MIN_VALUE
                        : maxTimestamp - outOfOrdernessMs - 1;
        long quietAfter =
                maxTimestamp == Long.MIN_VALUE
                        ? Math.max(quietAfterMs, FIRST_EVENT_GRACE.toMillis())
                        : quietAfterMs;
        boolean quiet = activityClock.getAsLong() - lastEventActivity >= quietAfter;
        if (quiet && caughtUp) {
            candidate =
                    Math.max(candidate, wallClock.getAsLong() - outOfOrdernessMs - quietAfterMs);
        }
        // Watermarks never go back, whichever of the two bounds gave the last one.
        if (candidate > lastEmitted) {
            lastEmitted = candidate;
            output.emitWatermark(new Watermark(candidate));
        } else if (quiet && !caughtUp) {
            output.markIdle();
        }
    }
}
