package dev.socialpulse.flink.trending.functions;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness watermarks that keep moving when a partition goes quiet.
 *
 * <p>Flink's idleness only stops a quiet partition from holding the others back; when every
 * partition is quiet the watermark stands still and the last windows never fire, so a trend would
 * not show until more traffic came. Event times here are stamped by the collector and are never
 * later than the moment it received the event, so after {@code quietAfter} without events the
 * watermark may follow the wall clock, {@code outOfOrderness + quietAfter} behind it. An event
 * older than that still counts as late, as with any watermark.
 */
public class WallClockBoundedWatermarks<T> implements WatermarkGenerator<T> {

    private final long outOfOrdernessMs;
    private final long quietAfterMs;
    private final LongSupplier clock;
    private long maxTimestamp = Long.MIN_VALUE;
    private long lastEventAt;
    private long lastEmitted = Long.MIN_VALUE;

    public WallClockBoundedWatermarks(Duration outOfOrderness, Duration quietAfter) {
        this(outOfOrderness, quietAfter, System::currentTimeMillis);
    }

    public WallClockBoundedWatermarks(
            Duration outOfOrderness, Duration quietAfter, LongSupplier clock) {
        this.outOfOrdernessMs = outOfOrderness.toMillis();
        this.quietAfterMs = quietAfter.toMillis();
        this.clock = clock;
        this.lastEventAt = clock.getAsLong();
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
        lastEventAt = clock.getAsLong();
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long candidate =
                maxTimestamp == Long.MIN_VALUE
                        ? Long.MIN_VALUE
                        : maxTimestamp - outOfOrdernessMs - 1;
        long now = clock.getAsLong();
        if (now - lastEventAt >= quietAfterMs) {
            candidate = Math.max(candidate, now - outOfOrdernessMs - quietAfterMs);
        }
        // Watermarks never go back, whichever of the two bounds gave the last one.
        if (candidate > lastEmitted) {
            lastEmitted = candidate;
            output.emitWatermark(new Watermark(candidate));
        }
    }
}
