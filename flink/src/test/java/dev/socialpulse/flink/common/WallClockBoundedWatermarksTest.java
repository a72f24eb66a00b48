package dev.socialpulse.flink.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class WallClockBoundedWatermarksTest {

    /** Wall clock and input activity clock; they run together unless a test stalls the input. */
    private final AtomicLong now = new AtomicLong(1_000_000);

    private final AtomicLong activity = new AtomicLong(0);
    private final RecordingWatermarkOutput output = new RecordingWatermarkOutput();
    private final List<Long> emitted = output.emitted;
    private final AtomicInteger idleMarks = output.idleMarks;
    private final WallClockBoundedWatermarks<String> watermarks =
            new WallClockBoundedWatermarks<>(
                    Duration.ofSeconds(2), Duration.ofSeconds(5), now::get, activity::get);

    private void advance(long millis) {
        now.addAndGet(millis);
        activity.addAndGet(millis);
    }

    @Test
    void shouldTrailTheLatestEventByTheOutOfOrdernessWhileEventsFlow() {
        watermarks.onEvent("a", 999_000, output);
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).containsExactly(999_000L - 2_000 - 1);
    }

    @Test
    void shouldFollowTheWallClockOnceACaughtUpPartitionIsQuiet() {
        watermarks.onEvent("a", 999_000, output);
        advance(6_000);
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).containsExactly(now.get() - 2_000 - 5_000);
    }

    @Test
    void shouldNotOvertakeAPartitionReplayingABacklog() {
        // Read 20 minutes after the collector stamped it: a replay, not live traffic.
        watermarks.onEvent("old", now.get() - 20 * 60_000, output);
        advance(6_000);
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).containsExactly(now.get() - 6_000 - 20 * 60_000 - 2_000 - 1);
        advance(60_000);
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).hasSize(1);
        assertThat(idleMarks.get()).isPositive();
    }

    @Test
    void shouldNotTakeABackpressuredReadForAQuietPartition() {
        watermarks.onEvent("a", 999_000, output);
        // The wall clock runs on; the input activity clock stands still while the source is
        // blocked.
        now.addAndGet(60_000);
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).containsExactly(999_000L - 2_000 - 1);
        assertThat(idleMarks.get()).isZero();
    }

    @Test
    void
            shouldMarkAPartitionThatNeverSawAnEventIdleOnlyAfterTheFirstEventGraceWithoutAdvancingIt() {
        watermarks.onPeriodicEmit(output);
        // Quiet for longer than quietAfter (5 s): a reader may still be fetching its first records.
        advance(WallClockBoundedWatermarks.FIRST_EVENT_GRACE.toMillis() - 1);
        watermarks.onPeriodicEmit(output);
        assertThat(idleMarks.get()).isZero();
        advance(1);
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).isEmpty();
        assertThat(idleMarks.get()).isPositive();
    }

    @Test
    void shouldNeverMoveBackwards() {
        watermarks.onEvent("a", now.get(), output);
        advance(60_000);
        watermarks.onPeriodicEmit(output);
        long fromClock = emitted.get(emitted.size() - 1);
        watermarks.onEvent("old", fromClock - 30_000, output);
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).last().isEqualTo(fromClock);
    }
}
