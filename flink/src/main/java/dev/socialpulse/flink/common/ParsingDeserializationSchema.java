package dev.socialpulse.flink.common;

import dev.socialpulse.flink.common.RecordParser.MalformedRecordException;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.SerializableSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Kafka record values into {@code T}s with a {@link RecordParser}; a malformed value is
 * counted in {@value #MALFORMED_RECORDS_METRIC} and dropped, so one bad record never fails the job.
 * A record the parser skips (returns {@code null} for) is dropped without being counted.
 *
 * @param <T> what the records become
 */
public class ParsingDeserializationSchema<T> implements DeserializationSchema<T> {

    private static final long serialVersionUID = 1L;

    /** Counter of dropped records that are not a usable {@code T}. */
    public static final String MALFORMED_RECORDS_METRIC = "malformedRecords";

    private static final Logger LOG = LoggerFactory.getLogger(ParsingDeserializationSchema.class);

    private final SerializableSupplier<RecordParser<T>> parsers;
    private final Class<T> type;

    private transient RecordParser<T> parser;
    private transient Counter malformedRecords;

    /**
     * @param parsers makes the parser, where the source runs
     * @param type what the records become
     */
    public ParsingDeserializationSchema(
            SerializableSupplier<RecordParser<T>> parsers, Class<T> type) {
        this.parsers = parsers;
        this.type = type;
    }

    @Override
    public void open(InitializationContext context) {
        parser = parsers.get();
        malformedRecords = context.getMetricGroup().counter(MALFORMED_RECORDS_METRIC);
    }

    @Override
    public void deserialize(byte[] message, Collector<T> out) {
        T record = deserialize(message);
        if (record != null) {
            out.collect(record);
        }
    }

    /** Single-result variant: {@code null} for a malformed or skipped record. */
    @Override
    public T deserialize(byte[] message) {
        try {
            return parser.parse(message);
        } catch (MalformedRecordException e) {
            malformedRecords.inc();
            LOG.debug("Dropped a malformed {}: {}", type.getSimpleName(), e.getMessage());
            return null;
        }
    }

    @Override
    public boolean isEndOfStream(T nextElement) {
        return false;
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return TypeInformation.of(type);
    }
}
