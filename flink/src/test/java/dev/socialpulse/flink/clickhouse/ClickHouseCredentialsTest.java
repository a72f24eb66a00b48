package dev.socialpulse.flink.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.socialpulse.flink.clickhouse.ClickHouseCredentials.FromEnvironment;
import dev.socialpulse.flink.clickhouse.ClickHouseCredentials.Resolved;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("unit")
class ClickHouseCredentialsTest {

    @TempDir Path dir;

    private static Resolved resolve(FromEnvironment credentials, Map<String, String> environment) {
        return credentials.resolve(environment::get);
    }

    @Test
    void shouldDefaultToTheDefaultUserWithoutPasswordForTheLocalSetup() {
        assertThat(resolve(new FromEnvironment(null, null), Map.of()))
                .isEqualTo(new Resolved("default", ""));
    }

    @Test
    void shouldReadTheUserAndPasswordFromTheTaskManagersEnvironment() {
        Map<String, String> environment =
                Map.of("CLICKHOUSE_USER", "pulse", "CLICKHOUSE_PASSWORD", "s3cret with spaces ");

        assertThat(resolve(new FromEnvironment(null, null), environment))
                .isEqualTo(new Resolved("pulse", "s3cret with spaces "));
    }

    @Test
    void shouldPreferTheUserGivenAsAFlag() {
        Map<String, String> environment =
                Map.of("CLICKHOUSE_USER", "other", "CLICKHOUSE_PASSWORD", "s3cret");

        assertThat(resolve(new FromEnvironment("pulse", null), environment))
                .isEqualTo(new Resolved("pulse", "s3cret"));
    }

    @Test
    void shouldTreatABlankUserVariableAsUnset() {
        assertThat(resolve(new FromEnvironment(null, null), Map.of("CLICKHOUSE_USER", " ")).user())
                .isEqualTo("default");
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3cret", "s3cret\n", "s3cret\r\n"})
    void shouldReadThePasswordFileLessOneTrailingLineBreak(String content) throws IOException {
        Path file = Files.writeString(dir.resolve("password"), content, StandardCharsets.UTF_8);

        Resolved resolved =
                resolve(
                        new FromEnvironment(null, file.toString()),
                        Map.of("CLICKHOUSE_PASSWORD", "from-the-environment"));

        assertThat(resolved).isEqualTo(new Resolved("default", "s3cret"));
    }

    @Test
    void shouldNameAMissingPasswordFileButNotAnyPassword() {
        Path missing = dir.resolve("missing");
        FromEnvironment credentials = new FromEnvironment(null, missing.toString());

        assertThatThrownBy(() -> resolve(credentials, Map.of("CLICKHOUSE_PASSWORD", "s3cret")))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot read the ClickHouse password file " + missing)
                .message()
                .doesNotContain("s3cret");
    }

    @Test
    void shouldHideThePasswordInToString() {
        assertThat(ClickHouseCredentials.of("pulse", "s3cret").toString())
                .contains("pulse")
                .doesNotContain("s3cret");
        assertThat(new Resolved("pulse", "s3cret").toString()).doesNotContain("s3cret");
        assertThat(ClickHouseCredentials.of("pulse", "").toString()).contains("(empty)");
    }

    @Test
    void shouldRefuseABlankUser() {
        assertThatThrownBy(() -> ClickHouseCredentials.of(" ", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://pulse:s3cret@clickhouse:8123", "http://pulse@clickhouse:8123"})
    void shouldRefuseAUrlWithUserInfoWithoutEchoingIt(String url) {
        assertThatThrownBy(
                        () ->
                                ClickHouseSinkConfig.of(
                                        URI.create(url),
                                        ClickHouseCredentials.of("pulse", ""),
                                        null,
                                        100,
                                        Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not contain a user or password")
                .message()
                .doesNotContain("s3cret");
    }
}
