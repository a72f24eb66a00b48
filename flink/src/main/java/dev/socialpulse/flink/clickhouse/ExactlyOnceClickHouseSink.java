package dev.socialpulse.flink.clickhouse;

import java.util.Objects;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Inserts rows into a ClickHouse table exactly once, across failures and restarts: each writer
 * holds its rows until a checkpoint barrier ({@link ExactlyOnceClickHouseWriter}), the checkpoint
 * stores them as {@link ClickHouseInsert}s with a token each, and once the checkpoint is complete
 * the committer inserts them ({@link ClickHouseInsertCommitter}). A commit interrupted by a failure
 * is repeated after the restore with the same tokens, and ClickHouse's insert deduplication drops
 * what it already has, in the table and in its materialized views. Rows after the last completed
 * checkpoint were never inserted; the sources replay them.
 *
 * <p>The table and every materialized view's target table need a deduplication window that covers
 * the inserts of a few checkpoints ({@code SETTINGS non_replicated_deduplication_window = 1000} for
 * a MergeTree that is not replicated). Rows become visible when their checkpoint completes: the
 * checkpoint interval is the sink's latency.
 *
 * @param <T> the row type
 */
public class ExactlyOnceClickHouseSink<T> implements Sink<T>, SupportsCommitter<ClickHouseInsert> {

    private static final long serialVersionUID = 1L;

    private final ClickHouseSinkConfig config;
    private final String table;
    private final JsonRowEncoder<T> encoder;

    /**
     * @param config where and how to insert ({@link ClickHouseSinkConfig#maxBufferedRows()}: the
     *     most rows per insert)
     * @param table the table to insert into
     * @param encoder writes one row as JSON
     */
    public ExactlyOnceClickHouseSink(
            ClickHouseSinkConfig config, String table, JsonRowEncoder<T> encoder) {
        this.config = Objects.requireNonNull(config, "config");
        this.table = Objects.requireNonNull(table, "table");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
    }

    @Override
    public CommittingSinkWriter<T, ClickHouseInsert> createWriter(WriterInitContext context) {
        return new ExactlyOnceClickHouseWriter<>(encoder, config.maxBufferedRows());
    }

    @Override
    public Committer<ClickHouseInsert> createCommitter(CommitterInitContext context) {
        return new ClickHouseInsertCommitter(config, table, context.metricGroup());
    }

    @Override
    public SimpleVersionedSerializer<ClickHouseInsert> getCommittableSerializer() {
        return new ClickHouseInsert.Serializer();
    }
}
