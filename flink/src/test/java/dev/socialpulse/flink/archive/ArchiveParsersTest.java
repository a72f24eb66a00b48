package dev.socialpulse.flink.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.socialpulse.flink.common.RecordParser.MalformedRecordException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Events and dead letters as the collector writes them to Kafka, read for the archive. */
@Tag("unit")
class ArchiveParsersTest {

    static final String PAGE_VIEW =
            """
            {"event_id":"0190f1c2-7a3b-7cde-8f01-23456789abcd","event_type":"user.page_viewed",
             "schema_version":1,"user_id":"u-1","session_id":"s-9",
             "client_ts":"2026-11-27T03:00:00.000Z","event_time":"2026-11-27T03:00:00.250Z",
             "received_at":"2026-11-27T03:00:01.000Z",
             "context":{"page":{"path":"/feed","title":"Feed"},"referrer":"https://example.com/",
              "device":{"type":"mobile","os":"iOS","browser":"Safari"},"country":"DE","is_bot":false,
              "ip":"203.0.113.0"},
             "properties":{"scroll_depth":0.5}}
            """;

    @Test
    void shouldReadTheTypedColumnsAndKeepTheRestAsJson() throws Exception {
        ArchivedEvent event = new ArchivedEventParser().parse(bytes(PAGE_VIEW));

        assertThat(event.eventId()).isEqualTo("0190f1c2-7a3b-7cde-8f01-23456789abcd");
        assertThat(event.family()).isEqualTo("user");
        assertThat(event.schemaVersion()).isEqualTo(1);
        assertThat(event.userId()).isEqualTo("u-1");
        assertThat(event.anonymousId()).isEmpty();
        assertThat(event.sessionId()).isEqualTo("s-9");
        assertThat(event.eventTime())
                .isEqualTo(Instant.parse("2026-11-27T03:00:00.250Z").toEpochMilli());
        assertThat(event.receivedAt())
                .isEqualTo(Instant.parse("2026-11-27T03:00:01Z").toEpochMilli());
        assertThat(List.of(event.deviceType(), event.os(), event.browser(), event.country()))
                .containsExactly("mobile", "iOS", "Safari", "DE");
        assertThat(event.pagePath()).isEqualTo("/feed");
        assertThat(event.referrer()).isEqualTo("https://example.com/");
        assertThat(event.properties()).isEqualTo("{\"scroll_depth\":0.5}");
        assertThat(event.context()).contains("\"title\":\"Feed\"");
    }

    @Test
    void shouldArchiveAnIdentifyEventWithBothIdsAndItsTraits() throws Exception {
        ArchivedEvent event =
                new ArchivedEventParser()
                        .parse(
                                bytes(
                                        """
                                        {"event_id":"0190f1c2-7a3b-7cde-8f01-23456789abce",
                                         "event_type":"user.identified","schema_version":2,
                                         "user_id":"u-1","anonymous_id":"v-7",
                                         "event_time":"2026-11-27T03:00:01Z",
                                         "properties":{"traits":{"age_band":"25-34"}}}
                                        """));

        assertThat(List.of(event.eventType(), event.family(), event.userId(), event.anonymousId()))
                .containsExactly("user.identified", "user", "u-1", "v-7");
        assertThat(event.schemaVersion()).isEqualTo(2);
        assertThat(event.properties()).isEqualTo("{\"traits\":{\"age_band\":\"25-34\"}}");
    }

    @Test
    void shouldSkipTheCanarysEvents() throws Exception {
        assertThat(
                        new ArchivedEventParser()
                                .parse(
                                        bytes(
                                                """
                                                {"event_id":"e-1","event_type":"content.post_created",
                                                 "user_id":"pulse-canary","canary":true,
                                                 "event_time":"2026-11-27T03:00:01Z"}
                                                """)))
                .isNull();
    }

    @Test
    void shouldRefuseWhatIsNotAnEnrichedEvent() {
        ArchivedEventParser parser = new ArchivedEventParser();
        for (String text :
                List.of(
                        "not json",
                        "[1]",
                        "{\"event_type\":\"user.page_viewed\",\"event_time\":\"2026-11-27T03:00:00Z\"}",
                        PAGE_VIEW.replace("\"user.page_viewed\"", "\"nofamily\""),
                        PAGE_VIEW.replace("2026-11-27T03:00:00.250Z", "yesterday"))) {
            assertThatThrownBy(() -> parser.parse(bytes(text)))
                    .as(text)
                    .isInstanceOf(MalformedRecordException.class);
        }
    }

    @Test
    void shouldReadADeadLetterWithItsCodeAndExcerpt() throws Exception {
        DeadLetterParser parser = new DeadLetterParser();
        DeadLetter letter =
                parser.parse(
                        bytes(
                                "{\"reason_code\":\"event_id\",\"reason\":\"event_id: expected a"
                                    + " UUID v7"
                                    + " event_id\",\"received_at\":\"2026-11-27T03:00:01.000Z\","
                                    + "\"event\":{\"event_id\":\"nope\",\"x\":1}}"));
        DeadLetter excerpt =
                parser.parse(
                        bytes(
                                "{\"reason_code\":\"from-a-newer-collector\",\"reason\":\"r\","
                                    + "\"received_at\":\"2026-11-27T03:00:01.000Z\",\"event_excerpt\":\"{\\\"big\"}"));

        assertThat(letter.reasonCode()).isEqualTo("event_id");
        assertThat(letter.eventId()).isEqualTo("nope");
        assertThat(letter.excerpt()).isEqualTo("{\"event_id\":\"nope\",\"x\":1}");
        assertThat(excerpt.reasonCode()).as("unknown to the table's enum").isEqualTo("other");
        assertThat(excerpt.excerpt()).isEqualTo("{\"big");
        assertThat(excerpt.eventId()).isEmpty();
    }

    @Test
    void shouldKnowExactlyTheReasonCodesOfTheDeadLettersTable() throws Exception {
        String sql =
                Files.readString(
                        Path.of("..", "clickhouse", "migrations", "0003_event_archive.sql"));
        Matcher enumText = Pattern.compile("reason_code Enum8\\(([^)]*)\\)").matcher(sql);
        assertThat(enumText.find()).isTrue();
        List<String> codes = new ArrayList<>();
        Matcher entry = Pattern.compile("'([a-z_]+)' = (\\d+)").matcher(enumText.group(1));
        while (entry.find()) {
            assertThat(Integer.parseInt(entry.group(2))).isEqualTo(codes.size());
            codes.add(entry.group(1));
        }
        assertThat(codes).isEqualTo(DeadLetterParser.REASON_CODES);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
