package dev.socialpulse.flink.clickhouse;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Buffers rows as {@code JSONEachRow} lines and inserts them with one HTTP request per flush.
 *
 * <p>Flushes when the buffer holds {@link ClickHouseSinkConfig#maxBufferedRows()} rows, on a
 * processing-time timer every {@link ClickHouseSinkConfig#flushInterval()}, and whenever Flink
 * calls {@link #flush(boolean)} (before every checkpoint and at the end of input). Everything runs
 * on the task's thread (timer callbacks too), so there is no locking. A failed request is retried
 * by the {@link ClickHouseInserter}; after the last retry the exception fails the job. Rows are
 * never dropped.
 */
public class ClickHouseSinkWriter<T> implements SinkWriter<T> {

    private final ClickHouseSinkConfig config;
    private final JsonRowEncoder<T> encoder;
    private final ProcessingTimeService timeService;
    private final ClickHouseInserter inserter;

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);
    private int bufferedRows;
    private ScheduledFuture<?> flushTimer;
    private boolean closed;

    /**
     * @param config where and how to insert
     * @param table the table to insert into
     * @param encoder writes one row as JSON
     * @param timeService the task's processing-time service; runs the flush timer
     * @param metricGroup where the writer's counters go
     */
    public ClickHouseSinkWriter(
            ClickHouseSinkConfig config,
            String table,
            JsonRowEncoder<T> encoder,
            ProcessingTimeService timeService,
            MetricGroup metricGroup) {
        this.config = config;
        this.encoder = encoder;
        this.timeService = timeService;
        this.inserter = new ClickHouseInserter(config, table, metricGroup);
        scheduleFlushTimer();
    }

    @Override
    public void write(T row, Context context) throws IOException, InterruptedException {
        try (JsonGenerator json = ClickHouseJson.generator(buffer)) {
            encoder.encode(row, json);
        }
        buffer.write('\n');
        bufferedRows++;
        if (bufferedRows >= config.maxBufferedRows()) {
            flushBuffer();
        }
    }

    /** Called by Flink before every checkpoint and at the end of input. */
    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        flushBuffer();
    }

    /** Rows written but not yet inserted. */
    int bufferedRows() {
        return bufferedRows;
    }

    private void scheduleFlushTimer() {
        long next = timeService.getCurrentProcessingTime() + config.flushInterval().toMillis();
        flushTimer = timeService.registerTimer(next, this::onFlushTimer);
    }

    private void onFlushTimer(long time) throws IOException, InterruptedException {
        if (closed) {
            return;
        }
        flushBuffer();
        scheduleFlushTimer();
    }

    private void flushBuffer() throws IOException, InterruptedException {
        if (bufferedRows == 0) {
            return;
        }
        byte[] body = buffer.toByteArray();
        int rows = bufferedRows;
        inserter.insert(body, rows);
        // Only now: a failed insert keeps the rows, although the job fails anyway.
        buffer.reset();
        bufferedRows = 0;
    }

    /**
     * Stops the timer and the HTTP client. Does not flush: Flink calls {@link #flush(boolean)}
     * before a regular close, and on failure or cancellation the rows are replayed from the last
     * checkpoint anyway.
     */
    @Override
    public void close() {
        closed = true;
        if (flushTimer != null) {
            flushTimer.cancel(false);
        }
        inserter.close();
    }
}
