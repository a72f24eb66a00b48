package dev.socialpulse.flink.trending.functions;

import dev.socialpulse.flink.trending.records.ContentEvent;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by event id: forwards the first event with an id and drops the others, counting them in
 * {@value #DUPLICATE_EVENTS_METRIC}. A client that resends a batch after a timeout sends the same
 * event ids again; each must count once.
 *
 * <p>An id is remembered for {@code ttl} of processing time after its first event (keyed state with
 * a {@link StateTtlConfig}, cleaned up in the background). The TTL must exceed the largest horizon
 * plus the allowed out-of-orderness: a duplicate older than that is late for every window anyway.
 * Processing time runs no faster than event time while the job catches up on a backlog, so a replay
 * only remembers more.
 *
 * <p>Events without an id cannot be told apart and are all forwarded; they share one key, which is
 * fine because the collector gives every event an id.
 */
public class DropDuplicateEvents extends KeyedProcessFunction<String, ContentEvent, ContentEvent> {

    private static final long serialVersionUID = 1L;

    /** Counter of events dropped because their id was seen before. */
    public static final String DUPLICATE_EVENTS_METRIC = "duplicateEvents";

    /** The key of events without an id. */
    public static final String NO_EVENT_ID = "";

    private final Duration ttl;

    private transient ValueState<Boolean> seen;
    private transient Counter duplicateEvents;

    public DropDuplicateEvents(Duration ttl) {
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, got " + ttl);
        }
        this.ttl = ttl;
    }

    /** The key: the event id, or {@link #NO_EVENT_ID}. */
    public static String key(ContentEvent event) {
        return event.eventId() == null ? NO_EVENT_ID : event.eventId();
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<Boolean> descriptor =
                new ValueStateDescriptor<>("seen-event-id", Types.BOOLEAN);
        descriptor.enableTimeToLive(
                StateTtlConfig.newBuilder(ttl)
                        // From the first sighting: later duplicates must not extend it forever.
                        .updateTtlOnCreateAndWrite()
                        .neverReturnExpired()
                        .build());
        seen = getRuntimeContext().getState(descriptor);
        duplicateEvents = getRuntimeContext().getMetricGroup().counter(DUPLICATE_EVENTS_METRIC);
    }

    @Override
    public void processElement(ContentEvent event, Context ctx, Collector<ContentEvent> out)
            throws Exception {
        if (event.eventId() == null) {
            out.collect(event);
        } else if (seen.value() == null) {
            seen.update(Boolean.TRUE);
            out.collect(event);
        } else {
            duplicateEvents.inc();
        }
    }
}
