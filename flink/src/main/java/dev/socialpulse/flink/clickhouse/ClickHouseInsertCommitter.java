package dev.socialpulse.flink.clickhouse;

import java.io.IOException;
import java.util.Collection;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.metrics.MetricGroup;

/**
 * Inserts each {@link ClickHouseInsert} of a completed checkpoint with its token. An insert that
 * still fails after the inserter's retries fails the job; it restarts from that checkpoint and the
 * same inserts are committed again, which their tokens make harmless.
 */
public class ClickHouseInsertCommitter implements Committer<ClickHouseInsert> {

    private final ClickHouseInserter inserter;

    public ClickHouseInsertCommitter(
            ClickHouseSinkConfig config, String table, MetricGroup metricGroup) {
        this.inserter = new ClickHouseInserter(config, table, metricGroup);
    }

    @Override
    public void commit(Collection<CommitRequest<ClickHouseInsert>> requests)
            throws IOException, InterruptedException {
        for (CommitRequest<ClickHouseInsert> request : requests) {
            ClickHouseInsert insert = request.getCommittable();
            inserter.insertOnce(insert.body(), insert.rows(), insert.token());
        }
    }

    @Override
    public void close() {
        inserter.close();
    }
}
