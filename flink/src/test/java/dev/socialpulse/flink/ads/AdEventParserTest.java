package dev.socialpulse.flink.ads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.socialpulse.flink.common.RecordParser.MalformedRecordException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("unit")
class AdEventParserTest {

    private static final long TIME = Instant.parse("2026-11-27T03:00:00.250Z").toEpochMilli();

    private final AdEventParser parser = new AdEventParser();

    @Test
    void shouldReadAnAdEventWithTheCollectorsEnrichment() throws Exception {
        AdEvent event =
                parser.parse(
                        bytes(
                                """
                                {"event_id":"0190f1c2-7a3b-7cde-8f01-23456789abcd",
                                 "event_type":"ad.click","schema_version":2,"user_id":"u-1",
                                 "anonymous_id":"v-1","event_time":"2026-11-27T03:00:00.250Z",
                                 "properties":{"campaign_id":"c-1","ad_id":"ad-7",
                                  "impression_id":"i-9","click_id":"k-3","cost_micros":40000,
                                  "currency":"EUR","placement":"feed"},
                                 "context":{"country":"DE","is_bot":false,
                                  "device":{"type":"mobile","os":"iOS","browser":"Safari"}}}
                                """));

        assertThat(event)
                .isEqualTo(
                        new AdEvent(
                                AdEvent.CLICK,
                                "0190f1c2-7a3b-7cde-8f01-23456789abcd",
                                "u-1",
                                "v-1",
                                "u-1",
                                TIME,
                                "c-1",
                                "ad-7",
                                "i-9",
                                "k-3",
                                40_000,
                                0,
                                "EUR",
                                "mobile",
                                "iOS",
                                "DE",
                                "",
                                "",
                                ""));
        assertThat(event.isAnonymousAdEvent()).isFalse();
    }

    @Test
    void shouldFileTheCanarysEventsUnderIdsOfItsOwn() throws Exception {
        AdEvent event =
                parser.parse(
                        bytes(
                                """
                                {"event_id":"e-1","event_type":"ad.click","canary":true,
                                 "user_id":"pulse-canary","anonymous_id":"v-1",
                                 "event_time":"2026-11-27T03:00:00.250Z",
                                 "properties":{"campaign_id":"c-1","ad_id":"ad-7",
                                  "impression_id":"i-9","click_id":"k-3"}}
                                """));

        // Its own visitor, campaign, impression and click: it never joins nor counts with a user's.
        assertThat(event.userId()).isEqualTo("CANARY:pulse-canary");
        assertThat(event.anonymousId()).isEqualTo("CANARY:v-1");
        assertThat(event.visitor()).isEqualTo("CANARY:pulse-canary");
        assertThat(event.campaignId()).isEqualTo("CANARY:c-1");
        assertThat(event.adId()).isEqualTo("ad-7");
        assertThat(event.impressionId()).isEqualTo("CANARY:i-9");
        assertThat(event.clickId()).isEqualTo("CANARY:k-3");
        assertThat(event.eventTime()).isEqualTo(TIME);
    }

    @Test
    void shouldLeaveTheIdsOfAnEventWithoutTheMarkerAsTheyAre() throws Exception {
        AdEvent event =
                parser.parse(
                        bytes(
                                """
                                {"event_id":"e-1","event_type":"ad.impression","canary":false,
                                 "user_id":"u-1","event_time":"2026-11-27T03:00:00.250Z",
                                 "properties":{"campaign_id":"c-1","ad_id":"ad-7"}}
                                """));

        assertThat(event.visitor()).isEqualTo("u-1");
        assertThat(event.campaignId()).isEqualTo("c-1");
    }

    @Test
    void shouldNameAnAnonymousVisitorByItsAnonymousId() throws Exception {
        AdEvent event =
                parser.parse(
                        bytes(
                                """
                                {"event_id":"e-1","event_type":"ad.conversion","anonymous_id":"v-7",
                                 "event_time":"2026-11-27T03:00:00.250Z",
                                 "properties":{"campaign_id":"c-1","ad_id":"ad-7","click_id":"k-3",
                                  "revenue_micros":25000000}}
                                """));

        assertThat(event.visitor()).isEqualTo("a:v-7");
        assertThat(event.isAnonymousAdEvent()).isTrue();
        assertThat(event.revenueMicros()).isEqualTo(25_000_000);
        assertThat(event.costMicros()).isZero();
        assertThat(event.currency()).isEmpty();
        assertThat(event.deviceType()).isEmpty();
    }

    @Test
    void shouldReadAnIdentifyKeepingOnlyTraitsFromTheClosedLists() throws Exception {
        AdEvent identify =
                parser.parse(
                        bytes(
                                """
                                {"event_id":"e-2","event_type":"user.identified","schema_version":2,
                                 "user_id":"u-1","anonymous_id":"v-1",
                                 "event_time":"2026-11-27T03:00:00.250Z",
                                 "properties":{"traits":{"age_band":"25-34","gender":"robot",
                                  "country":"de","signup_date":"2026-01-15","plan":"pro"}},
                                 "context":{"country":"FR"}}
                                """));

        assertThat(identify.isIdentify()).isTrue();
        assertThat(identify.userId()).isEqualTo("u-1");
        assertThat(identify.anonymousId()).isEqualTo("v-1");
        assertThat(identify.visitor()).isEqualTo("u-1");
        assertThat(identify.eventTime()).isEqualTo(TIME);
        assertThat(ProfileVersion.of(identify))
                .isEqualTo(new ProfileVersion(TIME, "25-34", "", ""));
    }

    @Test
    void shouldReadAnIdentifyWithoutTraitsAsAnUnknownProfile() throws Exception {
        AdEvent identify =
                parser.parse(
                        bytes(
                                """
                                {"event_id":"e-2","event_type":"user.identified","user_id":"u-1",
                                 "anonymous_id":"v-1","event_time":"2026-11-27T03:00:00.250Z"}
                                """));

        assertThat(ProfileVersion.of(identify)).isEqualTo(new ProfileVersion(TIME, "", "", ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"user.page_viewed", "user.logged_in", "content.liked"})
    void shouldSkipEveryOtherEventTypeWithoutCallingItMalformed(String type) throws Exception {
        assertThat(
                        parser.parse(
                                bytes(
                                        "{\"event_id\":\"e-1\",\"event_type\":\""
                                                + type
                                                + "\",\"user_id\":\"u-1\"}")))
                .isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"event_type\":\"ad.impression\",\"user_id\":\"u\",\"event_time\":\"%s\","
                        + "\"properties\":{\"campaign_id\":\"c\",\"ad_id\":\"a\"}}|event_id",
                "{\"event_id\":\"e\",\"event_type\":\"ad.impression\",\"event_time\":\"%s\","
                        + "\"properties\":{\"campaign_id\":\"c\",\"ad_id\":\"a\"}}|anonymous_id",
                "{\"event_id\":\"e\",\"event_type\":\"ad.impression\",\"user_id\":\"u\","
                        + "\"event_time\":\"%s\",\"properties\":{\"ad_id\":\"a\"}}|campaign_id",
                "{\"event_id\":\"e\",\"event_type\":\"ad.impression\",\"user_id\":\"u\","
                        + "\"event_time\":\"%s\",\"properties\":{\"campaign_id\":\"c\","
                        + "\"ad_id\":\"a\",\"cost_micros\":-1}}|cost_micros",
                "{\"event_id\":\"e\",\"event_type\":\"ad.impression\",\"user_id\":\"u\","
                        + "\"event_time\":\"%s\",\"properties\":{\"campaign_id\":\"c\","
                        + "\"ad_id\":\"a\",\"revenue_micros\":1.5}}|revenue_micros",
                "{\"event_id\":\"e\",\"event_type\":\"ad.impression\",\"user_id\":\"u\","
                        + "\"event_time\":\"yesterday\",\"properties\":{\"campaign_id\":\"c\","
                        + "\"ad_id\":\"a\"}}|event_time",
                "{\"event_id\":\"e\",\"event_type\":\"user.identified\",\"anonymous_id\":\"v\","
                        + "\"event_time\":\"%s\"}|user_id"
            })
    void shouldRefuseAnEventItCannotCount(String caseAndField) {
        String[] parts = caseAndField.split("\\|");
        String json = parts[0].replace("%s", "2026-11-27T03:00:00Z");

        assertThatThrownBy(() -> parser.parse(bytes(json)))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining(parts[1]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "42", "\"ad.impression\"", "{\"event_type\":", "{\"a\" 1}"})
    void shouldRefuseWhatIsNotAJsonObject(String json) {
        assertThatThrownBy(() -> parser.parse(bytes(json)))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2000.0|2000", "2e3|2000", "null|0", "0|0"})
    void shouldReadAWholeAmountHoweverWrittenAndNullAsNone(String amountAndMicros)
            throws Exception {
        String[] parts = amountAndMicros.split("\\|");

        AdEvent event = parser.parse(bytes(impressionWith("\"cost_micros\":" + parts[0])));

        assertThat(event.costMicros()).isEqualTo(Long.parseLong(parts[1]));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"2000\"", "true", "[1]", "1e30", "99999999999999999999", "-0.5"})
    void shouldRefuseAnAmountThatIsNoWholeNumber(String amount) {
        assertThatThrownBy(() -> parser.parse(bytes(impressionWith("\"cost_micros\":" + amount))))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("cost_micros");
    }

    @Test
    void shouldSkipFieldsItDoesNotUseWhateverTheirShapeAndTakeTheLastOfARepeatedOne()
            throws Exception {
        AdEvent event =
                parser.parse(
                        bytes(
                                """
                                {"event_id":"e-1","event_type":"ad.impression","user_id":"u-0",
                                 "extra":{"nested":[1,{"campaign_id":"no"}],"s":"x"},
                                 "context":{"user_agent":"Mozilla/5.0","device":{"type":"tv",
                                  "os":["x"],"screen":{"w":1}},"country":7},
                                 "event_time":"2026-11-27T03:00:00.250Z","user_id":"u-1",
                                 "properties":{"tags":[],"campaign_id":"c-1","ad_id":"ad-7",
                                  "impression_id":null,"traits":"none"}}
                                """));

        assertThat(event.userId()).isEqualTo("u-1");
        assertThat(event.campaignId()).isEqualTo("c-1");
        assertThat(event.deviceType()).isEqualTo("tv");
        assertThat(event.os()).isEmpty();
        assertThat(event.country()).isEmpty();
        assertThat(event.impressionId()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\"properties\":\"c-1\"",
                "\"properties\":{\"campaign_id\":5,\"ad_id\":\"a\"}"
            })
    void shouldRefuseARequiredFieldThatIsNoString(String properties) {
        String json =
                "{\"event_id\":\"e\",\"event_type\":\"ad.click\",\"user_id\":\"u\","
                        + "\"event_time\":\"2026-11-27T03:00:00Z\","
                        + properties
                        + "}";

        assertThatThrownBy(() -> parser.parse(bytes(json)))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("campaign_id");
    }

    private static String impressionWith(String property) {
        return "{\"event_id\":\"e\",\"event_type\":\"ad.impression\",\"user_id\":\"u\","
                + "\"event_time\":\"2026-11-27T03:00:00Z\",\"properties\":{\"campaign_id\":\"c\","
                + "\"ad_id\":\"a\","
                + property
                + "}}";
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
