package dev.socialpulse.flink.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.socialpulse.flink.clickhouse.ClickHouseCredentials;
import dev.socialpulse.flink.clickhouse.ClickHouseSinkConfig;
import dev.socialpulse.flink.clickhouse.ExactlyOnceClickHouseSink;
import dev.socialpulse.flink.testing.FakeClickHouse;
import dev.socialpulse.flink.testing.TestSources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The archive job on a MiniCluster at parallelism 2, bounded sources, its real exactly-once sinks
 * against a fake ClickHouse (its outgoing port): resent events are archived once, dead letters land
 * in their own table.
 */
@Tag("component")
class EventArchiveJobTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final EventArchiveJob.Settings SETTINGS =
            new EventArchiveJob.Settings(Duration.ofHours(1), Duration.ofMillis(100));

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void shouldArchiveEveryEventOnceAndEveryDeadLetter() throws Exception {
        List<ArchivedEvent> events = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            events.add(event(String.format("0190f1c2-7a3b-7cde-8f01-%012d", i), i));
        }
        // A client resent the first ten (its answer was lost).
        for (int i = 0; i < 10; i++) {
            events.add(event(String.format("0190f1c2-7a3b-7cde-8f01-%012d", i), i));
        }
        List<DeadLetter> letters =
                List.of(
                        new DeadLetter(1_000L, "event_id", "event_id: expected a UUID", "x", "{}"),
                        new DeadLetter(2_000L, "depth", "nested deeper than 32", "", ""));

        try (FakeClickHouse clickHouse = new FakeClickHouse()) {
            ClickHouseSinkConfig config =
                    new ClickHouseSinkConfig(
                            clickHouse.url(),
                            ClickHouseCredentials.of("pulse", "secret"),
                            null,
                            25,
                            Duration.ofSeconds(1),
                            3,
                            Duration.ofMillis(10),
                            Duration.ofSeconds(5));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            job(config, events, letters).buildPipeline(env);
            env.execute();

            List<JsonNode> archived = rows(clickHouse, "INSERT INTO events ");
            assertThat(archived)
                    .extracting(row -> row.get("event_id").asText())
                    .hasSize(60)
                    .doesNotHaveDuplicates();
            JsonNode first =
                    archived.stream()
                            .filter(row -> row.get("event_id").asText().endsWith("000000000003"))
                            .findFirst()
                            .orElseThrow();
            assertThat(first.get("event_time").asText()).isEqualTo("2026-11-27 03:00:03.000");
            assertThat(first.get("family").asText()).isEqualTo("user");
            assertThat(first.get("properties").asText()).isEqualTo("{\"n\":3}");
            assertThat(rows(clickHouse, "INSERT INTO dead_letters "))
                    .extracting(row -> row.get("reason_code").asText())
                    .containsExactlyInAnyOrder("event_id", "depth");
        }
    }

    @Test
    void shouldGiveEveryOperatorAUid() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        job(
                        ClickHouseSinkConfig.of(
                                java.net.URI.create("http://127.0.0.1:1"),
                                "u",
                                "p",
                                null,
                                1,
                                Duration.ofSeconds(1)),
                        List.of(),
                        List.of())
                .buildPipeline(env);

        assertThat(env.getStreamGraph().getStreamNodes())
                .extracting(StreamNode::getTransformationUID)
                .contains(
                        EventArchiveJob.EVENTS_SOURCE_UID,
                        EventArchiveJob.DROP_DUPLICATE_EVENTS_UID,
                        EventArchiveJob.EVENTS_SINK_UID,
                        EventArchiveJob.DEAD_LETTERS_SOURCE_UID,
                        EventArchiveJob.DEAD_LETTERS_SINK_UID);
    }

    /** The job over these elements, with its real sinks to {@code config}. */
    private static EventArchiveJob job(
            ClickHouseSinkConfig config, List<ArchivedEvent> events, List<DeadLetter> letters) {
        return new EventArchiveJob(
                TestSources.fromElements(TypeInformation.of(ArchivedEvent.class), events),
                TestSources.fromElements(TypeInformation.of(DeadLetter.class), letters),
                new ExactlyOnceClickHouseSink<>(
                        config, ArchiveRowEncoders.EVENTS_TABLE, ArchiveRowEncoders.events()),
                new ExactlyOnceClickHouseSink<>(
                        config,
                        ArchiveRowEncoders.DEAD_LETTERS_TABLE,
                        ArchiveRowEncoders.deadLetters()),
                SETTINGS);
    }

    /** The rows ClickHouse would keep: each token's insert once. */
    private List<JsonNode> rows(FakeClickHouse clickHouse, String insert) throws Exception {
        Set<String> tokens = new HashSet<>();
        List<JsonNode> rows = new ArrayList<>();
        for (FakeClickHouse.Request request : clickHouse.requests()) {
            if (request.queryParameters().get("query").startsWith(insert)
                    && tokens.add(request.queryParameters().get("insert_deduplication_token"))) {
                for (String line : request.lines()) {
                    rows.add(json.readTree(line));
                }
            }
        }
        return rows;
    }

    private static ArchivedEvent event(String id, int n) {
        long time = java.time.Instant.parse("2026-11-27T03:00:00Z").toEpochMilli() + n * 1_000L;
        return new ArchivedEvent(
                id,
                "user.page_viewed",
                "user",
                1,
                "u-" + (n % 7),
                "",
                "s-1",
                time,
                time,
                time + 500,
                "desktop",
                "Linux",
                "Firefox",
                "DE",
                false,
                "/feed",
                "",
                "{\"n\":" + n + "}",
                "{}");
    }
}
