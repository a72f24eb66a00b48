package dev.socialpulse.flink.trending;

import static org.assertj.core.api.Assertions.assertThat;

import dev.socialpulse.flink.testing.CollectingSink;
import dev.socialpulse.flink.testing.TestSources;
import dev.socialpulse.flink.trending.functions.TrendingScore;
import dev.socialpulse.flink.trending.records.ContentEvent;
import dev.socialpulse.flink.trending.records.TrendingTopicRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A TaskManager killed in the middle of the stream, after checkpoints and after windows have fired:
 * the job restarts from its last checkpoint on a new TaskManager, replays the events after it, and
 * every horizon's lists (each window's newest generation, as the table's readers take them) equal a
 * clean run's. On a MiniCluster of its own, since the test kills its TaskManager.
 */
@Tag("component")
class TrendingTopicsRecoveryTest {

    private static final int PARALLELISM = 2;
    private static final long T = Instant.parse("2026-11-26T13:00:00Z").toEpochMilli();
    private static final int EVENTS = 3_000;

    /** 3,000 events over 15 minutes at 600 a second: about 5 s a run, checkpoints every 200 ms. */
    private static final double EVENTS_PER_SECOND = 600;

    /**
     * Production horizons; the script is in time order, so 5 s of out-of-orderness makes no event
     * late however the two readers interleave, and windows fire while the job runs.
     */
    private static final TrendingTopicsSettings SETTINGS =
            new TrendingTopicsSettings(
                    TrendingHorizon.fromClasspath(),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(5),
                    3,
                    TrendingScore.DEFAULTS,
                    Duration.ofHours(2),
                    Duration.ofMillis(200));

    private static MiniCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        Configuration config = new Configuration();
        config.set(TaskManagerOptions.NUM_TASK_SLOTS, PARALLELISM);
        // Any free port: a running platform's JobManager has 8081.
        config.set(RestOptions.BIND_PORT, "0");
        cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(config)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(PARALLELISM)
                                .build());
        cluster.start();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    /**
     * Eight topics whose popularity shifts every 500 events, authors from a pool of 97, and every
     * tenth event sent twice (a client's resend: same id).
     */
    static List<ContentEvent> script() {
        List<ContentEvent> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            long time = T + i * 300L;
            String topic = "t" + ((i % 5 == 0 ? i / 500 : i * 7) % 8);
            ContentEvent event =
                    new ContentEvent(
                            "e-" + i,
                            "content.post_created",
                            "u-" + (i * 13 % 97),
                            null,
                            false,
                            time,
                            "c-" + i,
                            List.of(topic));
            events.add(event);
            if (i % 10 == 0) {
                events.add(event);
            }
        }
        return events;
    }

    @Test
    void shouldGiveEveryHorizonTheCleanRunsListsAfterATaskManagerIsKilledMidStream()
            throws Exception {
        Map<String, List<String>> clean = newestLists(run(false));
        Map<String, List<String>> recovered = newestLists(run(true));

        assertThat(clean.keySet())
                .anyMatch(window -> window.startsWith("1m"))
                .anyMatch(window -> window.startsWith("5m"))
                .anyMatch(window -> window.startsWith("15m"));
        assertThat(recovered).isEqualTo(clean);
    }

    /**
     * Runs the job over the script; with {@code kill}, kills the TaskManager once it is under way.
     */
    private static List<TrendingTopicRow> run(boolean kill) throws Exception {
        try (CollectingSink<TrendingTopicRow> sink = new CollectingSink<>()) {
            Configuration config = new Configuration();
            config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
            config.set(
                    RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                    Duration.ofMillis(200));
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(config);
            env.setParallelism(PARALLELISM);
            new TrendingTopicsJob(
                            TestSources.fromElements(
                                    TypeInformation.of(ContentEvent.class),
                                    script(),
                                    EVENTS_PER_SECOND),
                            sink,
                            SETTINGS)
                    .buildPipeline(env);
            JobGraph graph = env.getStreamGraph().getJobGraph();
            JobID job = graph.getJobID();
            cluster.submitJob(graph).get();

            if (kill) {
                // Mid-stream: checkpoints taken and windows fired, input still to come.
                waitFor(() -> completedCheckpoints(job) >= 2 && !sink.getRecords().isEmpty());
                assertThat(cluster.getJobStatus(job).get()).isEqualTo(JobStatus.RUNNING);
                cluster.terminateTaskManager(0).get();
                cluster.startTaskManager();
            }

            JobResult result = cluster.requestJobResult(job).get();
            assertThat(result.getSerializedThrowable()).isEmpty();
            if (kill) {
                assertThat(
                                cluster.getArchivedExecutionGraph(job)
                                        .get()
                                        .getStatusTimestamp(JobStatus.RESTARTING))
                        .as("the job restarted after the TaskManager was killed")
                        .isPositive();
            }
            return sink.getRecords();
        }
    }

    private static long completedCheckpoints(JobID job) throws Exception {
        var stats = cluster.getExecutionGraph(job).get().getCheckpointStatsSnapshot();
        return stats == null ? 0 : stats.getCounts().getNumberOfCompletedCheckpoints();
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitFor(Condition condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 60 s");
            }
            Thread.sleep(20);
        }
    }

    /**
     * Per window ("1m@end"), its newest generation's rows, in rank order, without computed_at (a
     * list replayed after the restart has a newer one).
     */
    private static Map<String, List<String>> newestLists(List<TrendingTopicRow> rows) {
        Map<String, List<TrendingTopicRow>> byWindow =
                rows.stream()
                        .collect(
                                Collectors.groupingBy(
                                        r -> r.windowSize() + "@" + r.windowEndMillis(),
                                        TreeMap::new,
                                        Collectors.toList()));
        Map<String, List<String>> lists = new TreeMap<>();
        byWindow.forEach(
                (window, windowRows) -> {
                    long newest =
                            windowRows.stream()
                                    .mapToLong(TrendingTopicRow::computedAtMillis)
                                    .max()
                                    .orElseThrow();
                    lists.put(
                            window,
                            windowRows.stream()
                                    .filter(r -> r.computedAtMillis() == newest)
                                    .sorted(Comparator.comparingInt(TrendingTopicRow::rank))
                                    .map(
                                            r ->
                                                    r.rank()
                                                            + " "
                                                            + r.topic()
                                                            + " m="
                                                            + r.mentions()
                                                            + " a="
                                                            + r.uniqueAuthors()
                                                            + " w="
                                                            + r.weightedMentions()
                                                            + " b="
                                                            + r.baseline()
                                                            + " s="
                                                            + r.score())
                                    .toList());
                });
        return lists;
    }
}
