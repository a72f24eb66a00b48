package dev.socialpulse.flink.ads;

import static dev.socialpulse.flink.ads.AdFixtures.DAY;
import static dev.socialpulse.flink.ads.AdFixtures.MINUTE;
import static dev.socialpulse.flink.ads.AdFixtures.SECOND;
import static dev.socialpulse.flink.ads.AdFixtures.T0;
import static dev.socialpulse.flink.ads.AdFixtures.click;
import static dev.socialpulse.flink.ads.AdFixtures.conversion;
import static dev.socialpulse.flink.ads.AdFixtures.identify;
import static dev.socialpulse.flink.ads.AdFixtures.impression;
import static org.assertj.core.api.Assertions.assertThat;

import dev.socialpulse.flink.testing.CollectingSink;
import dev.socialpulse.flink.testing.TestSources;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Ad Performance Calculator on a MiniCluster at parallelism 2 over a scripted funnel: the
 * change rows it emits sum, per row, to exactly what the funnel should count, with resent events
 * counted once and links, profiles and attributions applied by event time.
 */
@Tag("component")
class AdPerformanceJobTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final AdPerformanceSettings SETTINGS =
            new AdPerformanceSettings(
                    Duration.ofMinutes(30),
                    Duration.ofDays(7),
                    Duration.ofMinutes(5),
                    Duration.ofDays(30),
                    Duration.ofMillis(100),
                    Duration.ofMinutes(1),
                    Duration.ofSeconds(1),
                    Duration.ofMillis(100));

    private static final String[] NOBODY = {};
    private static final int GENERATED_VISITORS = 50;

    @Test
    void shouldEmitChangesThatSumToTheFunnelsExactCounts() throws Exception {
        List<AdEvent> events = new ArrayList<>(scriptedFunnel());
        events.addAll(generatedFunnel());
        events.sort(Comparator.comparingLong(AdEvent::eventTime));
        resendAfterTheirOriginals(events);
        // Read out of order: k-5's conversion (40 s) before its click (35 s).
        int conversion = indexOf(events, AdEvent.CONVERSION, "k-5");
        int click = indexOf(events, AdEvent.CLICK, "k-5");
        events.add(click, events.remove(conversion));

        List<AdChange> emitted = run(events);

        assertThat(emitted)
                .allSatisfy(
                        change -> {
                            assertThat(change.changedAt()).isPositive();
                            assertThat(sumOf(List.of(change)).values())
                                    .noneMatch(AdChangeSum::isEmpty);
                        });
        Map<AdRow, AdChangeSum> sums = sumOf(emitted);
        Map<AdRow, AdChange> scripted = new LinkedHashMap<>();
        sums.forEach(
                (row, sum) -> {
                    if (row.campaignId().equals("c-1")) {
                        scripted.put(row, sum.toChange(row, 0));
                    }
                });
        assertThat(scripted).containsExactlyInAnyOrderEntriesOf(scriptedTruth());

        List<AdChangeSum> generated =
                sums.entrySet().stream()
                        .filter(entry -> entry.getKey().campaignId().equals("c-2"))
                        .map(Map.Entry::getValue)
                        .toList();
        AdChangeSum total = new AdChangeSum();
        generated.forEach(sum -> total.add(sum.toChange(null, 0)));
        assertThat(total.toChange(null, 0))
                .isEqualTo(
                        new AdChange(
                                null,
                                GENERATED_VISITORS,
                                GENERATED_VISITORS,
                                GENERATED_VISITORS,
                                GENERATED_VISITORS,
                                0,
                                GENERATED_VISITORS * (1_500L + 40_000L),
                                GENERATED_VISITORS * 1_000_000L,
                                0,
                                generatedUsers(),
                                0));
        Map<String, Long> impressionsByAgeBand = new TreeMap<>();
        sums.forEach(
                (row, sum) -> {
                    if (row.campaignId().equals("c-2")) {
                        impressionsByAgeBand.merge(row.ageBand(), sum.impressions, Long::sum);
                    }
                });
        Map<String, Long> expectedByAgeBand = new TreeMap<>();
        for (int i = 0; i < GENERATED_VISITORS; i++) {
            expectedByAgeBand.merge(ageBandOf(i), 1L, Long::sum);
        }
        assertThat(impressionsByAgeBand).isEqualTo(expectedByAgeBand);
    }

    @Test
    void shouldCountTheCanarysEventsInItsOwnCampaignOnly() throws Exception {
        List<AdEvent> events = new ArrayList<>(scriptedFunnel());
        // The canary's impression, and a click and a conversion of the canary's that name a
        // user's impression and click (i-1, k-5): they join the canary's own ids only.
        events.add(canary("ad.impression", T0 + 15 * SECOND, "\"impression_id\":\"i-9\""));
        events.add(
                canary(
                        "ad.click",
                        T0 + 50 * SECOND,
                        "\"impression_id\":\"i-1\",\"click_id\":\"k-1\""));
        events.add(canary("ad.conversion", T0 + 55 * SECOND, "\"click_id\":\"k-5\""));
        events.sort(Comparator.comparingLong(AdEvent::eventTime));

        Map<AdRow, AdChangeSum> sums = sumOf(run(events));

        Map<AdRow, AdChange> scripted = new LinkedHashMap<>();
        AdChangeSum canary = new AdChangeSum();
        sums.forEach(
                (row, sum) -> {
                    if (row.campaignId().equals("c-1")) {
                        scripted.put(row, sum.toChange(row, 0));
                    } else {
                        assertThat(row.campaignId()).isEqualTo("CANARY:canary-campaign");
                        assertThat(row.adId()).isEqualTo("canary-1");
                        canary.add(sum.toChange(row, 0));
                    }
                });
        // The users' campaign counts exactly what it counts without the canary.
        assertThat(scripted).containsExactlyInAnyOrderEntriesOf(scriptedTruth());
        assertThat(canary.impressions).isEqualTo(1);
        assertThat(canary.clicks).isEqualTo(1);
        assertThat(canary.attributedClicks).isZero();
        assertThat(canary.conversions).isZero();
        assertThat(canary.unattributedConversions).isEqualTo(1);
        assertThat(canary.reached).containsExactly("CANARY:pulse-canary");
    }

    /** The canary's ad event as the collector writes it, read by the job's own parser. */
    private static AdEvent canary(String type, long time, String ids) throws Exception {
        String json =
                String.format(
                        "{\"event_id\":\"canary-%d\",\"event_type\":\"%s\",\"canary\":true,"
                                + "\"user_id\":\"pulse-canary\",\"event_time\":\"%s\","
                                + "\"properties\":{\"campaign_id\":\"canary-campaign\","
                                + "\"ad_id\":\"canary-1\",%s}}",
                        time, type, Instant.ofEpochMilli(time), ids);
        return new AdEventParser().parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldGiveEveryStatefulOperatorAUid() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new AdPerformanceJob(
                        TestSources.fromElements(TypeInformation.of(AdEvent.class), List.of()),
                        new CollectingSink<>(),
                        SETTINGS)
                .buildPipeline(env);

        assertThat(env.getStreamGraph().getStreamNodes())
                .extracting(StreamNode::getTransformationUID)
                .contains(
                        AdPerformanceJob.SOURCE_UID,
                        AdPerformanceJob.RESOLVE_VISITORS_UID,
                        AdPerformanceJob.TAG_PROFILES_UID,
                        AdPerformanceJob.JOIN_CLICKS_UID,
                        AdPerformanceJob.JOIN_CONVERSIONS_UID,
                        AdPerformanceJob.CLICK_CHANGES_LOCAL_SUMS_UID,
                        AdPerformanceJob.CONVERSION_CHANGES_LOCAL_SUMS_UID,
                        AdPerformanceJob.CHANGES_UID,
                        AdPerformanceJob.SINK_UID);
    }

    /**
     * Campaign c-1: a linked anonymous visitor, a user without a profile country, an anonymous
     * visitor never linked; clicks in and out of the click window, a conversion two days after its
     * click in another currency, one whose click is unknown.
     */
    private static List<AdEvent> scriptedFunnel() {
        return List.of(
                identify("u-1", "v-1", T0, "25-34", "female", "DE"),
                identify("u-2", "v-2", T0, "45-54", "male", ""),
                impression("i-1").anonymous("v-1").at(T0 + 10 * SECOND).build(),
                impression("i-2").by("u-2").at(T0 + 20 * SECOND).build(),
                impression("i-3").anonymous("v-3").at(T0 + 30 * SECOND).build(),
                click("i-2", "k-5").by("u-2").at(T0 + 35 * SECOND).build(),
                conversion("k-5").by("u-2").at(T0 + 40 * SECOND).revenue(3_000_000).build(),
                click("i-1", "k-1").by("u-1").at(T0 + 70 * SECOND).build(),
                click("i-3", "k-3").anonymous("v-3").at(T0 + 90 * SECOND).build(),
                conversion("k-3").anonymous("v-3").at(T0 + 2 * MINUTE).revenue(5_000_000).build(),
                conversion("k-9").by("u-2").at(T0 + 3 * MINUTE).revenue(1_000_000).build(),
                click("i-2", "k-2").by("u-2").at(T0 + 20 * SECOND + 31 * MINUTE).build(),
                conversion("k-1").by("u-1").at(T0 + 2 * DAY).currency("USD").build());
    }

    private static Map<AdRow, AdChange> scriptedTruth() {
        AdRow u1 = row(T0, "DE", "25-34", "female", "EUR");
        AdRow u2 = row(T0, "FR", "45-54", "male", "EUR");
        AdRow v3 = row(T0, "FR", "unknown", "unknown", "EUR");
        Map<AdRow, AdChange> truth = new LinkedHashMap<>();
        // i-1 resolved through v-1's link; resent once.
        put(truth, u1, 1, 0, 0, 0, 0, 1_500, 0, 0, "u-1");
        // i-2, k-5 attributed to it, k-5's conversion (read before its click, restated within
        // this same row: its own and its click's).
        put(truth, u2, 1, 1, 1, 1, 0, 41_500, 3_000_000, 0, "u-2");
        put(truth, v3, 1, 0, 0, 0, 0, 1_500, 0, 0, "a:v-3");
        // k-1 and k-3 in minute 1, attributed; k-3's conversion credited to it.
        put(truth, atMinute(u1, T0 + MINUTE), 0, 1, 1, 0, 0, 40_000, 0, 0);
        put(truth, atMinute(v3, T0 + MINUTE), 0, 1, 1, 1, 0, 40_000, 5_000_000, 0);
        // k-1's conversion two days later: k-1's minute and tags, its own currency.
        put(truth, atMinute(u1, T0 + MINUTE).withCurrency("USD"), 0, 0, 0, 1, 0, 0, 25_000_000, 0);
        // k-9 is unknown: unattributed, in the conversion's own row.
        put(truth, atMinute(u2, T0 + 3 * MINUTE), 0, 0, 0, 0, 1, 0, 0, 1_000_000);
        // k-2 came 31 minutes after its impression: counted, not attributed.
        put(truth, atMinute(u2, T0 + 31 * MINUTE), 0, 1, 0, 0, 0, 40_000, 0, 0);
        return truth;
    }

    /**
     * Campaign c-2: visitors seen anonymously, signing in, then clicking and converting an hour
     * later; every click resent.
     */
    private static List<AdEvent> generatedFunnel() {
        List<AdEvent> events = new ArrayList<>();
        String[] genders = ProfileVersion.GENDERS.toArray(String[]::new);
        for (int i = 0; i < GENERATED_VISITORS; i++) {
            long at = T0 + i * SECOND;
            events.add(identify("g-" + i, "gv-" + i, at, ageBandOf(i), genders[i % 4], "DE"));
            events.add(
                    impression("gi-" + i)
                            .ad("c-2", "ad-" + (i % 3))
                            .anonymous("gv-" + i)
                            .at(at + 1)
                            .build());
            events.add(
                    click("gi-" + i, "gk-" + i)
                            .ad("c-2", "ad-" + (i % 3))
                            .by("g-" + i)
                            .at(at + 2 * SECOND)
                            .build());
            events.add(
                    conversion("gk-" + i)
                            .ad("c-2", "ad-" + (i % 3))
                            .by("g-" + i)
                            .at(at + 60 * MINUTE)
                            .revenue(1_000_000)
                            .build());
        }
        return events;
    }

    private static String ageBandOf(int visitor) {
        return ProfileVersion.AGE_BANDS.get(visitor % ProfileVersion.AGE_BANDS.size());
    }

    private static String[] generatedUsers() {
        return IntStream.range(0, GENERATED_VISITORS)
                .mapToObj(i -> "g-" + i)
                .sorted()
                .toArray(String[]::new);
    }

    /**
     * Clients that lost the collector's answers resent i-1, k-1's conversion and every generated
     * click, re-stamped a few milliseconds later.
     */
    private static void resendAfterTheirOriginals(List<AdEvent> events) {
        for (int i = events.size() - 1; i >= 0; i--) {
            AdEvent event = events.get(i);
            boolean resent =
                    event.impressionId().equals("i-1") && event.clickId().isEmpty()
                            || event.eventType().equals(AdEvent.CONVERSION)
                                    && event.clickId().equals("k-1")
                            || event.eventType().equals(AdEvent.CLICK)
                                    && event.clickId().startsWith("gk-");
            if (resent) {
                events.add(i + 1, resent(event));
            }
        }
    }

    private static AdEvent resent(AdEvent event) {
        return new AdEvent(
                event.eventType(),
                event.eventId(),
                event.userId(),
                event.anonymousId(),
                event.visitor(),
                event.eventTime() + 3,
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

    private static int indexOf(List<AdEvent> events, String type, String clickId) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).eventType().equals(type) && events.get(i).clickId().equals(clickId)) {
                return i;
            }
        }
        throw new AssertionError("no " + type + " of " + clickId);
    }

    private static List<AdChange> run(List<AdEvent> events) throws Exception {
        try (CollectingSink<AdChange> sink = new CollectingSink<>()) {
            // Without Kryo: a record or state type Flink cannot serialise itself fails the run.
            Configuration config = new Configuration();
            config.set(PipelineOptions.GENERIC_TYPES, false);
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(config);
            env.setParallelism(2);
            new AdPerformanceJob(
                            TestSources.fromElements(TypeInformation.of(AdEvent.class), events),
                            sink,
                            SETTINGS)
                    .buildPipeline(env);
            env.execute();
            return sink.getRecords();
        }
    }

    private static Map<AdRow, AdChangeSum> sumOf(List<AdChange> changes) {
        Map<AdRow, AdChangeSum> sums = new LinkedHashMap<>();
        for (AdChange change : changes) {
            sums.computeIfAbsent(change.row(), row -> new AdChangeSum()).add(change);
        }
        return sums;
    }

    private static AdRow row(
            long minute, String country, String ageBand, String gender, String currency) {
        return new AdRow(
                minute, "c-1", "ad-1", "mobile", "iOS", country, ageBand, gender, currency);
    }

    private static AdRow atMinute(AdRow row, long minute) {
        return new AdRow(
                minute,
                row.campaignId(),
                row.adId(),
                row.deviceType(),
                row.os(),
                row.country(),
                row.ageBand(),
                row.gender(),
                row.currency());
    }

    private static void put(
            Map<AdRow, AdChange> truth,
            AdRow row,
            long impressions,
            long clicks,
            long attributedClicks,
            long conversions,
            long unattributedConversions,
            long spendMicros,
            long revenueMicros,
            long unattributedRevenueMicros,
            String... reached) {
        truth.put(
                row,
                new AdChange(
                        row,
                        impressions,
                        clicks,
                        attributedClicks,
                        conversions,
                        unattributedConversions,
                        spendMicros,
                        revenueMicros,
                        unattributedRevenueMicros,
                        reached.length == 0 ? NOBODY : reached,
                        0));
    }
}
