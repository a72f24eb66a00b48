package dev.socialpulse.flink.common;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/** A watermark generator's output that records what it was given, for tests of generators. */
public final class RecordingWatermarkOutput implements WatermarkOutput {

    /** The timestamps of the emitted watermarks, in order. */
    public final List<Long> emitted = new ArrayList<>();

    /** How often the generator marked its input idle. */
    public final AtomicInteger idleMarks = new AtomicInteger();

    @Override
    public void emitWatermark(Watermark watermark) {
        emitted.add(watermark.getTimestamp());
    }

    @Override
    public void markIdle() {
        idleMarks.incrementAndGet();
    }

    @Override
    public void markActive() {}
}
