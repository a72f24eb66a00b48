package dev.socialpulse.flink.common;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Keyed by event id (as 128 bits, see {@link #key}): forwards the first event with an id and drops
 * the others, counting them in {@value #DUPLICATE_EVENTS_METRIC}. A client that resends a batch
 * after a timeout sends the same event ids again; each must count once.
 *
 * <p>An id is remembered for {@code ttl} of processing time after its first event (keyed state with
 * a {@link StateTtlConfig}, cleaned up in the background). A job sets the TTL longer than any
 * resend it must catch (for windows: the largest window plus the allowed out-of-orderness, beyond
 * which a duplicate is late anyway). Processing time runs no faster than event time while a job
 * catches up on a backlog, so a replay only remembers more.
 *
 * <p>Events without an id cannot be told apart and are all forwarded; they share one key, which is
 * fine because the collector gives every event an id.
 *
 * @param <T> the event type
 */
public class DropDuplicateEvents<T> extends KeyedProcessFunction<Tuple2<Long, Long>, T, T> {

    private static final long serialVersionUID = 1L;

    /** Counter of events dropped because their id was seen before. */
    public static final String DUPLICATE_EVENTS_METRIC = "duplicateEvents";

    /** The seed of the second hash of an id that is not a UUID. */
    private static final long OTHER_ID_SEED = 0x9e3779b97f4a7c15L;

    /** The key type: an event id's 128 bits. */
    public static final TypeInformation<Tuple2<Long, Long>> KEY_TYPE =
            Types.TUPLE(Types.LONG, Types.LONG);

    private final Duration ttl;
    private final SerializableFunction<T, String> eventId;

    private transient ValueState<Boolean> seen;
    private transient Counter duplicateEvents;
    private transient EventTimeLag eventTimeLag;

    /**
     * @param ttl how long an id is remembered
     * @param eventId the event's id, or null when it has none
     */
    public DropDuplicateEvents(Duration ttl, SerializableFunction<T, String> eventId) {
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, got " + ttl);
        }
        this.ttl = ttl;
        this.eventId = eventId;
    }

    /** Keys events by {@link #key} of their id: what this function must be keyed by. */
    public static <T> KeySelector<T, Tuple2<Long, Long>> byEventId(
            SerializableFunction<T, String> eventId) {
        return event -> key(eventId.apply(event));
    }

    /**
     * The key: the event id as two longs. Kept as a 36-char string, a million remembered ids cost
     * most of a checkpoint (a string is written char by char); as two longs, 16 bytes. The
     * collector accepts only UUIDs, read here as their 128 bits (either case of hex); any other id,
     * from another producer, is keyed by two independent 64-bit hashes of it. Events without an id
     * share the key (0, 0).
     */
    public static Tuple2<Long, Long> key(String id) {
        if (id == null) {
            return Tuple2.of(0L, 0L);
        }
        if (isUuid(id)) {
            return Tuple2.of(
                    hex(id, 0, 8) << 32 | hex(id, 9, 13) << 16 | hex(id, 14, 18),
                    hex(id, 19, 23) << 48 | hex(id, 24, 36));
        }
        return Tuple2.of(StringHash.of(id), StringHash.of(id, OTHER_ID_SEED));
    }

    /** The canonical 8-4-4-4-12 form, ASCII hex digits of either case. */
    private static boolean isUuid(String id) {
        if (id.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = id.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            boolean hex = c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
            if (dash ? c != '-' : !hex) {
                return false;
            }
        }
        return true;
    }

    private static long hex(String id, int from, int to) {
        return Long.parseUnsignedLong(id, from, to, 16);
    }

    @Override
    public void open(OpenContext openContext) {
        eventTimeLag = EventTimeLag.register(getRuntimeContext().getMetricGroup());
        ValueStateDescriptor<Boolean> descriptor =
                new ValueStateDescriptor<>("seen-event-id", Types.BOOLEAN);
        descriptor.enableTimeToLive(
                StateTtlConfig.newBuilder(ttl)
                        // From the first sighting: later duplicates must not extend it forever.
                        .updateTtlOnCreateAndWrite()
                        .neverReturnExpired()
                        // Each id is read once and written once: checking one entry per access
                        // expires two per event, more than the one it adds, so memory stays
                        // bounded; the default of five cost 7% of the trending job's time walking
                        // live ids.
                        .cleanupIncrementally(1, false)
                        .build());
        seen = getRuntimeContext().getState(descriptor);
        duplicateEvents = getRuntimeContext().getMetricGroup().counter(DUPLICATE_EVENTS_METRIC);
    }

    @Override
    public void processElement(T event, Context ctx, Collector<T> out) throws Exception {
        eventTimeLag.update(ctx.timerService());
        if (eventId.apply(event) == null) {
            out.collect(event);
        } else if (seen.value() == null) {
            seen.update(Boolean.TRUE);
            out.collect(event);
        } else {
            duplicateEvents.inc();
        }
    }
}
