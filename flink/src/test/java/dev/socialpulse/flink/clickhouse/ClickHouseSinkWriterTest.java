package dev.socialpulse.flink.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.socialpulse.flink.testing.FakeClickHouse;
import dev.socialpulse.flink.testing.RecordingMetricGroup;
import dev.socialpulse.flink.trending.records.TrendingTopicRow;
import dev.socialpulse.flink.trending.records.TrendingTopicRowEncoder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ClickHouse sink writer against a real local HTTP server. */
@Tag("component")
class ClickHouseSinkWriterTest {

    private static final long WINDOW_END = Instant.parse("2026-11-26T13:05:05Z").toEpochMilli();
    private static final String INSERT = "INSERT INTO trending_topics FORMAT JSONEachRow";

    private final TestProcessingTimeService time = new TestProcessingTimeService();
    private final RecordingMetricGroup metrics = new RecordingMetricGroup();
    private FakeClickHouse clickHouse;
    private ClickHouseSinkWriter<TrendingTopicRow> writer;

    @BeforeEach
    void setUp() throws Exception {
        clickHouse = new FakeClickHouse();
        time.setCurrentTime(0L);
    }

    @AfterEach
    void tearDown() {
        if (writer != null) {
            writer.close();
        }
        clickHouse.close();
    }

    @Test
    void shouldInsertTheBufferedRowsAsJsonEachRowOnFlush() throws Exception {
        writer = writer(config(clickHouse.url(), "analytics", 100, 2));
        writer.write(row("ai", 9L, 1), null);
        writer.write(row("world \"cup\"", 5L, 2), null);
        assertThat(clickHouse.requests()).isEmpty();

        writer.flush(false);

        assertThat(clickHouse.requests())
                .singleElement()
                .satisfies(
                        request -> {
                            assertThat(request.method()).isEqualTo("POST");
                            assertThat(request.uri().getPath()).isEqualTo("/");
                            assertThat(request.queryParameters())
                                    .isEqualTo(Map.of("query", INSERT, "database", "analytics"));
                            assertThat(request.uri().getRawQuery())
                                    .as("spaces sent as %20, never '+'")
                                    .doesNotContain("+")
                                    .contains("INSERT%20INTO%20trending_topics");
                            assertThat(request.authorization())
                                    .isEqualTo(basic("pulse", "s3cret:with colon"));
                            assertThat(request.lines())
                                    .containsExactly(
                                            "{\"window_size\":\"1m\",\"window_start\":\"2026-11-26"
                                                + " 13:04:05.000\",\"window_end\":\"2026-11-26"
                                                + " 13:05:05.000\",\"rank\":1,\"topic\":\"ai\","
                                                + "\"score\":9.0,\"mentions\":9,\"unique_authors\":9,"
                                                + "\"weighted_mentions\":9.0,\"damping\":0.0,\"bot_mentions\":0,"
                                                + "\"baseline\":0.0,\"velocity\":1.0,\"computed_at\":\"2026-11-26"
                                                + " 13:05:07.250\"}",
                                            "{\"window_size\":\"1m\",\"window_start\":\"2026-11-26"
                                                + " 13:04:05.000\",\"window_end\":\"2026-11-26"
                                                + " 13:05:05.000\",\"rank\":2,\"topic\":\"world"
                                                + " \\\"cup\\\"\","
                                                + "\"score\":5.0,\"mentions\":5,\"unique_authors\":5,"
                                                + "\"weighted_mentions\":5.0,\"damping\":0.0,\"bot_mentions\":0,"
                                                + "\"baseline\":0.0,\"velocity\":1.0,\"computed_at\":\"2026-11-26"
                                                + " 13:05:07.250\"}");
                        });
        assertThat(writer.bufferedRows()).isZero();
        assertThat(metrics.count(ClickHouseInserter.ROWS_INSERTED_METRIC)).isEqualTo(2);
        assertThat(metrics.count(ClickHouseInserter.INSERT_REQUESTS_METRIC)).isEqualTo(1);
    }

    @Test
    void shouldSendNothingWhenNothingIsBuffered() throws Exception {
        writer = writer(config(clickHouse.url(), null, 100, 2));

        writer.flush(false);
        writer.flush(true);
        time.setCurrentTime(10_000L);

        assertThat(clickHouse.requests()).isEmpty();
    }

    @Test
    void shouldReadTheCredentialsWhereTheWriterIsCreated(@TempDir Path dir) throws Exception {
        Path passwordFile = Files.writeString(dir.resolve("password"), "from-the-file\n");
        ClickHouseSinkConfig config =
                ClickHouseSinkConfig.of(
                        clickHouse.url(),
                        ClickHouseCredentials.fromEnvironment("pulse", passwordFile.toString()),
                        null,
                        100,
                        Duration.ofSeconds(1));
        assertThat(config.toString()).doesNotContain("from-the-file");

        writer = writer(config);
        writer.write(row("ai", 1L, 1), null);
        writer.flush(false);

        assertThat(clickHouse.requests())
                .singleElement()
                .satisfies(
                        request ->
                                assertThat(request.authorization())
                                        .isEqualTo(basic("pulse", "from-the-file")));
    }

    @Test
    void shouldLeaveOutTheDatabaseWhenNoneIsConfigured() throws Exception {
        URI withTrailingSlash = URI.create(clickHouse.url() + "/");
        writer = writer(config(withTrailingSlash, null, 100, 2));
        writer.write(row("ai", 1L, 1), null);

        writer.flush(true);

        assertThat(clickHouse.requests())
                .singleElement()
                .satisfies(
                        request -> {
                            assertThat(request.uri().getPath()).isEqualTo("/");
                            assertThat(request.queryParameters())
                                    .isEqualTo(Map.of("query", INSERT));
                        });
    }

    @Test
    void shouldRetryAnInsertThatGotA500() throws Exception {
        writer = writer(config(clickHouse.url(), null, 100, 2));
        clickHouse.failNext(500, "Code: 999. DB::Exception: simulated");
        writer.write(row("ai", 1L, 1), null);

        writer.flush(false);

        assertThat(clickHouse.requests()).hasSize(2);
        assertThat(clickHouse.requests().get(1).body())
                .isEqualTo(clickHouse.requests().get(0).body());
        assertThat(writer.bufferedRows()).isZero();
        assertThat(metrics.count(ClickHouseInserter.INSERT_RETRIES_METRIC)).isEqualTo(1);
        assertThat(metrics.count(ClickHouseInserter.INSERT_REQUESTS_METRIC)).isEqualTo(1);
    }

    @Test
    void shouldFailAfterTheLastRetryInsteadOfDroppingRows() throws Exception {
        writer = writer(config(clickHouse.url(), null, 100, 2));
        for (int i = 0; i < 3; i++) {
            clickHouse.failNext(
                    500, "Code: 60. DB::Exception: Table default.trending_topics does not exist");
        }
        writer.write(row("ai", 1L, 1), null);

        assertThatThrownBy(() -> writer.flush(false))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("after 3 attempts")
                .rootCause()
                .hasMessageContaining("HTTP 500")
                .hasMessageContaining("does not exist");
        assertThat(clickHouse.requests()).hasSize(3);
        assertThat(writer.bufferedRows()).isEqualTo(1);
    }

    @Test
    void shouldRetryAndFailWhenClickHouseIsUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        writer = writer(config(URI.create("http://127.0.0.1:" + closedPort), null, 100, 1));
        writer.write(row("ai", 1L, 1), null);

        assertThatThrownBy(() -> writer.flush(true))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("after 2 attempts")
                .hasCauseInstanceOf(IOException.class);
        assertThat(metrics.count(ClickHouseInserter.INSERT_RETRIES_METRIC)).isEqualTo(1);
    }

    @Test
    void shouldFlushAsSoonAsTheBufferIsFull() throws Exception {
        writer = writer(config(clickHouse.url(), null, 2, 2));

        writer.write(row("ai", 3L, 1), null);
        assertThat(clickHouse.requests()).isEmpty();
        writer.write(row("f1", 2L, 2), null);

        assertThat(clickHouse.requests())
                .singleElement()
                .satisfies(r -> assertThat(r.lines()).hasSize(2));
        assertThat(writer.bufferedRows()).isZero();
    }

    @Test
    void shouldFlushOnTheTimerAgainAndAgain() throws Exception {
        writer = writer(config(clickHouse.url(), null, 100, 2));

        writer.write(row("ai", 3L, 1), null);
        time.setCurrentTime(999L);
        assertThat(clickHouse.requests()).isEmpty();
        time.setCurrentTime(1_000L);
        assertThat(clickHouse.requests()).hasSize(1);

        writer.write(row("f1", 2L, 1), null);
        time.setCurrentTime(2_000L);
        assertThat(clickHouse.requests()).hasSize(2);
        assertThat(clickHouse.requests().get(1).lines())
                .singleElement()
                .asString()
                .contains("\"topic\":\"f1\"");
    }

    @Test
    void shouldStopTheTimerOnClose() throws Exception {
        writer = writer(config(clickHouse.url(), null, 100, 2));
        writer.write(row("ai", 3L, 1), null);

        writer.close();
        time.setCurrentTime(5_000L);

        assertThat(clickHouse.requests()).isEmpty();
        assertThat(time.getNumActiveTimers()).isZero();
    }

    private ClickHouseSinkWriter<TrendingTopicRow> writer(ClickHouseSinkConfig config) {
        return new ClickHouseSinkWriter<>(
                config,
                TrendingTopicRowEncoder.TABLE,
                new TrendingTopicRowEncoder(),
                time,
                metrics);
    }

    private static ClickHouseSinkConfig config(
            URI url, String database, int maxBufferedRows, int maxRetries) {
        return new ClickHouseSinkConfig(
                url,
                ClickHouseCredentials.of("pulse", "s3cret:with colon"),
                database,
                maxBufferedRows,
                Duration.ofSeconds(1),
                maxRetries,
                Duration.ofMillis(10),
                Duration.ofSeconds(5));
    }

    private static TrendingTopicRow row(String topic, long mentions, int rank) {
        return new TrendingTopicRow(
                "1m",
                WINDOW_END - 60_000L,
                WINDOW_END,
                rank,
                topic,
                mentions,
                mentions,
                (int) mentions,
                mentions,
                0.0,
                0L,
                0.0,
                1.0,
                WINDOW_END + 2_250L);
    }

    private static String basic(String user, String password) {
        return "Basic "
                + Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
