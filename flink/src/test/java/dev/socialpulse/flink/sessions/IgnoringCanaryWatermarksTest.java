package dev.socialpulse.flink.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.socialpulse.flink.common.RecordingWatermarkOutput;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class IgnoringCanaryWatermarksTest {

    private final RecordingWatermarkOutput output = new RecordingWatermarkOutput();
    private final List<Long> emitted = output.emitted;

    // Ascending timestamps: the watermark is the latest event time it was given, minus 1 ms.
    private final WatermarkGenerator<SessionEvent> generator =
            new IgnoringCanaryWatermarks(WatermarkStrategy.<SessionEvent>forMonotonousTimestamps())
                    .createWatermarkGenerator(null);

    @Test
    void shouldMoveTheWatermarkForUsersEventsOnly() {
        generator.onEvent(event("user-1", 1_000), 1_000, output);
        generator.onEvent(event("CANARY:canary-1", 9_000), 9_000, output);
        generator.onPeriodicEmit(output);

        assertThat(emitted).containsExactly(999L);
    }

    @Test
    void shouldStartNoWatermarkForTheCanaryAlone() {
        generator.onEvent(event("CANARY:canary-1", 9_000), 9_000, output);
        generator.onPeriodicEmit(output);

        assertThat(emitted).allMatch(timestamp -> timestamp == Long.MIN_VALUE);
    }

    private static SessionEvent event(String visitor, long time) {
        return new SessionEvent(
                "0190f1c2-7a3b-7cde-8f01-000000000001",
                visitor,
                "",
                time,
                "user.page_viewed",
                "/",
                "desktop",
                "Linux",
                "FR");
    }
}
