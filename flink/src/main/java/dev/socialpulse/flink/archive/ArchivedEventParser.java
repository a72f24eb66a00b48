package dev.socialpulse.flink.archive;

import static dev.socialpulse.flink.common.EventJson.optionalTime;
import static dev.socialpulse.flink.common.EventJson.readObject;
import static dev.socialpulse.flink.common.EventJson.required;
import static dev.socialpulse.flink.common.EventJson.text;
import static dev.socialpulse.flink.common.EventJson.time;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.socialpulse.flink.common.CanaryEvents;
import dev.socialpulse.flink.common.RecordParser;

/**
 * Reads an event as the collector writes it to Kafka (validated and enriched: {@code event_time},
 * {@code received_at}, {@code context.device}, {@code context.country}, {@code context.is_bot}).
 * Not thread-safe; one per source reader.
 */
public final class ArchivedEventParser implements RecordParser<ArchivedEvent> {

    private final ObjectMapper json = new ObjectMapper();

    /**
     * Refuses bytes without an id, a type with its family, or an event time; skips the canary's
     * events ({@code null}).
     */
    @Override
    public ArchivedEvent parse(byte[] bytes) throws MalformedRecordException {
        JsonNode event = readObject(json, bytes);
        // The events table feeds the engagement views: the canary's events must not count there.
        if (CanaryEvents.isCanary(event)) {
            return null;
        }
        String eventType = required(event, "event_type");
        int dot = eventType.indexOf('.');
        if (dot <= 0) {
            throw new MalformedRecordException("event_type has no family: " + eventType);
        }
        JsonNode context = event.path("context");
        JsonNode device = context.path("device");
        JsonNode properties = event.path("properties");
        return new ArchivedEvent(
                required(event, "event_id"),
                eventType,
                eventType.substring(0, dot),
                event.path("schema_version").asInt(0),
                text(event.path("user_id")),
                text(event.path("anonymous_id")),
                text(event.path("session_id")),
                time(required(event, "event_time"), "event_time"),
                optionalTime(event.path("client_ts"), "client_ts"),
                optionalTime(event.path("received_at"), "received_at"),
                text(device.path("type")),
                text(device.path("os")),
                text(device.path("browser")),
                text(context.path("country")),
                context.path("is_bot").asBoolean(false),
                text(context.path("page").path("path")),
                text(context.path("referrer")),
                properties.isObject() ? properties.toString() : "{}",
                context.isObject() ? context.toString() : "{}");
    }
}
