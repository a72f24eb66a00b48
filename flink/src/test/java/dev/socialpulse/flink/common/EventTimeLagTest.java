package dev.socialpulse.flink.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.socialpulse.flink.testing.RecordingMetricGroup;
import org.apache.flink.streaming.api.TimerService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class EventTimeLagTest {

    private static final long NOW = 1_795_000_000_000L;

    private final RecordingMetricGroup metrics = new RecordingMetricGroup();
    private EventTimeLag lag;

    @BeforeEach
    void setUp() {
        lag = EventTimeLag.register(metrics);
    }

    @Test
    void shouldRegisterItselfUnderItsNameOnTheOperatorsGroup() {
        assertThat(EventTimeLag.METRIC).isEqualTo("eventTimeLagMs");
        assertThat(metrics.gaugeValue(EventTimeLag.METRIC)).isEqualTo(0L);
    }

    @Test
    void shouldBeProcessingTimeMinusTheWatermark() {
        lag.update(NOW, NOW - 2_500);

        assertThat(metrics.gaugeValue(EventTimeLag.METRIC)).isEqualTo(2_500L);
    }

    @Test
    void shouldKeepTheLagOfTheLatestUpdateUntilTheNext() {
        lag.update(NOW, NOW - 40_000);
        assertThat(lag.getValue()).isEqualTo(40_000L);
        assertThat(lag.getValue()).isEqualTo(40_000L);

        lag.update(NOW + 1_000, NOW + 500);

        assertThat(lag.getValue()).isEqualTo(500L);
    }

    @Test
    void shouldReadZeroBeforeTheFirstWatermark() {
        lag.update(NOW, NOW - 1_000);
        lag.update(NOW, Long.MIN_VALUE);

        assertThat(lag.getValue()).isZero();
    }

    @Test
    void shouldReadZeroForAWatermarkAheadOfTheClockOrAtTheEndOfInput() {
        lag.update(NOW, NOW + 3_000);
        assertThat(lag.getValue()).isZero();

        lag.update(NOW, Long.MAX_VALUE);
        assertThat(lag.getValue()).isZero();
    }

    @Test
    void shouldTakeTheTimeAndWatermarkOfAProcessFunctionsTimerService() {
        lag.update(timers(NOW, NOW - 750));

        assertThat(lag.getValue()).isEqualTo(750L);
    }

    /** A timer service that only tells the time and the watermark. */
    private static TimerService timers(long processingTime, long watermark) {
        return new TimerService() {
            @Override
            public long currentProcessingTime() {
                return processingTime;
            }

            @Override
            public long currentWatermark() {
                return watermark;
            }

            @Override
            public void registerProcessingTimeTimer(long time) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void registerEventTimeTimer(long time) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void deleteProcessingTimeTimer(long time) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void deleteEventTimeTimer(long time) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
