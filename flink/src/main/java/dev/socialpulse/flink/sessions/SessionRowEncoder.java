package dev.socialpulse.flink.sessions;

import dev.socialpulse.flink.clickhouse.ClickHouseFormats;
import dev.socialpulse.flink.clickhouse.JsonRowEncoder;

/** The rows of the {@code sessions} table (clickhouse/migrations/0005_sessions.sql). */
public final class SessionRowEncoder {

    public static final String SESSIONS_TABLE = "sessions";

    private SessionRowEncoder() {}

    public static JsonRowEncoder<SessionRow> sessions() {
        return (row, json) -> {
            json.writeStartObject();
            json.writeStringField("user_id", row.userId());
            json.writeStringField("session_id", row.sessionId());
            json.writeStringField("client_session_id", row.clientSessionId());
            json.writeStringField("session_start", ClickHouseFormats.dateTime64Millis(row.start()));
            json.writeStringField("session_end", ClickHouseFormats.dateTime64Millis(row.end()));
            json.writeNumberField("duration_ms", row.durationMs());
            json.writeNumberField("events", row.events());
            json.writeNumberField("page_views", row.pageViews());
            json.writeNumberField("distinct_pages", row.distinctPages());
            json.writeStringField("entry_page", row.entryPage());
            json.writeStringField("exit_page", row.exitPage());
            json.writeNumberField("posts_created", row.postsCreated());
            json.writeNumberField("likes", row.likes());
            json.writeNumberField("comments", row.comments());
            json.writeNumberField("shares", row.shares());
            json.writeStringField("device_type", row.deviceType());
            json.writeStringField("os", row.os());
            json.writeStringField("country", row.country());
            json.writeBooleanField("is_bounce", row.bounce());
            json.writeStringField("status", row.status());
            json.writeNumberField("revision", row.revision());
            json.writeNumberField("is_deleted", row.deleted() ? 1 : 0);
            json.writeEndObject();
        };
    }
}
