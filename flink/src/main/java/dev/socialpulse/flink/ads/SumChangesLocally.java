package dev.socialpulse.flink.ads;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Chained to a join's output: sums its changes per row in memory and sends on the sums, so that
 * about one record per row and flush interval is shuffled to {@link SumChanges} instead of one per
 * event (Flink SQL's mini-batch local aggregation). {@link SumChanges} still merges what the join's
 * parallel instances send it.
 *
 * <p>The sums go out every flush interval (processing time), half an interval before {@link
 * SumChanges} emits, so that a change waits at most half an interval longer than without this
 * stage; before every checkpoint barrier, so that nothing held here crosses a checkpoint (the sums
 * are in the checkpoint's stream before its barrier, exactly once, and this stage has no state);
 * and before the final watermark, which fires {@link SumChanges}' last emission when a bounded
 * input ends. A sum that is all zeros with nobody reached is not sent.
 */
public class SumChangesLocally extends AbstractStreamOperator<AdChange>
        implements OneInputStreamOperator<AdChange, AdChange> {

    private final long flushIntervalMs;

    private transient Map<AdRow, AdChangeSum> sums;
    private transient StreamRecord<AdChange> outRecord;
    private transient boolean flushScheduled;

    public SumChangesLocally(AdPerformanceSettings settings) {
        this.flushIntervalMs = settings.flushInterval().toMillis();
    }

    @Override
    public void open() throws Exception {
        super.open();
        sums = new HashMap<>();
        outRecord = new StreamRecord<>(null);
    }

    @Override
    public void processElement(StreamRecord<AdChange> element) {
        AdChange change = element.getValue();
        AdChangeSum sum = sums.get(change.row());
        if (sum == null) {
            sum = new AdChangeSum();
            sums.put(change.row(), sum);
        }
        sum.add(change);
        if (!flushScheduled) {
            flushScheduled = true;
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService()
                    .registerTimer(
                            nextFlush(now),
                            time -> {
                                flushScheduled = false;
                                flush();
                            });
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flush();
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() == Long.MAX_VALUE) {
            flush();
        }
        super.processWatermark(mark);
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    /** The next emission after {@code now}: half an interval past one of {@link SumChanges}'. */
    private long nextFlush(long now) {
        long half = flushIntervalMs / 2;
        return now - Math.floorMod(now - half, flushIntervalMs) + flushIntervalMs;
    }

    private void flush() {
        if (sums.isEmpty()) {
            return;
        }
        for (Map.Entry<AdRow, AdChangeSum> entry : sums.entrySet()) {
            if (!entry.getValue().isEmpty()) {
                output.collect(outRecord.replace(entry.getValue().toChange(entry.getKey(), 0)));
            }
        }
        sums.clear();
    }
}
