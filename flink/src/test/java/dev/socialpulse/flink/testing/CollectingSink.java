package dev.socialpulse.flink.testing;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A sink that keeps every record it is given, for tests that run a job on a MiniCluster in the same
 * JVM.
 *
 * <p>Flink serialises the sink and runs copies of it in its tasks, so the records are kept in a
 * static registry under an id owned by this instance: every parallel writer of one sink writes to
 * the same list, and separate sinks (separate tests) never see each other's records. Call {@link
 * #close()} (or use try-with-resources) to drop the records.
 */
public final class CollectingSink<T> implements Sink<T>, AutoCloseable {

    private static final Map<String, List<Object>> RECORDS = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();

    public CollectingSink() {
        RECORDS.put(id, new CopyOnWriteArrayList<>());
    }

    /** Records received so far, from all parallel writers, in arrival order. */
    @SuppressWarnings("unchecked")
    public List<T> getRecords() {
        return List.copyOf((List<T>) records(id));
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new CollectingWriter<>(id);
    }

    @Override
    public void close() {
        RECORDS.remove(id);
    }

    private static List<Object> records(String id) {
        List<Object> records = RECORDS.get(id);
        if (records == null) {
            throw new IllegalStateException("CollectingSink " + id + " was already closed");
        }
        return records;
    }

    private static final class CollectingWriter<T> implements SinkWriter<T> {
        private final List<Object> records;

        CollectingWriter(String id) {
            this.records = records(id);
        }

        @Override
        public void write(T element, Context context) {
            records.add(element);
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
    }
}
