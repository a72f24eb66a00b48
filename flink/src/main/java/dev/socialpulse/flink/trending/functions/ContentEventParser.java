package dev.socialpulse.flink.trending.functions;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.socialpulse.flink.common.CanaryEvents;
import dev.socialpulse.flink.trending.records.ContentEvent;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the collector's event JSON into a {@link ContentEvent}.
 *
 * <p>Reads the tokens and keeps only the fields the job uses, skipping the rest (the collector's
 * enrichment, unknown fields) without building them: a tree of every event was a third of what the
 * job allocated. A field of an unexpected JSON type is reported as a malformed event instead of an
 * exception from deep inside Jackson. Required: a JSON object with a text {@code event_type} and an
 * ISO-8601 {@code event_time}. Optional: {@code event_id}, {@code canary} (only a JSON {@code true}
 * marks the canary's event), {@code user_id}, {@code anonymous_id}, {@code context.is_bot} (only a
 * JSON {@code true} flags a bot), {@code properties.content_id} and {@code properties.hashtags} (an
 * array; its non-text entries are skipped). A field given twice takes its last value, as a JSON
 * tree would.
 *
 * <p>Not serialisable: create one per task, in {@code open()}. Not thread-safe in the sense that
 * matters here either way: Flink calls a task's functions from one thread.
 */
public final class ContentEventParser {

    private final JsonFactory factory = new JsonFactory();

    /** The fields read so far; each given again replaces what it gave before. */
    private static final class Fields {
        String eventId;
        String eventType;
        String eventTime;
        String userId;
        String anonymousId;
        boolean bot;
        boolean propertiesNotObject;
        String contentId;
        List<String> hashtags = List.of();
        boolean hashtagsNotArray;
        boolean canary;
    }

    /**
     * @param json one event, UTF-8 JSON
     * @return the parsed event
     * @throws MalformedEventException if the bytes are not an event this job can use
     */
    public ContentEvent parse(byte[] json) throws MalformedEventException {
        if (json == null || json.length == 0) {
            throw new MalformedEventException("empty record");
        }
        Fields fields = new Fields();
        try (JsonParser parser = factory.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedEventException("not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "event_id" -> fields.eventId = text(parser, value);
                    case "event_type" -> fields.eventType = text(parser, value);
                    case "event_time" -> fields.eventTime = text(parser, value);
                    case "user_id" -> fields.userId = text(parser, value);
                    case "anonymous_id" -> fields.anonymousId = text(parser, value);
                    case "context" -> fields.bot = readBot(parser, value);
                    case "properties" -> readProperties(parser, value, fields);
                    case CanaryEvents.FIELD -> fields.canary = flag(parser, value);
                    default -> parser.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedEventException("unreadable JSON: " + e.getMessage());
        }

        String eventType = required(fields.eventType, "event_type");
        long eventTime = parseTime(required(fields.eventTime, "event_time"));
        if (fields.propertiesNotObject) {
            throw new MalformedEventException("properties is not an object");
        }
        if (fields.hashtagsNotArray) {
            throw new MalformedEventException("properties.hashtags is not an array");
        }
        return new ContentEvent(
                fields.eventId,
                eventType,
                fields.userId,
                fields.anonymousId,
                fields.bot,
                eventTime,
                fields.contentId,
                fields.hashtags,
                fields.canary);
    }

    /** True only for a JSON {@code true} (skipping an object or array). */
    private static boolean flag(JsonParser parser, JsonToken value) throws IOException {
        parser.skipChildren();
        return value == JsonToken.VALUE_TRUE;
    }

    /** The value's text if it is a JSON string, else null (skipping an object or array). */
    private static String text(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        parser.skipChildren();
        return null;
    }

    /** {@code context.is_bot}: true only for a JSON {@code true} inside a context object. */
    private static boolean readBot(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return false;
        }
        boolean bot = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken field = parser.nextToken();
            if (name.equals("is_bot")) {
                bot = field == JsonToken.VALUE_TRUE;
            }
            parser.skipChildren();
        }
        return bot;
    }

    private static void readProperties(JsonParser parser, JsonToken value, Fields fields)
            throws IOException {
        fields.propertiesNotObject = false;
        fields.contentId = null;
        fields.hashtags = List.of();
        fields.hashtagsNotArray = false;
        if (value == JsonToken.VALUE_NULL) {
            return;
        }
        if (value != JsonToken.START_OBJECT) {
            fields.propertiesNotObject = true;
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken field = parser.nextToken();
            if (name.equals("content_id")) {
                fields.contentId = text(parser, field);
            } else if (name.equals("hashtags")) {
                fields.hashtagsNotArray = false;
                fields.hashtags = List.of();
                if (field == JsonToken.START_ARRAY) {
                    fields.hashtags = readTexts(parser);
                } else if (field != JsonToken.VALUE_NULL) {
                    fields.hashtagsNotArray = true;
                    parser.skipChildren();
                }
            } else {
                parser.skipChildren();
            }
        }
    }

    /** The text entries of an array, after its START_ARRAY; other entries are skipped. */
    private static List<String> readTexts(JsonParser parser) throws IOException {
        List<String> texts = new ArrayList<>(4);
        for (JsonToken element = parser.nextToken();
                element != JsonToken.END_ARRAY;
                element = parser.nextToken()) {
            if (element == JsonToken.VALUE_STRING) {
                texts.add(parser.getText());
            } else {
                parser.skipChildren();
            }
        }
        return texts;
    }

    private static String required(String value, String field) throws MalformedEventException {
        if (value == null || value.isBlank()) {
            throw new MalformedEventException(field + " is missing or not a non-empty string");
        }
        return value;
    }

    static long parseTime(String text) throws MalformedEventException {
        try {
            long millis = parseUtcMillis(text);
            // ISO_INSTANT: accepts "Z" as well as offsets such as "+01:00".
            return millis != NOT_UTC_MILLIS ? millis : Instant.parse(text).toEpochMilli();
        } catch (DateTimeException | ArithmeticException e) {
            throw new MalformedEventException("event_time is not an ISO-8601 time: " + text);
        }
    }

    private static final long NOT_UTC_MILLIS = Long.MIN_VALUE;

    /**
     * The common form, {@code 2026-11-27T03:17:14.123Z} (what the collector and JavaScript's
     * toISOString write), read directly: {@link Instant#parse} took a quarter of the job's parsing.
     * Anything else, {@link #NOT_UTC_MILLIS}, for Instant.parse to read or refuse.
     *
     * @throws DateTimeException for a day its month does not have
     */
    private static long parseUtcMillis(String text) {
        if (text.length() != 24
                || text.charAt(4) != '-'
                || text.charAt(7) != '-'
                || text.charAt(10) != 'T'
                || text.charAt(13) != ':'
                || text.charAt(16) != ':'
                || text.charAt(19) != '.'
                || text.charAt(23) != 'Z') {
            return NOT_UTC_MILLIS;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int millis = digits(text, 20, 23);
        if ((year | month | day | hour | minute | second | millis) < 0
                || hour > 23
                || minute > 59
                || second > 59) {
            return NOT_UTC_MILLIS;
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1_000L + millis;
    }

    /** The ASCII digits at [from, to) as a number; -1 if any is not one. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** The bytes are not an event this job can use. Counted and dropped, never fatal. */
    public static final class MalformedEventException extends Exception {
        private static final long serialVersionUID = 1L;

        public MalformedEventException(String message) {
            super(message, null, false, false);
        }
    }
}
