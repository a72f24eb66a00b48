package dev.socialpulse.flink.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.socialpulse.flink.common.RecordParser;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;

/**
 * Reads a dead letter as the collector writes it to {@code events-dlq}: {@code reason_code}, {@code
 * reason}, {@code received_at}, and the event ({@code event}) or its excerpt ({@code
 * event_excerpt}).
 */
public final class DeadLetterParser implements RecordParser<DeadLetter> {

    /**
     * The codes the {@code dead_letters.reason_code} enum holds, in its order (the collector's
     * {@code DEAD_LETTER_REASONS}; a test holds both to the migration). Any other code is stored as
     * {@code other}: an unknown enum value would fail the insert, and the job with it.
     */
    public static final List<String> REASON_CODES =
            List.of(
                    "other",
                    "depth",
                    "key_length",
                    "string_length",
                    "event_size",
                    "event",
                    "event_id",
                    "event_type",
                    "schema_version",
                    "user_id",
                    "anonymous_id",
                    "session_id",
                    "client_ts",
                    "sent_at",
                    "context",
                    "properties");

    private final ObjectMapper json = new ObjectMapper();

    @Override
    public DeadLetter parse(byte[] bytes) throws MalformedRecordException {
        JsonNode letter;
        try {
            letter = json.readTree(bytes);
        } catch (IOException e) {
            throw new MalformedRecordException("not JSON: " + e.getMessage());
        }
        if (letter == null || !letter.isObject()) {
            throw new MalformedRecordException("not a JSON object");
        }
        long receivedAt;
        try {
            receivedAt = Instant.parse(letter.path("received_at").asText("")).toEpochMilli();
        } catch (DateTimeException | ArithmeticException e) {
            throw new MalformedRecordException("received_at is not an ISO-8601 time");
        }
        JsonNode event = letter.path("event");
        JsonNode excerpt = letter.path("event_excerpt");
        JsonNode eventId = event.path("event_id");
        String code = letter.path("reason_code").asText("other");
        return new DeadLetter(
                receivedAt,
                REASON_CODES.contains(code) ? code : "other",
                letter.path("reason").asText(""),
                eventId.isTextual() ? eventId.asText() : "",
                excerpt.isTextual()
                        ? excerpt.asText()
                        : event.isMissingNode() ? "" : event.toString());
    }
}
