package dev.socialpulse.flink.trending.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class WallClockBoundedWatermarksTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final List<Long> emitted = new ArrayList<>();
    private final WatermarkOutput output =
            new WatermarkOutput() {
                @Override
                public void emitWatermark(Watermark watermark) {
                    emitted.add(watermark.getTimestamp());
                }

                @Override
                public void markIdle() {}

                @Override
                public void markActive() {}
            };
    private final WallClockBoundedWatermarks<String> watermarks =
            new WallClockBoundedWatermarks<>(
                    Duration.ofSeconds(2), Duration.ofSeconds(5), now::get);

    @Test
    void shouldTrailTheLatestEventByTheOutOfOrdernessWhileEventsFlow() {
        watermarks.onEvent("a", 999_000, output);
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).containsExactly(999_000L - 2_000 - 1);
    }

    @Test
    void shouldFollowTheWallClockOnceThePartitionIsQuiet() {
        watermarks.onEvent("a", 999_000, output);
        now.addAndGet(6_000);
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).containsExactly(now.get() - 2_000 - 5_000);
    }

    @Test
    void shouldAdvanceAPartitionThatNeverSawAnEvent() {
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).isEmpty();
        now.addAndGet(5_000);
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).containsExactly(now.get() - 7_000);
    }

    @Test
    void shouldNeverMoveBackwards() {
        now.addAndGet(60_000);
        watermarks.onPeriodicEmit(output);
        long fromClock = emitted.get(0);
        watermarks.onEvent("old", fromClock - 30_000, output);
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).containsExactly(fromClock);
    }
}
