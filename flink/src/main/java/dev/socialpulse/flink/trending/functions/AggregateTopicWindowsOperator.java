package dev.socialpulse.flink.trending.functions;

import dev.socialpulse.flink.trending.records.Mention;
import dev.socialpulse.flink.trending.records.TopicWindowStats;
import org.apache.flink.runtime.event.WatermarkEvent;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.Output;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.LatencyMarker;
import org.apache.flink.streaming.runtime.streamrecord.RecordAttributes;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.util.OutputTag;

/**
 * {@link AggregateTopicWindows} that sends on only its subtask's best N topics of each window (see
 * {@link WindowCandidates}), instead of every topic with a mention: with 1-second slides a busy
 * subtask would otherwise send every active topic to the ranking every second.
 *
 * <p>A window's topics are emitted by its timers while a watermark is processed; they are held, and
 * the window's best N go out just before that watermark is forwarded, stamped with the window's
 * last millisecond, so the ranking receives them in time. Whatever is still held (timers that a
 * checkpoint interrupted) goes out before the checkpoint barrier, so a snapshot never holds topics:
 * an early batch is the top N of what it covers, which keeps the union exact.
 */
public class AggregateTopicWindowsOperator
        extends KeyedProcessOperator<String, Mention, TopicWindowStats> {

    private static final long serialVersionUID = 1L;

    private final int topN;
    private transient WindowCandidates candidates;
    private transient Output<StreamRecord<TopicWindowStats>> downstream;

    public AggregateTopicWindowsOperator(AggregateTopicWindows function, int topN) {
        super(function);
        this.topN = topN;
    }

    @Override
    public void open() throws Exception {
        candidates = new WindowCandidates(topN);
        downstream = output;
        // Before super.open(), which hands `output` to the function's collector.
        output = new HoldingOutput();
        super.open();
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        sendUpTo(Long.MAX_VALUE);
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        super.finish();
        sendUpTo(Long.MAX_VALUE);
    }

    private void sendUpTo(long endMillis) {
        candidates.sendUpTo(
                endMillis,
                stats ->
                        downstream.collect(new StreamRecord<>(stats, stats.windowEndMillis() - 1)));
    }

    /** Holds the function's topics; sends a window's best N before the watermark that fired it. */
    private final class HoldingOutput implements Output<StreamRecord<TopicWindowStats>> {

        @Override
        public void collect(StreamRecord<TopicWindowStats> record) {
            candidates.offer(record.getValue());
        }

        @Override
        public void emitWatermark(Watermark mark) {
            // The window ending at e fired at watermark e - 1.
            long firedUpTo =
                    mark.getTimestamp() == Long.MAX_VALUE
                            ? Long.MAX_VALUE
                            : mark.getTimestamp() + 1;
            sendUpTo(firedUpTo);
            downstream.emitWatermark(mark);
        }

        @Override
        public void emitWatermarkStatus(WatermarkStatus status) {
            downstream.emitWatermarkStatus(status);
        }

        @Override
        public <X> void collect(OutputTag<X> tag, StreamRecord<X> record) {
            downstream.collect(tag, record);
        }

        @Override
        public void emitLatencyMarker(LatencyMarker marker) {
            downstream.emitLatencyMarker(marker);
        }

        @Override
        public void emitRecordAttributes(RecordAttributes attributes) {
            downstream.emitRecordAttributes(attributes);
        }

        @Override
        public void emitWatermark(WatermarkEvent watermark) {
            downstream.emitWatermark(watermark);
        }

        @Override
        public void close() {
            downstream.close();
        }
    }
}
