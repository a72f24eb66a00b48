package dev.socialpulse.flink.trending.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.socialpulse.flink.trending.functions.ContentEventParser.MalformedEventException;
import dev.socialpulse.flink.trending.records.ContentEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("unit")
class ContentEventParserTest {

    private static final String COLLECTOR_EVENT =
            "{\"event_id\":\"0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b\",\"event_type\":\"content.post_created\","
                + "\"schema_version\":1,\"user_id\":\"u-42\",\"event_time\":\"2026-11-26T13:05:01.123Z\","
                + "\"received_at\":\"2026-11-26T13:05:01.200Z\","
                + "\"properties\":{\"content_id\":\"c-1\",\"hashtags\":[\"ai\",\"worldcup\"]}}";

    private final ContentEventParser parser = new ContentEventParser();

    @Test
    void shouldParseACollectorEvent() throws Exception {
        ContentEvent event = parse(COLLECTOR_EVENT);

        assertThat(event)
                .isEqualTo(
                        new ContentEvent(
                                "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
                                "content.post_created",
                                "u-42",
                                null,
                                false,
                                Instant.parse("2026-11-26T13:05:01.123Z").toEpochMilli(),
                                "c-1",
                                java.util.List.of("ai", "worldcup")));
    }

    @Test
    void shouldReadTheCanaryMarkerOnlyFromAJsonTrue() throws Exception {
        String event =
                "{\"event_id\":\"e-7\",\"event_type\":\"content.viewed\",\"user_id\":\"u\","
                        + "\"event_time\":\"2026-11-26T13:05:01Z\"";
        assertThat(parse(event + ",\"canary\":true}").canary()).isTrue();
        assertThat(parse(event + ",\"canary\":\"true\"}").canary()).isFalse();
        assertThat(parse(event + ",\"canary\":{\"x\":true}}").canary()).isFalse();
        assertThat(parse(event + "}").canary()).isFalse();
    }

    @Test
    void shouldReadTheAnonymousIdAndTheBotFlag() throws Exception {
        ContentEvent event =
                parse(
                        "{\"event_id\":\"e-7\",\"event_type\":\"content.viewed\",\"anonymous_id\":\"anon-9\","
                            + "\"event_time\":\"2026-11-26T13:05:01Z\",\"context\":{\"is_bot\":true}}");

        assertThat(event.anonymousId()).isEqualTo("anon-9");
        assertThat(event.userId()).isNull();
        assertThat(event.bot()).isTrue();
        assertThat(event.author()).isEqualTo("a:anon-9");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(
            strings = {
                "",
                ",\"context\":{\"is_bot\":false}",
                ",\"context\":{\"is_bot\":\"true\"}",
                ",\"context\":{\"is_bot\":1}",
                ",\"context\":\"bot\"",
                ",\"context\":null"
            })
    void shouldFlagABotOnlyForAJsonTrue(String context) throws Exception {
        ContentEvent event =
                parse(
                        "{\"event_type\":\"content.viewed\",\"event_time\":\"2026-11-26T13:05:01Z\""
                                + context
                                + "}");

        assertThat(event.bot()).isFalse();
    }

    @Test
    void shouldIgnoreUnknownFields() throws Exception {
        ContentEvent event =
                parse(
                        "{\"event_type\":\"content.viewed\",\"event_time\":\"2026-11-26T13:05:01Z\","
                            + "\"future_field\":{\"nested\":[1,2,{\"x\":null}]},\"context\":{\"locale\":\"en\"},"
                            + "\"properties\":{\"content_id\":\"c-9\",\"hashtags\":[\"f1\"],\"author_id\":\"u-1\","
                            + "\"brand_new\":true}}");

        assertThat(event.eventType()).isEqualTo("content.viewed");
        assertThat(event.contentId()).isEqualTo("c-9");
        assertThat(event.hashtags()).containsExactly("f1");
    }

    @Test
    void shouldAcceptAnEventTimeWithAnOffset() throws Exception {
        ContentEvent event =
                parse(
                        "{\"event_type\":\"content.liked\","
                                + "\"event_time\":\"2026-11-26T14:05:01.123+01:00\"}");

        assertThat(event.eventTimeMillis())
                .isEqualTo(Instant.parse("2026-11-26T13:05:01.123Z").toEpochMilli());
    }

    @Test
    void shouldTreatMissingPropertiesOrHashtagsAsNoHashtags() throws Exception {
        assertThat(
                        parse(
                                        "{\"event_type\":\"content.liked\",\"event_time\":\"2026-11-26T13:05:01Z\"}")
                                .hashtags())
                .isEmpty();
        assertThat(
                        parse(
                                        "{\"event_type\":\"content.liked\",\"event_time\":\"2026-11-26T13:05:01Z\","
                                            + "\"properties\":{\"content_id\":\"c-1\",\"hashtags\":null}}")
                                .hashtags())
                .isEmpty();
    }

    @Test
    void shouldTakeTheLastValueOfAFieldGivenTwice() throws Exception {
        ContentEvent event =
                parse(
                        "{\"event_type\":\"content.viewed\",\"event_time\":\"2026-11-26T13:05:01Z\","
                            + "\"user_id\":\"u-1\",\"properties\":{\"hashtags\":[\"old\"]},"
                            + "\"context\":{\"is_bot\":true},\"user_id\":\"u-2\","
                            + "\"properties\":{\"content_id\":\"c-2\"},\"context\":{}}");

        assertThat(event.userId()).isEqualTo("u-2");
        assertThat(event.contentId()).isEqualTo("c-2");
        assertThat(event.hashtags()).isEmpty();
        assertThat(event.bot()).isFalse();
    }

    @Test
    void shouldSkipHashtagsThatAreNotStrings() throws Exception {
        ContentEvent event =
                parse(
                        "{\"event_type\":\"content.shared\",\"event_time\":\"2026-11-26T13:05:01Z\","
                            + "\"properties\":{\"hashtags\":[\"ai\",42,null,{\"x\":1},\"f1\"]}}");

        assertThat(event.hashtags()).containsExactly("ai", "f1");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(
            strings = {
                "",
                "not json",
                "{\"event_type\":\"content.viewed\",",
                "{\"event_type\":\"content.viewed\",\"event_time\":\"2026-11-26T13:05:01Z\",",
                "{\"event_type\":\"content.viewed\",\"event_time\":\"2026-11-26T13:05:01Z\",\"x\":[1,",
                "[1,2,3]",
                "\"a string\"",
                "null",
                "{}",
                "{\"event_time\":\"2026-11-26T13:05:01Z\"}",
                "{\"event_type\":42,\"event_time\":\"2026-11-26T13:05:01Z\"}",
                "{\"event_type\":\"content.viewed\"}",
                "{\"event_type\":\"content.viewed\",\"event_time\":\"yesterday\"}",
                "{\"event_type\":\"content.viewed\",\"event_time\":1764162301123}",
                "{\"event_type\":\"content.viewed\",\"event_time\":\"2026-11-26T13:05:01Z\",\"properties\":[]}",
                "{\"event_type\":\"content.viewed\",\"event_time\":\"2026-11-26T13:05:01Z\","
                        + "\"properties\":{\"hashtags\":\"ai\"}}"
            })
    void shouldRejectMalformedEvents(String json) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(MalformedEventException.class);
    }

    @Test
    void shouldRejectAMissingRecordValue() {
        assertThatThrownBy(() -> parser.parse(null)).isInstanceOf(MalformedEventException.class);
    }

    private ContentEvent parse(String json) throws MalformedEventException {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadTheCommonUtcFormExactlyAsInstantParseDoes() throws Exception {
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 100_000; i++) {
            // Years 0000 to 9999, every millisecond equally likely.
            long millis =
                    -62_167_219_200_000L + (long) (random.nextDouble() * 315_537_897_600_000L);
            String text = Instant.ofEpochMilli(millis).toString();
            if (text.length() == 20) {
                text = text.replace("Z", ".000Z"); // toString drops a zero fraction
            }
            assertThat(ContentEventParser.parseTime(text)).as(text).isEqualTo(millis);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-02-29T00:00:00.000Z",
                "2026-13-01T00:00:00.000Z",
                "2026-11-27T23:60:00.000Z",
                "2026-11-27T23:00:00.0a0Z",
                "2026-11-27T\u0661\u0662:00:00.000Z",
                "2026-11-27 23:00:00.000Z"
            })
    void shouldRefuseWhatInstantParseRefuses(String text) {
        assertThatThrownBy(() -> ContentEventParser.parseTime(text))
                .isInstanceOf(MalformedEventException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-27T03:17:14Z", "2026-11-27T04:17:14.5+01:00"})
    void shouldLeaveOtherFormsToInstantParse(String text) throws Exception {
        assertThat(ContentEventParser.parseTime(text))
                .isEqualTo(Instant.parse(text).toEpochMilli());
    }
}
