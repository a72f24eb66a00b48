package dev.socialpulse.flink.clickhouse;

import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Inserts rows into a ClickHouse table over its HTTP interface, as {@code JSONEachRow}.
 *
 * <p>At least once: each writer flushes its buffer on every checkpoint ({@link
 * SinkWriter#flush(boolean)}), and a request that still fails after the configured retries fails
 * the job, which then restarts from the last checkpoint and replays. Rows may therefore be sent
 * more than once; the table must make that harmless (a {@code ReplacingMergeTree} keyed by the
 * row's identity).
 *
 * @param <T> the row type
 */
public class ClickHouseSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    private final ClickHouseSinkConfig config;
    private final String table;
    private final JsonRowEncoder<T> encoder;

    /**
     * @param config where and how to insert
     * @param table the table to insert into
     * @param encoder writes one row as JSON
     */
    public ClickHouseSink(ClickHouseSinkConfig config, String table, JsonRowEncoder<T> encoder) {
        this.config = Objects.requireNonNull(config, "config");
        this.table = Objects.requireNonNull(table, "table");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new ClickHouseSinkWriter<>(
                config, table, encoder, context.getProcessingTimeService(), context.metricGroup());
    }
}
