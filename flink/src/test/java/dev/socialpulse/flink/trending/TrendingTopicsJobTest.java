package dev.socialpulse.flink.trending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.socialpulse.flink.clickhouse.ClickHouseSink;
import dev.socialpulse.flink.clickhouse.ClickHouseSinkConfig;
import dev.socialpulse.flink.testing.CollectingSink;
import dev.socialpulse.flink.testing.FakeClickHouse;
import dev.socialpulse.flink.testing.TestSources;
import dev.socialpulse.flink.trending.functions.TrendingScore;
import dev.socialpulse.flink.trending.records.ContentEvent;
import dev.socialpulse.flink.trending.records.TrendingTopicRow;
import dev.socialpulse.flink.trending.records.TrendingTopicRowEncoder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.function.SerializableSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole job on a MiniCluster at parallelism 2, on a bounded source, with the production
 * horizons (1m/2s, 5m/10s, 15m/30s from the shared file).
 */
@Tag("component")
class TrendingTopicsJobTest {

    private static final int PARALLELISM = 2;

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(PARALLELISM)
                            .build());

    /** A quarter hour, so every window edge of every horizon is T plus whole slides. */
    private static final long T = Instant.parse("2026-11-26T13:00:00Z").toEpochMilli();

    /** The end of the windows checked: the 15-minute window [T, E), and the last 5 and 1. */
    private static final long E = T + 900_000L;

    private static final TrendingScore SCORE = TrendingScore.DEFAULTS;

    @Test
    void shouldWriteTheCanarysTopicAfterTheTopNWithoutTakingAPlace() throws Exception {
        try (CollectingSink<TrendingTopicRow> sink = new CollectingSink<>()) {
            List<ContentEvent> events = new ArrayList<>();
            // Four topics for a top 3, the weakest with one author; the canary with one too.
            for (String topic : List.of("a", "b", "c")) {
                for (int i = 0; i < 5; i++) {
                    events.add(event(topic + i, topic + "-u" + i, false, T + 1_000L, topic));
                }
            }
            events.add(event("d0", "d-u0", false, T + 1_000L, "d"));
            events.add(
                    new ContentEvent(
                            "canary-0",
                            "content.post_created",
                            "pulse-canary",
                            null,
                            false,
                            T + 1_000L,
                            "canary-0",
                            List.of("canary-0"),
                            true));

            new TrendingTopicsJob(source(events), sink, TEST_SETTINGS).execute();

            assertThat(list(sink.getRecords(), "1m", T + 2_000L))
                    .extracting(TrendingTopicRow::rank, TrendingTopicRow::topic)
                    .containsExactly(
                            tuple(1, "a"),
                            tuple(2, "b"),
                            tuple(3, "c"),
                            tuple(4, "CANARY:canary-0"));
        }
    }

    /**
     * Production horizons and score, top 3. The out-of-orderness spans all the script's events: the
     * two source readers interleave arbitrarily and the watermarks are periodic, so no event may be
     * late for the lists to be exact (lateness: with exact watermarks in {@code
     * AggregateTopicWindowsTest}, and on a running job below, where the source holds the late
     * events back until their windows have fired).
     */
    private static final TrendingTopicsSettings TEST_SETTINGS =
            new TrendingTopicsSettings(
                    TrendingHorizon.fromClasspath(),
                    Duration.ofHours(1),
                    Duration.ofSeconds(5),
                    3,
                    SCORE,
                    Duration.ofHours(2),
                    // No checkpoint during these short runs: one still pending when the bounded job
                    // ends only logs a warning. flush() still runs at end of input.
                    Duration.ofHours(1));

    /** In order, out-of-orderness 1 s: a mention behind the watermark is late. */
    private static final TrendingTopicsSettings LATENESS_SETTINGS =
            new TrendingTopicsSettings(
                    TrendingHorizon.fromClasspath(),
                    Duration.ofSeconds(1),
                    Duration.ofHours(1),
                    3,
                    SCORE,
                    Duration.ofHours(2),
                    Duration.ofHours(1));

    /**
     * The script, shuffled (out of order, within the out-of-orderness):
     *
     * <ul>
     *   <li>steady: one new author every 6 s for the whole quarter hour (10 a minute)
     *   <li>surge: 40 authors once each in the last minute, plus the bot ring's posts
     *   <li>spam: one account posting it 1000 times in the last minute
     *   <li>botring: 50 bot-flagged accounts posting it and surge in the last minute
     *   <li>dupes: 15 authors once each in the last minute, every event resent twice (same id)
     * </ul>
     */
    static List<ContentEvent> script() {
        List<ContentEvent> events = new ArrayList<>();
        long lastMinute = E - 60_000L;
        for (int j = 0; j < 150; j++) {
            events.add(event("steady-" + j, "s-" + j, false, T + 6_000L * j, "Steady"));
        }
        for (int i = 0; i < 40; i++) {
            events.add(event("surge-" + i, "g-" + i, false, lastMinute + 1_500L * i, "#surge"));
        }
        for (int i = 0; i < 1000; i++) {
            events.add(event("spam-" + i, "spammer", false, lastMinute + 60L * i, "spam"));
        }
        for (int i = 0; i < 50; i++) {
            events.add(
                    event(
                            "bot-" + i,
                            "bot-" + i,
                            true,
                            lastMinute + 1_200L * i,
                            "botring",
                            "surge"));
        }
        for (int i = 0; i < 15; i++) {
            for (int copy = 0; copy < 3; copy++) {
                events.add(event("dupe-" + i, "d-" + i, false, lastMinute + 4_000L * i, "dupes"));
            }
        }
        Collections.shuffle(events, new Random(42));
        return events;
    }

    @Test
    void shouldRankEachHorizonsWindowExactlyWithSpamBotsAndDuplicatesDamped() throws Exception {
        try (CollectingSink<TrendingTopicRow> sink = new CollectingSink<>()) {
            long before = System.currentTimeMillis();

            new TrendingTopicsJob(source(script()), sink, TEST_SETTINGS).execute();

            List<TrendingTopicRow> rows = sink.getRecords();
            // 1m [E-1m, E): the surge (W 40, new) first; dupes counted once (15, not 45); steady at
            // its own baseline; the spammer (W = 4) falls out of the top 3.
            assertThat(list(rows, "1m", E))
                    .extracting(
                            TrendingTopicRow::rank,
                            TrendingTopicRow::topic,
                            TrendingTopicRow::mentions,
                            TrendingTopicRow::uniqueAuthors,
                            TrendingTopicRow::botMentions)
                    .containsExactly(
                            tuple(1, "surge", 40L, 40, 50L),
                            tuple(2, "dupes", 15L, 15, 0L),
                            tuple(3, "steady", 10L, 10, 0L));
            // 5m [E-5m, E): steady has 50 authors against a baseline of its earlier 5 minutes.
            assertThat(list(rows, "5m", E))
                    .extracting(
                            TrendingTopicRow::rank,
                            TrendingTopicRow::topic,
                            TrendingTopicRow::mentions)
                    .containsExactly(
                            tuple(1, "surge", 40L),
                            tuple(2, "steady", 50L),
                            tuple(3, "dupes", 15L));
            // 15m [T, E): no earlier window of the topic: steady is new here, and first.
            assertThat(list(rows, "15m", E))
                    .extracting(
                            TrendingTopicRow::rank,
                            TrendingTopicRow::topic,
                            TrendingTopicRow::mentions)
                    .containsExactly(
                            tuple(1, "steady", 150L),
                            tuple(2, "surge", 40L),
                            tuple(3, "dupes", 15L));

            for (String horizon : List.of("1m", "5m", "15m")) {
                for (TrendingTopicRow row : list(rows, horizon, E)) {
                    assertExplained(row, horizon);
                }
            }
            // The bot ring never counts, the spammer never leads, and each window's list is one
            // generation, ranked 1..n.
            assertThat(rows).noneMatch(r -> r.topic().equals("botring"));
            assertThat(rows)
                    .noneMatch(
                            r ->
                                    r.topic().equals("spam")
                                            && r.rank() == 1
                                            && r.windowEndMillis() == E);
            Map<String, List<TrendingTopicRow>> lists =
                    rows.stream()
                            .collect(
                                    Collectors.groupingBy(
                                            r -> r.windowSize() + "@" + r.windowEndMillis()));
            assertThat(lists.values())
                    .allSatisfy(
                            list -> {
                                assertThat(list)
                                        .extracting(TrendingTopicRow::computedAtMillis)
                                        .containsOnly(list.get(0).computedAtMillis());
                                assertThat(list)
                                        .extracting(TrendingTopicRow::rank)
                                        .containsExactlyInAnyOrderElementsOf(
                                                java.util.stream.IntStream.rangeClosed(
                                                                1, list.size())
                                                        .boxed()
                                                        .toList());
                            });
            assertThat(rows)
                    .allSatisfy(
                            r ->
                                    assertThat(r.computedAtMillis())
                                            .isBetween(before, System.currentTimeMillis()));
        }
    }

    /** Every part of a row of the window ending at E, computed by hand from the script. */
    private static void assertExplained(TrendingTopicRow row, String horizon) {
        TrendingHorizon h =
                TEST_SETTINGS.horizons().stream()
                        .filter(x -> x.label().equals(horizon))
                        .findFirst()
                        .orElseThrow();
        double weighted;
        double baseline;
        switch (row.topic()) {
            case "steady" -> {
                weighted = steadyAuthors(E - h.windowMillis(), E);
                baseline = steadyBaseline(h);
            }
            case "surge" -> {
                weighted = 40;
                baseline = 0;
            }
            case "dupes" -> {
                weighted = 15;
                baseline = 0;
            }
            case "spam" -> {
                weighted = SCORE.authorCap();
                baseline = 0;
            }
            default -> throw new AssertionError("unexpected topic " + row.topic());
        }
        assertThat(row.weightedMentions()).as("W of %s", row).isCloseTo(weighted, within(1e-9));
        assertThat(row.baseline()).as("B of %s", row).isCloseTo(baseline, within(1e-9));
        assertThat(row.velocity()).isCloseTo(SCORE.velocity(weighted, baseline), within(1e-9));
        assertThat(row.score()).isCloseTo(SCORE.score(weighted, baseline), within(1e-9));
        assertThat(row.damping()).isCloseTo(1 - weighted / row.mentions(), within(1e-9));
        assertThat(row.windowStartMillis()).isEqualTo(E - h.windowMillis());
    }

    /** Steady's distinct authors (one event each) in [from, to). */
    private static int steadyAuthors(long from, long to) {
        int authors = 0;
        for (int j = 0; j < 150; j++) {
            long t = T + 6_000L * j;
            if (t >= from && t < to) {
                authors++;
            }
        }
        return authors;
    }

    /** B(E) by its definition: B(e) = d·B(e - slide) + (1 - d)·W(e - H), 0 before the topic. */
    private static double steadyBaseline(TrendingHorizon h) {
        double d = SCORE.baselineDecayPerSlide(h);
        double baseline = 0;
        for (long e = T; e <= E; e += h.slideMillis()) {
            long earlier = e - h.windowMillis();
            baseline = d * baseline + (1 - d) * steadyAuthors(earlier - h.windowMillis(), earlier);
        }
        return baseline;
    }

    @Test
    void shouldWriteEveryWindowHoldingOneMentionInEachHorizonWithTheDefaults() throws Exception {
        TrendingTopicsSettings defaults = TrendingTopicsJob.Flags.parse(new String[0]).settings();
        try (CollectingSink<TrendingTopicRow> sink = new CollectingSink<>()) {

            new TrendingTopicsJob(
                            source(List.of(event("e-1", "u-1", false, T + 1_000L, "ai"))),
                            sink,
                            defaults)
                    .execute();

            // The mention at T+1s is in every window of a horizon that holds its pane: for the
            // 1-minute horizon (1 s slide) the 60 ending T+2s ... T+61s, for the others (30
            // slides per window) the 30 ending T+slide ... T+window.
            Map<String, List<Long>> ends =
                    sink.getRecords().stream()
                            .collect(
                                    Collectors.groupingBy(
                                            TrendingTopicRow::windowSize,
                                            Collectors.mapping(
                                                    r -> (r.windowEndMillis() - T) / 1_000L,
                                                    Collectors.toList())));
            assertThat(ends).containsOnlyKeys("1m", "5m", "15m");
            assertThat(ends.get("1m")).hasSize(60).contains(2L, 61L).doesNotContain(62L);
            assertThat(ends.get("5m")).hasSize(30).contains(10L, 300L);
            assertThat(ends.get("15m")).hasSize(30).contains(30L, 900L);
            assertThat(sink.getRecords())
                    .allSatisfy(
                            r -> {
                                assertThat(r.topic()).isEqualTo("ai");
                                assertThat(r.mentions()).isEqualTo(1L);
                                assertThat(r.rank()).isEqualTo(1);
                                // ln 2 * (1 + 10) / 10: a new topic with one author.
                                assertThat(r.score()).isCloseTo(Math.log(2) * 1.1, within(1e-12));
                            });
        }
    }

    @Test
    void shouldInsertTheTopTopicsIntoClickHouse() throws Exception {
        try (FakeClickHouse clickHouse = new FakeClickHouse()) {
            ClickHouseSinkConfig config =
                    ClickHouseSinkConfig.of(
                            clickHouse.url(), "default", "", null, 1_000, Duration.ofMinutes(1));

            new TrendingTopicsJob(
                            source(List.of(event("e-1", "u-1", false, T + 1_000L, "ai"))),
                            new ClickHouseSink<>(
                                    config,
                                    TrendingTopicRowEncoder.TABLE,
                                    new TrendingTopicRowEncoder()),
                            TEST_SETTINGS)
                    .execute();

            // The flush timer is a minute: the rows reached ClickHouse through flush() at the end
            // of input.
            List<String> lines = new ArrayList<>();
            clickHouse.requests().forEach(request -> lines.addAll(request.lines()));
            assertThat(lines).hasSize(120);
            assertThat(lines)
                    .anySatisfy(
                            line ->
                                    assertThat(line)
                                            .startsWith(
                                                    "{\"window_size\":\"1m\",\"window_start\":\"2026-11-26"
                                                        + " 12:59:02.000\",\"window_end\":\"2026-11-26"
                                                        + " 13:00:02.000\",\"rank\":1,\"topic\":\"ai\","
                                                        + "\"score\":0.7624618986159398,\"mentions\":1,"
                                                        + "\"unique_authors\":1,\"weighted_mentions\":1.0,"
                                                        + "\"damping\":0.0,\"bot_mentions\":0,\"baseline\":0.0,"
                                                        + "\"velocity\":1.1,\"computed_at\":\""));
        }
    }

    /**
     * Late events on a running job: the source holds them back until the sink has the last
     * 15-minute window that could hold them, so the watermark has passed every window of every
     * horizon they fall in when they arrive (a condition, not a timing). Parallelism 1: one reader
     * counts the elements.
     */
    @Test
    void shouldDropMentionsLateForEveryWindowAndKeepTheListsExact() throws Exception {
        List<ContentEvent> events = new ArrayList<>();
        List<Long> onTime = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            long time = E - 60_000L + 5_000L * i;
            onTime.add(time);
            events.add(event("ontime-" + i, "o-" + i, false, time, "ontime"));
        }
        // Moves the watermark past E + 15 min (out-of-orderness 1 s).
        events.add(event("pusher", "p-1", false, E + 16 * 60_000L, "pusher"));
        int firstLate = events.size();
        for (int i = 0; i < 30; i++) {
            events.add(event("late-" + i, "l-" + i, false, E - 60_000L + 1_500L * i, "latecomer"));
        }
        for (int i = 0; i < 5; i++) {
            events.add(
                    event(
                            "late-ontime-" + i,
                            "lo-" + i,
                            false,
                            E - 50_000L + 1_000L * i,
                            "ontime"));
        }
        // The last 15-minute window holding E - 15 s, the latest late mention's pane.
        long lastWindowEnd = E + 14 * 60_000L + 30_000L;

        try (CollectingSink<TrendingTopicRow> sink = new CollectingSink<>()) {
            SerializableSupplier<Boolean> lastWindowRanked =
                    () ->
                            sink.getRecords().stream()
                                    .anyMatch(
                                            row ->
                                                    row.windowSize().equals("15m")
                                                            && row.windowEndMillis()
                                                                    == lastWindowEnd);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            new TrendingTopicsJob(
                            TestSources.fromElementsHeldAt(
                                    TypeInformation.of(ContentEvent.class),
                                    events,
                                    firstLate,
                                    lastWindowRanked),
                            sink,
                            LATENESS_SETTINGS)
                    .buildPipeline(env);
            env.execute();

            List<TrendingTopicRow> rows = sink.getRecords();
            assertThat(rows).extracting(TrendingTopicRow::topic).doesNotContain("latecomer");
            for (String horizon : List.of("1m", "5m", "15m")) {
                assertThat(list(rows, horizon, E))
                        .extracting(
                                TrendingTopicRow::rank,
                                TrendingTopicRow::topic,
                                TrendingTopicRow::mentions,
                                TrendingTopicRow::uniqueAuthors)
                        .as(horizon)
                        .containsExactly(tuple(1, "ontime", 10L, 10));
            }
            // Every window of ontime, in every horizon, counts its on-time mentions only.
            List<TrendingTopicRow> ontime =
                    rows.stream().filter(row -> row.topic().equals("ontime")).toList();
            assertThat(ontime).isNotEmpty();
            for (TrendingTopicRow row : ontime) {
                long inWindow =
                        onTime.stream()
                                .filter(
                                        t ->
                                                t >= row.windowStartMillis()
                                                        && t < row.windowEndMillis())
                                .count();
                assertThat(row.mentions()).as(row.toString()).isEqualTo(inWindow);
            }
        }
    }

    @Test
    void shouldGiveEveryOperatorANameAndAStableUid() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new TrendingTopicsJob(source(script()), new CollectingSink<>(), TEST_SETTINGS)
                .buildPipeline(env);

        StreamGraph graph = env.getStreamGraph();

        assertThat(graph.getStreamNodes())
                .extracting(StreamNode::getTransformationUID)
                .containsExactlyInAnyOrder(
                        TrendingTopicsJob.SOURCE_UID,
                        TrendingTopicsJob.DROP_DUPLICATE_EVENTS_UID,
                        TrendingTopicsJob.EXTRACT_HASHTAGS_UID,
                        TrendingTopicsJob.AGGREGATE_TOPIC_WINDOWS_UID,
                        TrendingTopicsJob.RANK_TOP_TOPICS_UID,
                        TrendingTopicsJob.SINK_UID);
        // Kept from the first version: the source's offsets and the stateless operators.
        assertThat(
                        List.of(
                                TrendingTopicsJob.SOURCE_UID,
                                TrendingTopicsJob.EXTRACT_HASHTAGS_UID,
                                TrendingTopicsJob.SINK_UID))
                .containsExactly(
                        "content-events-source", "extract-hashtags", "trending-topics-sink");
        // Replaced operators' uids are never reused for state of another kind.
        assertThat(graph.getStreamNodes())
                .extracting(StreamNode::getTransformationUID)
                .doesNotContain(
                        "count-mentions",
                        "rank-top-topics",
                        "count-late-mentions",
                        "drop-duplicate-events",
                        "aggregate-topic-windows");
    }

    private static List<TrendingTopicRow> list(
            List<TrendingTopicRow> rows, String horizon, long windowEnd) {
        return rows.stream()
                .filter(r -> r.windowSize().equals(horizon) && r.windowEndMillis() == windowEnd)
                .sorted(java.util.Comparator.comparingInt(TrendingTopicRow::rank))
                .toList();
    }

    private static org.apache.flink.api.connector.source.Source<ContentEvent, ?, ?> source(
            List<ContentEvent> events) {
        return TestSources.fromElements(TypeInformation.of(ContentEvent.class), events);
    }

    private static ContentEvent event(
            String id, String user, boolean bot, long time, String... hashtags) {
        return new ContentEvent(
                id, "content.post_created", user, null, bot, time, "c-1", List.of(hashtags));
    }
}
