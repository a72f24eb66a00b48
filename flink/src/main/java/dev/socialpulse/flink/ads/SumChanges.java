package dev.socialpulse.flink.ads;

import dev.socialpulse.flink.common.EventTimeLag;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by row: sums the joins' changes to a row and emits the sum about every flush interval
 * (processing time, at the interval's boundaries, so all rows go out together), with the time it
 * was emitted. These are the early results: a row shows within a flush interval and a checkpoint of
 * its event. A sum that is all zeros with nobody reached (a conversion counted unattributed and
 * restated within the interval) is not emitted. The sum is forgotten once emitted.
 */
public class SumChanges extends KeyedProcessFunction<AdRow, AdChange, AdChange> {

    private final long flushIntervalMs;

    private transient ValueState<AdChangeSum> sum;
    private transient EventTimeLag eventTimeLag;

    public SumChanges(AdPerformanceSettings settings) {
        this.flushIntervalMs = settings.flushInterval().toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        eventTimeLag = EventTimeLag.register(getRuntimeContext().getMetricGroup());
        sum =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "change-sum", TypeInformation.of(AdChangeSum.class)));
    }

    @Override
    public void processElement(AdChange change, Context ctx, Collector<AdChange> out)
            throws Exception {
        eventTimeLag.update(ctx.timerService());
        AdChangeSum current = sum.value();
        if (current == null) {
            current = new AdChangeSum();
            long now = ctx.timerService().currentProcessingTime();
            ctx.timerService()
                    .registerProcessingTimeTimer(
                            now - Math.floorMod(now, flushIntervalMs) + flushIntervalMs);
            // Processing-time timers stop firing when a bounded input ends (or a job is drained),
            // and the last sums would be lost; the final watermark fires this one instead.
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        }
        current.add(change);
        sum.update(current);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AdChange> out)
            throws Exception {
        eventTimeLag.update(ctx.timerService());
        AdChangeSum current = sum.value();
        if (current == null) {
            return;
        }
        if (!current.isEmpty()) {
            out.collect(
                    current.toChange(
                            ctx.getCurrentKey(), ctx.timerService().currentProcessingTime()));
        }
        sum.clear();
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            ctx.timerService().deleteEventTimeTimer(Long.MAX_VALUE);
        }
    }
}
