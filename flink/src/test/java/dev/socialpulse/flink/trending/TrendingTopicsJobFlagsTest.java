package dev.socialpulse.flink.trending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.socialpulse.flink.clickhouse.ClickHouseCredentials;
import dev.socialpulse.flink.trending.TrendingTopicsJob.Flags;
import dev.socialpulse.flink.trending.functions.TrendingScore;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Tag("unit")
class TrendingTopicsJobFlagsTest {

    @Test
    void shouldUseTheDefaultsWithoutFlags() {
        Flags flags = Flags.parse(new String[0]);

        assertThat(flags.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(flags.topic()).isEqualTo("content-events");
        assertThat(flags.groupId()).isEqualTo("trending-topics");
        assertThat(flags.settings())
                .isEqualTo(
                        new TrendingTopicsSettings(
                                TrendingHorizon.fromClasspath(),
                                Duration.ofMillis(500),
                                Duration.ofMillis(500),
                                50,
                                new TrendingScore(4.0, 10.0, 4.0),
                                Duration.ofMinutes(20),
                                Duration.ofSeconds(10)));
        assertThat(flags.settings().horizons())
                .extracting(TrendingHorizon::label)
                .containsExactly("1m", "5m", "15m");
        assertThat(flags.clickHouse().url()).isEqualTo(URI.create("http://127.0.0.1:8123"));
        // Read on the TaskManagers: CLICKHOUSE_USER / CLICKHOUSE_PASSWORD, else default, no
        // password.
        assertThat(flags.clickHouse().credentials())
                .isEqualTo(ClickHouseCredentials.fromEnvironment(null, null));
        assertThat(flags.clickHouse().database()).isNull();
        assertThat(flags.clickHouse().flushInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(flags.clickHouse().maxBufferedRows()).isEqualTo(10_000);
    }

    @Test
    void shouldReadEveryFlag() {
        Flags flags =
                Flags.parse(
                        new String[] {
                            "--bootstrap-servers", "kafka-1:9092,kafka-2:9092",
                            "--topic", "content-events-v2",
                            "--group-id", "trending-topics-blue",
                            "--clickhouse-url", "https://ch.internal:8443",
                            "--clickhouse-user", "pulse",
                            "--clickhouse-password-file", "/run/secrets/clickhouse-password",
                            "--clickhouse-database", "analytics",
                            "--out-of-orderness-ms", "0",
                            "--idleness-ms", "30000",
                            "--top", "10",
                            "--author-cap", "3",
                            "--prior-mentions", "5.5",
                            "--baseline-half-life-windows", "8",
                            "--dedup-ttl-ms", "3600000",
                            "--flush-interval-ms", "250",
                            "--flush-max-rows", "500",
                            "--checkpoint-interval-ms", "60000"
                        });

        assertThat(flags.bootstrapServers()).isEqualTo("kafka-1:9092,kafka-2:9092");
        assertThat(flags.topic()).isEqualTo("content-events-v2");
        assertThat(flags.groupId()).isEqualTo("trending-topics-blue");
        assertThat(flags.settings())
                .isEqualTo(
                        new TrendingTopicsSettings(
                                TrendingHorizon.fromClasspath(),
                                Duration.ZERO,
                                Duration.ofSeconds(30),
                                10,
                                new TrendingScore(3.0, 5.5, 8.0),
                                Duration.ofHours(1),
                                Duration.ofMinutes(1)));
        assertThat(flags.clickHouse().url()).isEqualTo(URI.create("https://ch.internal:8443"));
        assertThat(flags.clickHouse().credentials())
                .isEqualTo(
                        ClickHouseCredentials.fromEnvironment(
                                "pulse", "/run/secrets/clickhouse-password"));
        assertThat(flags.clickHouse().database()).isEqualTo("analytics");
        assertThat(flags.clickHouse().flushInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(flags.clickHouse().maxBufferedRows()).isEqualTo(500);
    }

    @ParameterizedTest(name = "--{0} {1}")
    @CsvSource({
        "top, 0",
        "top, ten",
        "top, 10001",
        "author-cap, 0.5",
        "author-cap, 7",
        "author-cap, NaN",
        "prior-mentions, 0",
        "prior-mentions, -1",
        "prior-mentions, ten",
        "baseline-half-life-windows, 0",
        // Not more than the 15-minute horizon plus the 0.5 s out-of-orderness.
        "dedup-ttl-ms, 900500",
        "dedup-ttl-ms, 0",
        "out-of-orderness-ms, -1",
        "idleness-ms, 0",
        "flush-interval-ms, 0",
        "flush-max-rows, 0",
        "checkpoint-interval-ms, 5",
        "clickhouse-url, 127.0.0.1:8123",
        "clickhouse-url, ftp://127.0.0.1",
        "clickhouse-url, 'http://127.0.0.1:8123/?database=x'",
        "bootstrap-servers, ' '",
        "topic, ' '"
    })
    void shouldRejectABadValueNamingTheFlag(String flag, String value) {
        assertThatThrownBy(() -> Flags.parse(new String[] {"--" + flag, value}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--" + flag);
    }

    @Test
    void shouldRejectAFlagWithoutItsValue() {
        assertThatThrownBy(() -> Flags.parse(new String[] {"--top"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--top needs a value");
    }

    @Test
    void shouldRejectAnUnknownFlag() {
        assertThatThrownBy(() -> Flags.parse(new String[] {"--top-n", "10"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown flag(s): --top-n");
    }

    @ParameterizedTest(name = "--{0}")
    @CsvSource({"window-size-seconds, 60", "window-slide-seconds, 2"})
    void shouldRejectTheWindowFlagsNowThatTheHorizonsFileHoldsTheWindows(
            String flag, String value) {
        assertThatThrownBy(() -> Flags.parse(new String[] {"--" + flag, value}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown flag(s): --" + flag);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "'--clickhouse-password', 's3cret'",
        "'--clickhouse-password', ''",
        "'--clickhouse-password=s3cret', '--top=5'"
    })
    void shouldRefuseAPasswordAsAProgramArgumentWithoutEchoingIt(String flag, String value) {
        assertThatThrownBy(() -> Flags.parse(new String[] {flag, value}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--clickhouse-password is not accepted")
                .hasMessageContaining("CLICKHOUSE_PASSWORD")
                .hasMessageContaining("--clickhouse-password-file")
                .message()
                .doesNotContain("s3cret");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "http://pulse:s3cret@clickhouse:8123",
        "http://pulse@clickhouse:8123",
        "https://:s3cret@ch.internal:8443/"
    })
    void shouldRefuseCredentialsInTheUrlWithoutEchoingThem(String url) {
        assertThatThrownBy(() -> Flags.parse(new String[] {"--clickhouse-url", url}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--clickhouse-url must not contain a user or password")
                .message()
                .doesNotContain("s3cret");
    }

    @Test
    void shouldCarryNoPasswordInTheParsedFlags() {
        Flags flags =
                Flags.parse(
                        new String[] {
                            "--clickhouse-url", "http://clickhouse:8123",
                            "--clickhouse-user", "pulse"
                        });

        assertThat(flags.clickHouse().credentials())
                .isInstanceOf(ClickHouseCredentials.FromEnvironment.class);
        assertThat(flags.clickHouse().toString()).contains("user=pulse");
    }
}
