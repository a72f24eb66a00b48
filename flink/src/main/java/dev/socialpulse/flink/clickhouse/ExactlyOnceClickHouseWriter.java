package dev.socialpulse.flink.clickhouse;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;

/**
 * Holds rows as {@code JSONEachRow} until the next checkpoint barrier, then hands them over as
 * {@link ClickHouseInsert}s of at most {@link ClickHouseSinkConfig#maxBufferedRows()} rows each,
 * every one with its own token ({@code <writer id>-<sequence>}, the id fresh per writer instance).
 * Nothing is sent from here: the committer inserts once the checkpoint is complete.
 */
public class ExactlyOnceClickHouseWriter<T> implements CommittingSinkWriter<T, ClickHouseInsert> {

    private final JsonRowEncoder<T> encoder;
    private final int maxRowsPerInsert;
    private final String writerId = UUID.randomUUID().toString();

    private final List<ClickHouseInsert> ready = new ArrayList<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);
    private int bufferedRows;
    private long sequence;

    /**
     * @param encoder writes one row as JSON
     * @param maxRowsPerInsert the most rows one insert carries
     */
    public ExactlyOnceClickHouseWriter(JsonRowEncoder<T> encoder, int maxRowsPerInsert) {
        this.encoder = encoder;
        this.maxRowsPerInsert = maxRowsPerInsert;
    }

    @Override
    public void write(T row, Context context) throws IOException {
        try (JsonGenerator json = ClickHouseJson.generator(buffer)) {
            encoder.encode(row, json);
        }
        buffer.write('\n');
        bufferedRows++;
        if (bufferedRows >= maxRowsPerInsert) {
            cut();
        }
    }

    /** Nothing to do: rows wait for {@link #prepareCommit()}, which follows at every barrier. */
    @Override
    public void flush(boolean endOfInput) {}

    @Override
    public Collection<ClickHouseInsert> prepareCommit() {
        cut();
        List<ClickHouseInsert> inserts = List.copyOf(ready);
        ready.clear();
        return inserts;
    }

    private void cut() {
        if (bufferedRows == 0) {
            return;
        }
        ready.add(
                new ClickHouseInsert(
                        writerId + "-" + sequence++, bufferedRows, buffer.toByteArray()));
        buffer.reset();
        bufferedRows = 0;
    }

    @Override
    public void close() {}
}
