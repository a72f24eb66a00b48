package dev.socialpulse.flink.trending.functions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.socialpulse.flink.trending.records.ContentEvent;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the collector's event JSON into a {@link ContentEvent}.
 *
 * <p>Reads a tree rather than binding to a class, so unknown fields are ignored and a field of an
 * unexpected JSON type is reported as a malformed event instead of an exception from deep inside
 * Jackson. Required: a JSON object with a text {@code event_type} and an ISO-8601 {@code
 * event_time}. Optional: {@code event_id}, {@code user_id}, {@code anonymous_id}, {@code
 * context.is_bot} (only a JSON {@code true} flags a bot), {@code properties.content_id} and {@code
 * properties.hashtags} (an array; its non-text entries are skipped).
 *
 * <p>Not serialisable: create one per task, in {@code open()}. Not thread-safe in the sense that
 * matters here either way: Flink calls a task's functions from one thread.
 */
public final class ContentEventParser {

    private final ObjectMapper mapper =
            new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * @param json one event, UTF-8 JSON
     * @return the parsed event
     * @throws MalformedEventException if the bytes are not an event this job can use
     */
    public ContentEvent parse(byte[] json) throws MalformedEventException {
        if (json == null || json.length == 0) {
            throw new MalformedEventException("empty record");
        }
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedEventException("unreadable JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new MalformedEventException("not a JSON object");
        }

        String eventType = requiredText(root, "event_type");
        long eventTime = parseTime(requiredText(root, "event_time"));
        JsonNode properties = root.path("properties");
        if (!properties.isMissingNode() && !properties.isNull() && !properties.isObject()) {
            throw new MalformedEventException("properties is not an object");
        }

        JsonNode isBot = root.path("context").path("is_bot");
        return new ContentEvent(
                optionalText(root, "event_id"),
                eventType,
                optionalText(root, "user_id"),
                optionalText(root, "anonymous_id"),
                isBot.isBoolean() && isBot.booleanValue(),
                eventTime,
                optionalText(properties, "content_id"),
                hashtags(properties.path("hashtags")));
    }

    private static String requiredText(JsonNode node, String field) throws MalformedEventException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new MalformedEventException(field + " is missing or not a non-empty string");
        }
        return value.asText();
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static long parseTime(String text) throws MalformedEventException {
        try {
            // ISO_INSTANT: accepts "Z" as well as offsets such as "+01:00".
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new MalformedEventException("event_time is not an ISO-8601 time: " + text);
        }
    }

    private static List<String> hashtags(JsonNode node) throws MalformedEventException {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new MalformedEventException("properties.hashtags is not an array");
        }
        List<String> hashtags = new ArrayList<>(node.size());
        for (JsonNode element : node) {
            if (element.isTextual()) {
                hashtags.add(element.asText());
            }
        }
        return hashtags;
    }

    /** The bytes are not an event this job can use. Counted and dropped, never fatal. */
    public static final class MalformedEventException extends Exception {
        private static final long serialVersionUID = 1L;

        public MalformedEventException(String message) {
            super(message, null, false, false);
        }
    }
}
