package dev.socialpulse.flink.sessions;

import dev.socialpulse.flink.common.CanaryEvents;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * A watermark strategy that the canary's events do not move: they go through the sessions like any
 * visitor's, but when users' sessions close and seal must not depend on whether the canary runs
 * (its events every few seconds would otherwise start the watermark on a platform without traffic,
 * and make older events of real users late).
 */
final class IgnoringCanaryWatermarks implements WatermarkStrategy<SessionEvent> {

    private static final long serialVersionUID = 1L;

    private final WatermarkStrategy<SessionEvent> strategy;

    IgnoringCanaryWatermarks(WatermarkStrategy<SessionEvent> strategy) {
        this.strategy = strategy;
    }

    @Override
    public TimestampAssigner<SessionEvent> createTimestampAssigner(
            TimestampAssignerSupplier.Context context) {
        return strategy.createTimestampAssigner(context);
    }

    @Override
    public WatermarkGenerator<SessionEvent> createWatermarkGenerator(
            WatermarkGeneratorSupplier.Context context) {
        WatermarkGenerator<SessionEvent> generator = strategy.createWatermarkGenerator(context);
        return new WatermarkGenerator<>() {
            @Override
            public void onEvent(SessionEvent event, long timestamp, WatermarkOutput output) {
                if (!CanaryEvents.isCanaryId(event.visitor())) {
                    generator.onEvent(event, timestamp, output);
                }
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                generator.onPeriodicEmit(output);
            }
        };
    }
}
