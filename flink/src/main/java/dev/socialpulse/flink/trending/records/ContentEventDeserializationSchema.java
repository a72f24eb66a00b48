package dev.socialpulse.flink.trending.records;

import dev.socialpulse.flink.trending.functions.ContentEventParser;
import dev.socialpulse.flink.trending.functions.ContentEventParser.MalformedEventException;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a Kafka record value into a {@link ContentEvent}; a malformed value is counted in the
 * {@value #MALFORMED_EVENTS_METRIC} counter and dropped, so one bad record never fails the job.
 *
 * <p>Parsing happens here, in the source, rather than in a later operator so that the source can
 * take each event's timestamp and generate watermarks per Kafka partition.
 */
public class ContentEventDeserializationSchema implements DeserializationSchema<ContentEvent> {

    private static final long serialVersionUID = 1L;

    /** Counter of dropped records that are not a usable event. */
    public static final String MALFORMED_EVENTS_METRIC = "malformedEvents";

    private static final Logger LOG =
            LoggerFactory.getLogger(ContentEventDeserializationSchema.class);

    private transient ContentEventParser parser;
    private transient Counter malformedEvents;

    @Override
    public void open(InitializationContext context) {
        parser = new ContentEventParser();
        malformedEvents = context.getMetricGroup().counter(MALFORMED_EVENTS_METRIC);
    }

    @Override
    public void deserialize(byte[] message, Collector<ContentEvent> out) {
        try {
            out.collect(parser.parse(message));
        } catch (MalformedEventException e) {
            malformedEvents.inc();
            LOG.debug("Dropped a malformed content event: {}", e.getMessage());
        }
    }

    /** Single-result variant: {@code null} for a malformed record. Flink uses the other one. */
    @Override
    public ContentEvent deserialize(byte[] message) {
        try {
            return parser.parse(message);
        } catch (MalformedEventException e) {
            malformedEvents.inc();
            LOG.debug("Dropped a malformed content event: {}", e.getMessage());
            return null;
        }
    }

    @Override
    public boolean isEndOfStream(ContentEvent nextElement) {
        return false;
    }

    @Override
    public TypeInformation<ContentEvent> getProducedType() {
        return TypeInformation.of(ContentEvent.class);
    }
}
