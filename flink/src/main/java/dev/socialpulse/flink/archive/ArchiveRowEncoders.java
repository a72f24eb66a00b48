package dev.socialpulse.flink.archive;

import dev.socialpulse.flink.clickhouse.ClickHouseFormats;
import dev.socialpulse.flink.clickhouse.JsonRowEncoder;

/** The rows of the archive's tables (clickhouse/migrations/0003_event_archive.sql). */
public final class ArchiveRowEncoders {

    public static final String EVENTS_TABLE = "events";
    public static final String DEAD_LETTERS_TABLE = "dead_letters";

    private ArchiveRowEncoders() {}

    /** One {@code events} row. */
    public static JsonRowEncoder<ArchivedEvent> events() {
        return (event, json) -> {
            json.writeStartObject();
            json.writeStringField("event_id", event.eventId());
            json.writeStringField("event_type", event.eventType());
            json.writeStringField("family", event.family());
            json.writeNumberField("schema_version", event.schemaVersion());
            json.writeStringField("user_id", event.userId());
            json.writeStringField("anonymous_id", event.anonymousId());
            json.writeStringField("session_id", event.sessionId());
            json.writeStringField(
                    "event_time", ClickHouseFormats.dateTime64Millis(event.eventTime()));
            json.writeStringField(
                    "client_ts", ClickHouseFormats.dateTime64Millis(event.clientTs()));
            json.writeStringField(
                    "received_at", ClickHouseFormats.dateTime64Millis(event.receivedAt()));
            json.writeStringField("device_type", event.deviceType());
            json.writeStringField("os", event.os());
            json.writeStringField("browser", event.browser());
            json.writeStringField("country", event.country());
            json.writeBooleanField("is_bot", event.bot());
            json.writeStringField("page_path", event.pagePath());
            json.writeStringField("referrer", event.referrer());
            json.writeStringField("properties", event.properties());
            json.writeStringField("context", event.context());
            json.writeEndObject();
        };
    }

    /** One {@code dead_letters} row. */
    public static JsonRowEncoder<DeadLetter> deadLetters() {
        return (letter, json) -> {
            json.writeStartObject();
            json.writeStringField(
                    "received_at", ClickHouseFormats.dateTime64Millis(letter.receivedAt()));
            json.writeStringField("reason_code", letter.reasonCode());
            json.writeStringField("reason", letter.reason());
            json.writeStringField("event_id", letter.eventId());
            json.writeStringField("excerpt", letter.excerpt());
            json.writeEndObject();
        };
    }
}
