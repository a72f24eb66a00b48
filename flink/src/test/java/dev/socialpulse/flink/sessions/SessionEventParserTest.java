package dev.socialpulse.flink.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.socialpulse.flink.common.RecordParser.MalformedRecordException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class SessionEventParserTest {

    private final SessionEventParser parser = new SessionEventParser();

    @Test
    void shouldReadWhatSessionsNeed() throws Exception {
        SessionEvent event =
                parser.parse(
                        bytes(
                                """
                                {"event_id":"0190f1c2-7a3b-7cde-8f01-23456789abcd",
                                 "event_type":"user.page_viewed","schema_version":1,"user_id":"u-1",
                                 "session_id":"s-9","event_time":"2026-11-27T03:00:00.250Z",
                                 "context":{"page":{"path":"/feed"},"country":"DE",
                                  "device":{"type":"mobile","os":"iOS","browser":"Safari"}}}
                                """));

        assertThat(event)
                .isEqualTo(
                        new SessionEvent(
                                "0190f1c2-7a3b-7cde-8f01-23456789abcd",
                                "u-1",
                                "s-9",
                                Instant.parse("2026-11-27T03:00:00.250Z").toEpochMilli(),
                                "user.page_viewed",
                                "/feed",
                                "mobile",
                                "iOS",
                                "DE"));
        assertThat(event.isPageView()).isTrue();
    }

    @Test
    void shouldFileTheCanarysEventsUnderAVisitorOfItsOwn() throws Exception {
        SessionEvent event =
                parser.parse(
                        bytes(
                                """
                                {"event_id":"e-1","event_type":"user.page_viewed",
                                 "user_id":"canary-mifp2x4k-7","canary":true,
                                 "event_time":"2026-11-27T03:00:00Z",
                                 "context":{"page":{"path":"/canary"}}}
                                """));
        SessionEvent anonymous =
                parser.parse(
                        bytes(
                                """
                                {"event_id":"e-2","event_type":"content.liked","anonymous_id":"v-7",
                                 "canary":true,"event_time":"2026-11-27T03:00:00Z"}
                                """));

        assertThat(event.visitor()).isEqualTo("CANARY:canary-mifp2x4k-7");
        assertThat(event.isPageView()).isTrue();
        assertThat(anonymous.visitor()).isEqualTo("CANARY:a:v-7");
    }

    @Test
    void shouldNameAnAnonymousVisitorByItsAnonymousId() throws Exception {
        SessionEvent event =
                parser.parse(
                        bytes(
                                """
                                {"event_id":"e-1","event_type":"content.liked","anonymous_id":"v-7",
                                 "event_time":"2026-11-27T03:00:00Z"}
                                """));

        assertThat(event.visitor()).isEqualTo("a:v-7");
        assertThat(event.clientSessionId()).isEmpty();
        assertThat(event.isPageView()).isFalse();
    }

    @Test
    void shouldSkipAnIdentifyEventForItIsNotAnInteraction() throws Exception {
        SessionEvent identify =
                parser.parse(
                        bytes(
                                """
                                {"event_id":"0190f1c2-7a3b-7cde-8f01-23456789abce",
                                 "event_type":"user.identified","schema_version":2,"user_id":"u-1",
                                 "anonymous_id":"v-7","session_id":"s-9",
                                 "event_time":"2026-11-27T03:00:01Z",
                                 "context":{"page":{"path":"/welcome"},"country":"DE"},
                                 "properties":{"traits":{"age_band":"25-34","country":"DE"}}}
                                """));

        assertThat(identify).isNull();
    }

    @Test
    void shouldRefuseAnEventWithoutAVisitorOrTime() {
        assertThatThrownBy(
                        () ->
                                parser.parse(
                                        bytes(
                                                """
                                                {"event_id":"e-1","event_type":"user.searched",
                                                 "event_time":"2026-11-27T03:00:00Z"}
                                                """)))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("anonymous_id");
        assertThatThrownBy(
                        () ->
                                parser.parse(
                                        bytes(
                                                """
                                                {"event_id":"e-1","event_type":"user.searched",
                                                 "user_id":"u","event_time":"yesterday"}
                                                """)))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("event_time");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
