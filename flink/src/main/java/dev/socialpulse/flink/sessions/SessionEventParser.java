package dev.socialpulse.flink.sessions;

import static dev.socialpulse.flink.common.EventJson.readObject;
import static dev.socialpulse.flink.common.EventJson.required;
import static dev.socialpulse.flink.common.EventJson.text;
import static dev.socialpulse.flink.common.EventJson.time;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.socialpulse.flink.common.CanaryEvents;
import dev.socialpulse.flink.common.RecordParser;
import java.util.Set;

/**
 * Reads a user or content event as the collector writes it to Kafka (validated and enriched with
 * {@code event_time}, {@code context.device} and {@code context.country}). Not thread-safe; one per
 * source reader.
 *
 * <p>The canary's events go through like any visitor's, under a visitor of the canary's own ({@link
 * CanaryEvents#id}): the canary's sessions are cut, reported and written as any other, and the
 * session views and the API's session queries leave that visitor out (clickhouse/migrations
 * 0008_canary_sessions.sql, apps/api engagement-queries.ts).
 */
public final class SessionEventParser implements RecordParser<SessionEvent> {

    /**
     * Types that are not something the visitor did (the SDK's identify, at sign-in): they neither
     * open, extend nor count in a session, so they are skipped here, before any session sees them.
     */
    static final Set<String> NOT_INTERACTIONS = Set.of("user.identified");

    private final ObjectMapper json = new ObjectMapper();

    /**
     * Refuses bytes without an id, a type, an event time, or a user or anonymous id.
     *
     * @return the event, or {@code null} for one of {@link #NOT_INTERACTIONS}: skipped
     */
    @Override
    public SessionEvent parse(byte[] bytes) throws MalformedRecordException {
        JsonNode event = readObject(json, bytes);
        String eventType = required(event, "event_type");
        if (NOT_INTERACTIONS.contains(eventType)) {
            return null;
        }
        String userId = text(event.path("user_id"));
        String anonymousId = text(event.path("anonymous_id"));
        if (userId.isEmpty() && anonymousId.isEmpty()) {
            throw new MalformedRecordException("neither user_id nor anonymous_id");
        }
        String visitor = userId.isEmpty() ? "a:" + anonymousId : userId;
        JsonNode context = event.path("context");
        JsonNode device = context.path("device");
        return new SessionEvent(
                required(event, "event_id"),
                CanaryEvents.isCanary(event) ? CanaryEvents.id(visitor) : visitor,
                text(event.path("session_id")),
                time(required(event, "event_time"), "event_time"),
                eventType,
                text(context.path("page").path("path")),
                text(device.path("type")),
                text(device.path("os")),
                text(context.path("country")));
    }
}
