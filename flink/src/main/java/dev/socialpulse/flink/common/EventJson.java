package dev.socialpulse.flink.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.socialpulse.flink.common.RecordParser.MalformedRecordException;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;

/** Reading the fields of an event as the collector writes it, for the jobs' record parsers. */
public final class EventJson {

    private EventJson() {}

    /** The record as a JSON object, or refused. */
    public static JsonNode readObject(ObjectMapper json, byte[] bytes)
            throws MalformedRecordException {
        JsonNode event;
        try {
            event = json.readTree(bytes);
        } catch (IOException e) {
            throw new MalformedRecordException("not JSON: " + e.getMessage());
        }
        if (event == null || !event.isObject()) {
            throw new MalformedRecordException("not a JSON object");
        }
        return event;
    }

    /** A non-empty string field, or the record is refused. */
    public static String required(JsonNode event, String field) throws MalformedRecordException {
        JsonNode value = event.path(field);
        if (!value.isTextual() || value.asText().isEmpty()) {
            throw new MalformedRecordException(field + " is missing or not a string");
        }
        return value.asText();
    }

    /** A string field, or empty when absent or not a string. */
    public static String text(JsonNode value) {
        return value.isTextual() ? value.asText() : "";
    }

    /** An optional ISO-8601 time as epoch milliseconds, 0 when absent. */
    public static long optionalTime(JsonNode value, String field) throws MalformedRecordException {
        return value instanceof MissingNode || value.isNull() ? 0L : time(text(value), field);
    }

    /** An ISO-8601 time as epoch milliseconds. */
    public static long time(String text, String field) throws MalformedRecordException {
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeException | ArithmeticException e) {
            throw new MalformedRecordException(field + " is not an ISO-8601 time: " + text);
        }
    }
}
