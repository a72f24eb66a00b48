package dev.socialpulse.flink.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.socialpulse.flink.testing.FakeClickHouse;
import dev.socialpulse.flink.testing.TestSources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The exactly-once sink in a whole job on a MiniCluster, against a fake ClickHouse at its outgoing
 * port: the job fails once mid-stream and restarts from its last checkpoint, and one insert's
 * answer is lost (the fake records the insert, then answers 500, so the inserter sends it again).
 * Applying the requests as ClickHouse does (a token seen before is dropped), every id is there
 * exactly once.
 */
@Tag("component")
class ExactlyOnceClickHouseSinkTest {

    private static final int PARALLELISM = 2;
    private static final int EVENTS = 3_000;

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(PARALLELISM)
                            .build());

    /**
     * Elements seen by the failing map, across attempts: the job fails once at the first 2,000th.
     */
    static final AtomicInteger SEEN = new AtomicInteger();

    static final AtomicInteger FAILURES = new AtomicInteger();

    @Test
    void shouldKeepEveryRowOnceAcrossARestartAndARepeatedInsert() throws Exception {
        try (FakeClickHouse clickHouse = new FakeClickHouse()) {
            clickHouse.failNext(500, "Code: 210. DB::NetException: answer lost");
            Configuration config = new Configuration();
            config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
            config.set(
                    RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                    Duration.ofMillis(100));
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(config);
            env.setParallelism(PARALLELISM);
            env.enableCheckpointing(100, CheckpointingMode.EXACTLY_ONCE);
            List<Long> ids = LongStream.range(0, EVENTS).boxed().toList();

            env.fromSource(
                            TestSources.fromElements(Types.LONG, ids, 3_000),
                            org.apache.flink.api.common.eventtime.WatermarkStrategy.noWatermarks(),
                            "ids")
                    .map(new FailOnce())
                    .sinkTo(
                            new ExactlyOnceClickHouseSink<Long>(
                                    new ClickHouseSinkConfig(
                                            clickHouse.url(),
                                            ClickHouseCredentials.of("pulse", "secret"),
                                            null,
                                            200,
                                            Duration.ofSeconds(1),
                                            3,
                                            Duration.ofMillis(10),
                                            Duration.ofSeconds(5)),
                                    "archive",
                                    (id, json) -> {
                                        json.writeStartObject();
                                        json.writeNumberField("id", id);
                                        json.writeEndObject();
                                    }));
            env.execute();

            assertThat(FAILURES.get()).as("the job failed and restarted once").isEqualTo(1);
            List<FakeClickHouse.Request> requests = clickHouse.requests();
            Map<String, Integer> sentPerToken = new HashMap<>();
            List<Long> applied = new ArrayList<>();
            Set<String> seenTokens = new HashSet<>();
            for (FakeClickHouse.Request request : requests) {
                String token = request.queryParameters().get("insert_deduplication_token");
                assertThat(token).as("every insert carries a token").isNotBlank();
                assertThat(request.queryParameters())
                        .containsEntry("deduplicate_blocks_in_dependent_materialized_views", "1");
                sentPerToken.merge(token, 1, Integer::sum);
                if (seenTokens.add(token)) {
                    request.lines()
                            .forEach(
                                    line ->
                                            applied.add(
                                                    Long.parseLong(line.replaceAll("\\D", ""))));
                }
            }
            assertThat(sentPerToken.values()).as("the lost answer's insert went twice").contains(2);
            assertThat(applied).hasSize(EVENTS).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(requests)
                    .allSatisfy(r -> assertThat(r.lines().size()).isLessThanOrEqualTo(200));
        }
    }

    /** Fails the job once, two thirds of the way through, after some checkpoints have completed. */
    static final class FailOnce implements MapFunction<Long, Long> {
        @Override
        public Long map(Long id) {
            if (SEEN.incrementAndGet() == 2_000 && FAILURES.getAndIncrement() == 0) {
                throw new IllegalStateException("injected failure");
            }
            return id;
        }
    }
}
