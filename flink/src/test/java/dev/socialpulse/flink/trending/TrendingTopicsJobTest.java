package dev.socialpulse.flink.trending;

import static org.assertj.core.api.Assertions.assertThat;

import dev.socialpulse.flink.clickhouse.ClickHouseSink;
import dev.socialpulse.flink.clickhouse.ClickHouseSinkConfig;
import dev.socialpulse.flink.testing.CollectingSink;
import dev.socialpulse.flink.testing.FakeClickHouse;
import dev.socialpulse.flink.testing.TestSources;
import dev.socialpulse.flink.trending.records.ContentEvent;
import dev.socialpulse.flink.trending.records.TrendingTopicRow;
import dev.socialpulse.flink.trending.records.TrendingTopicRowEncoder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole job on a MiniCluster at parallelism 2, on a bounded source. */
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

    /** A minute boundary, so every 5 s and 10 s window edge is T plus whole seconds. */
    private static final long T = Instant.parse("2026-11-26T13:05:00Z").toEpochMilli();

    /**
     * 10 s windows every 5 s, top 2. The out-of-orderness spans all the test's events: the two
     * source readers interleave arbitrarily, and no event may be late for the counts to be exact.
     * (Lateness is tested with exact watermarks in {@link CountMentionsWindowTest}.)
     */
    private static final TrendingTopicsSettings TEST_SETTINGS =
            new TrendingTopicsSettings(
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(5),
                    Duration.ofMinutes(10),
                    Duration.ofSeconds(5),
                    2,
                    // No checkpoint during these sub-second runs: one still pending when the
                    // bounded job ends only logs a warning. flush() still runs at end of input.
                    Duration.ofHours(1));

    private static final List<ContentEvent> EVENTS =
            List.of(
                    event("content.post_created", 1, "ai", "worldcup"),
                    event("content.viewed", 2, "ai"),
                    event("user.page_viewed", 3, "ai"),
                    event("content.liked", 6, "ai", "f1"),
                    event("content.commented", 7, "#AI ", "WorldCup", "", "ai"),
                    event("content.shared", 12, "f1"),
                    event("content.shared", 13));

    @Test
    void shouldEmitTheExactTopTopicsOfEveryWindow() throws Exception {
        try (CollectingSink<TrendingTopicRow> sink = new CollectingSink<>()) {
            long before = System.currentTimeMillis();

            new TrendingTopicsJob(source(EVENTS), sink, TEST_SETTINGS).execute();

            // [T-5, T+5): ai 2, worldcup 1 | [T, T+10): ai 4, worldcup 2, (f1 1 not in the top 2)
            // [T+5, T+15): ai 2, f1 2 (tie: by name), (worldcup 1) | [T+10, T+20): f1 1
            assertThat(withoutComputedAt(sink.getRecords()))
                    .containsExactlyInAnyOrder(
                            row(-5, 5, "ai", 2, 1),
                            row(-5, 5, "worldcup", 1, 2),
                            row(0, 10, "ai", 4, 1),
                            row(0, 10, "worldcup", 2, 2),
                            row(5, 15, "ai", 2, 1),
                            row(5, 15, "f1", 2, 2),
                            row(10, 20, "f1", 1, 1));
            assertThat(sink.getRecords())
                    .allSatisfy(
                            r ->
                                    assertThat(r.computedAtMillis())
                                            .isBetween(before, System.currentTimeMillis()));
        }
    }

    @Test
    void shouldCountAnEventInAllTwelveOneMinuteWindowsByDefault() throws Exception {
        TrendingTopicsSettings defaults = TrendingTopicsJob.Flags.parse(new String[0]).settings();
        try (CollectingSink<TrendingTopicRow> sink = new CollectingSink<>()) {

            new TrendingTopicsJob(source(List.of(event("content.viewed", 1, "ai"))), sink, defaults)
                    .execute();

            // Windows [T-55s, T+5s) ... [T, T+60s) all hold the event at T+1s.
            assertThat(withoutComputedAt(sink.getRecords()))
                    .containsExactlyInAnyOrderElementsOf(
                            LongStream.rangeClosed(0, 11)
                                    .mapToObj(
                                            i ->
                                                    new TrendingTopicRow(
                                                            "1m",
                                                            T - 55_000L + i * 5_000L,
                                                            T + 5_000L + i * 5_000L,
                                                            "ai",
                                                            1L,
                                                            1.0,
                                                            1,
                                                            0L))
                                    .toList());
        }
    }

    @Test
    void shouldInsertTheTopTopicsIntoClickHouse() throws Exception {
        try (FakeClickHouse clickHouse = new FakeClickHouse()) {
            ClickHouseSinkConfig config =
                    ClickHouseSinkConfig.of(
                            clickHouse.url(), "default", "", null, 1_000, Duration.ofMinutes(1));

            new TrendingTopicsJob(
                            source(EVENTS),
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
            assertThat(lines).hasSize(7);
            assertThat(lines)
                    .anySatisfy(
                            line ->
                                    assertThat(line)
                                            .startsWith(
                                                    "{\"window_size\":\"10s\",\"window_start\":\"2026-11-26"
                                                        + " 13:05:00.000\",\"window_end\":\"2026-11-26"
                                                        + " 13:05:10.000\",\"topic\":\"ai\","
                                                        + "\"mentions\":4,\"score\":4.0,\"rank\":1,\"computed_at\":\""));
        }
    }

    @Test
    void shouldGiveEveryOperatorANameAndAStableUid() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new TrendingTopicsJob(source(EVENTS), new CollectingSink<>(), TEST_SETTINGS)
                .buildPipeline(env);

        StreamGraph graph = env.getStreamGraph();

        assertThat(graph.getStreamNodes())
                .extracting(StreamNode::getTransformationUID)
                .containsExactlyInAnyOrder(
                        TrendingTopicsJob.SOURCE_UID,
                        TrendingTopicsJob.EXTRACT_HASHTAGS_UID,
                        TrendingTopicsJob.COUNT_MENTIONS_UID,
                        TrendingTopicsJob.COUNT_LATE_MENTIONS_UID,
                        TrendingTopicsJob.RANK_TOP_TOPICS_UID,
                        TrendingTopicsJob.SINK_UID);
    }

    private static org.apache.flink.api.connector.source.Source<ContentEvent, ?, ?> source(
            List<ContentEvent> events) {
        return TestSources.fromElements(TypeInformation.of(ContentEvent.class), events);
    }

    private static ContentEvent event(String type, int second, String... hashtags) {
        return new ContentEvent(
                "e-" + type + "-" + second,
                type,
                "u-1",
                T + second * 1_000L,
                "c-1",
                List.of(hashtags));
    }

    private static TrendingTopicRow row(
            int startSecond, int endSecond, String topic, long mentions, int rank) {
        return new TrendingTopicRow(
                "10s",
                T + startSecond * 1_000L,
                T + endSecond * 1_000L,
                topic,
                mentions,
                mentions,
                rank,
                0L);
    }

    private static List<TrendingTopicRow> withoutComputedAt(List<TrendingTopicRow> rows) {
        return rows.stream()
                .map(
                        r ->
                                new TrendingTopicRow(
                                        r.windowSize(),
                                        r.windowStartMillis(),
                                        r.windowEndMillis(),
                                        r.topic(),
                                        r.mentions(),
                                        r.score(),
                                        r.rank(),
                                        0L))
                .toList();
    }
}
