package dev.socialpulse.flink.ads;

import static dev.socialpulse.flink.ads.AdFixtures.LATENESS;
import static dev.socialpulse.flink.ads.AdFixtures.MINUTE;
import static dev.socialpulse.flink.ads.AdFixtures.PROFILE_TTL;
import static dev.socialpulse.flink.ads.AdFixtures.SETTINGS;
import static dev.socialpulse.flink.ads.AdFixtures.T0;
import static dev.socialpulse.flink.ads.AdFixtures.identify;
import static dev.socialpulse.flink.ads.AdFixtures.impression;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Stage 1: anonymous visitors resolved through their links ({@link ResolveVisitors}) and ad events
 * tagged with the profile of their time ({@link TagProfiles}), on Flink's operator test harness.
 */
@Tag("component")
class AdProfileLookupTest {

    private static final long L = LATENESS.toMillis();

    private TagProfiles tagProfiles;
    private KeyedOneInputStreamOperatorTestHarness<String, AdEvent, TaggedAdEvent> tag;
    private ResolveVisitors resolveVisitors;
    private KeyedOneInputStreamOperatorTestHarness<String, AdEvent, AdEvent> resolve;

    @BeforeEach
    void setUp() throws Exception {
        tagProfiles = new TagProfiles(SETTINGS);
        tag =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        tagProfiles, AdEvent::visitor, Types.STRING);
        tag.setStateTtlProcessingTime(0);
        resolveVisitors = new ResolveVisitors(SETTINGS);
        resolve =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        resolveVisitors, AdEvent::anonymousId, Types.STRING);
    }

    @AfterEach
    void tearDown() throws Exception {
        tag.close();
        resolve.close();
    }

    @Test
    void shouldTagEachEventWithTheProfileOfItsTimeAcrossAProfileChange() throws Exception {
        send(tag, identify("u-1", "", T0, "25-34", "female", "DE"));
        send(tag, impression("i-0").by("u-1").at(T0 - MINUTE).build());
        send(tag, impression("i-1").by("u-1").at(T0 + 5 * MINUTE).build());
        send(tag, impression("i-2").by("u-1").at(T0 + 15 * MINUTE).build());
        // Read after the event it applies to, but before the watermark passed its time.
        send(tag, identify("u-1", "", T0 + 10 * MINUTE, "35-44", "male", ""));
        assertThat(tag.extractOutputValues()).isEmpty();

        tag.processWatermark(T0 + 20 * MINUTE);

        assertThat(tag.extractOutputValues())
                .extracting(
                        TaggedAdEvent::impressionId,
                        event -> event.row().ageBand(),
                        event -> event.row().gender(),
                        event -> event.row().country())
                .containsExactly(
                        tuple("i-0", "unknown", "unknown", "FR"),
                        tuple("i-1", "25-34", "female", "DE"),
                        // No country in the new profile: the event's own (from the request).
                        tuple("i-2", "35-44", "male", "FR"));
    }

    @Test
    void shouldHoldAnEventUntilTheWatermarkPassesItsTime() throws Exception {
        send(tag, impression("i-1").by("u-1").at(T0).build());
        tag.processWatermark(T0 - 1);
        assertThat(tag.extractOutputValues()).isEmpty();

        tag.processWatermark(T0);
        assertThat(tag.extractOutputValues()).hasSize(1);
    }

    @Test
    void shouldCountUnknownDemographicsAndDevicesAsUnknownNeverDropThem() throws Exception {
        send(tag, impression("i-1").by("u-9").at(T0 + 30_000).device("", "", "").build());
        send(tag, impression("i-2").by("u-9").at(T0 + 30_000).currency("").build());
        tag.processWatermark(T0 + MINUTE);

        assertThat(tag.extractOutputValues())
                .extracting(TaggedAdEvent::row)
                .containsExactly(
                        new AdRow(
                                T0, "c-1", "ad-1", "unknown", "unknown", "unknown", "unknown",
                                "unknown", "EUR"),
                        new AdRow(
                                T0, "c-1", "ad-1", "mobile", "iOS", "FR", "unknown", "unknown",
                                "unknown"));
    }

    @Test
    void shouldDropResentEventsWhetherHeldOrAlreadyEmitted() throws Exception {
        AdEvent first = impression("i-1").by("u-1").at(T0).build();
        send(tag, first);
        // The collector re-derived the resend's time from another batch: 3 ms later.
        send(tag, withTime(first, T0 + 3));
        tag.processWatermark(T0 + MINUTE);
        // Resent again after the first was emitted, still within the allowed lateness.
        send(tag, withTime(first, T0 + 5));

        assertThat(tag.extractOutputValues()).hasSize(1);
        assertThat(tagProfiles.duplicateEventCount()).isEqualTo(2);
        assertThat(tagProfiles.tooLateEventCount()).isZero();
    }

    @Test
    void shouldTagALateEventAtOnceAndDropOneBeyondTheAllowedLateness() throws Exception {
        send(tag, identify("u-1", "", T0, "18-24", "non_binary", "SE"));
        tag.processWatermark(T0 + 10 * MINUTE);

        send(tag, impression("late").by("u-1").at(T0 + 10 * MINUTE - L + 1).build());
        assertThat(tag.extractOutputValues())
                .extracting(TaggedAdEvent::impressionId, event -> event.row().ageBand())
                .containsExactly(tuple("late", "18-24"));

        send(tag, impression("too-late").by("u-1").at(T0 + 10 * MINUTE - L).build());
        assertThat(tag.extractOutputValues()).hasSize(1);
        assertThat(tagProfiles.tooLateEventCount()).isEqualTo(1);
    }

    @Test
    void shouldForgetASupersededProfileTheAllowedLatenessAfterTheNextOne() throws Exception {
        send(tag, identify("u-1", "", T0, "25-34", "female", "DE"));
        send(tag, identify("u-1", "", T0 + MINUTE, "25-34", "female", "AT"));
        // Signing in again with the same traits adds no version.
        send(tag, identify("u-1", "", T0 + 2 * MINUTE, "25-34", "female", "AT"));
        assertThat(versionsOf("u-1"))
                .extracting(ProfileVersion::validFrom)
                .containsExactly(T0, T0 + MINUTE);

        tag.processWatermark(T0 + MINUTE + L - 1);
        assertThat(versionsOf("u-1")).hasSize(2);
        tag.processWatermark(T0 + MINUTE + L);
        assertThat(versionsOf("u-1"))
                .extracting(ProfileVersion::validFrom, ProfileVersion::country)
                .containsExactly(tuple(T0 + MINUTE, "AT"));
    }

    @Test
    void shouldForgetAProfileTheTtlAfterItsLastIdentify() throws Exception {
        send(tag, identify("u-1", "", T0, "25-34", "female", "DE"));
        tag.setStateTtlProcessingTime(PROFILE_TTL.toMillis() - 1);
        send(tag, impression("kept").by("u-1").at(T0 + MINUTE).build());
        tag.processWatermark(T0 + MINUTE);
        tag.setStateTtlProcessingTime(PROFILE_TTL.toMillis());
        send(tag, impression("forgotten").by("u-1").at(T0 + 2 * MINUTE).build());
        tag.processWatermark(T0 + 2 * MINUTE);

        assertThat(tag.extractOutputValues())
                .extracting(TaggedAdEvent::impressionId, event -> event.row().ageBand())
                .containsExactly(tuple("kept", "25-34"), tuple("forgotten", "unknown"));
    }

    @Test
    void shouldKeepNoStateForAnEventOnceItCanNoLongerBeResent() throws Exception {
        send(tag, impression("i-1").by("u-1").at(T0).build());
        tag.processWatermark(T0);
        assertThat(tag.numKeyedStateEntries()).isEqualTo(1);

        tag.processWatermark(T0 + L + TagProfiles.RESEND_TIME_SHIFT_MS);
        assertThat(tag.numKeyedStateEntries()).isZero();
        assertThat(tag.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldResolveAnAnonymousImpressionThroughItsLinkFromTheSignInOn() throws Exception {
        AdEvent signIn = identify("u-1", "v-1", T0, "45-54", "male", "IT");
        send(resolve, signIn);
        send(tag, signIn);
        send(resolve, impression("before").anonymous("v-1").at(T0 - MINUTE).build());
        send(resolve, impression("after").anonymous("v-1").at(T0 + MINUTE).build());
        send(resolve, impression("other").anonymous("v-2").at(T0 + MINUTE).build());
        // Another user signs in on the same device.
        send(resolve, identify("u-2", "v-1", T0 + 2 * MINUTE, "", "", ""));
        send(resolve, impression("relinked").anonymous("v-1").at(T0 + 3 * MINUTE).build());
        resolve.processWatermark(T0 + 10 * MINUTE);

        for (AdEvent resolved : resolve.extractOutputValues()) {
            send(tag, resolved);
        }
        tag.processWatermark(T0 + 10 * MINUTE);

        assertThat(tag.extractOutputValues())
                .extracting(
                        TaggedAdEvent::impressionId,
                        TaggedAdEvent::visitor,
                        event -> event.row().ageBand(),
                        event -> event.row().country())
                .containsExactlyInAnyOrder(
                        tuple("before", "a:v-1", "unknown", "FR"),
                        tuple("after", "u-1", "45-54", "IT"),
                        tuple("other", "a:v-2", "unknown", "FR"),
                        tuple("relinked", "u-2", "unknown", "FR"));
        assertThat(resolveVisitors.tooLateEventCount()).isZero();
    }

    private List<ProfileVersion> versionsOf(String user) throws Exception {
        tag.getOperator().setCurrentKey(user);
        return tagProfiles.currentVersions();
    }

    private static <T> void send(
            KeyedOneInputStreamOperatorTestHarness<String, AdEvent, T> harness, AdEvent event)
            throws Exception {
        harness.processElement(event, event.eventTime());
    }

    private static AdEvent withTime(AdEvent event, long time) {
        return new AdEvent(
                event.eventType(),
                event.eventId(),
                event.userId(),
                event.anonymousId(),
                event.visitor(),
                time,
                event.campaignId(),
                event.adId(),
                event.impressionId(),
                event.clickId(),
                event.costMicros(),
                event.revenueMicros(),
                event.currency(),
                event.deviceType(),
                event.os(),
                event.country(),
                event.ageBand(),
                event.gender(),
                event.profileCountry());
    }
}
