package dev.socialpulse.flink.ads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.socialpulse.flink.common.JobFlags;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class AdPerformanceSettingsTest {

    @Test
    void shouldDefaultEverySettingToTheIssuesValues() {
        AdPerformanceSettings settings = AdPerformanceJob.settings(flags());

        assertThat(settings).isEqualTo(AdPerformanceSettings.defaults());
        assertThat(settings.clickWindow()).isEqualTo(Duration.ofMinutes(30));
        assertThat(settings.attributionWindow()).isEqualTo(Duration.ofDays(7));
        assertThat(settings.allowedLateness()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.profileTtl()).isEqualTo(Duration.ofDays(30));
        assertThat(settings.flushInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(settings.outOfOrderness()).isEqualTo(Duration.ofMillis(500));
        assertThat(settings.idleness()).isEqualTo(Duration.ofMillis(500));
        assertThat(settings.checkpointInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void shouldTakeEachSettingFromItsFlag() {
        AdPerformanceSettings settings =
                AdPerformanceJob.settings(
                        flags(
                                "--click-window-ms", "60000",
                                "--attribution-window-ms", "86400000",
                                "--allowed-lateness-ms", "0",
                                "--profile-ttl-ms", "3600000",
                                "--flush-interval-ms", "250",
                                "--out-of-orderness-ms", "0",
                                "--idleness-ms", "500",
                                "--checkpoint-interval-ms", "5000"));

        assertThat(settings)
                .isEqualTo(
                        new AdPerformanceSettings(
                                Duration.ofMinutes(1),
                                Duration.ofDays(1),
                                Duration.ZERO,
                                Duration.ofHours(1),
                                Duration.ofMillis(250),
                                Duration.ZERO,
                                Duration.ofMillis(500),
                                Duration.ofSeconds(5)));
    }

    @Test
    void shouldRefuseBadFlagsNamingTheFlag() {
        assertThatThrownBy(() -> AdPerformanceJob.settings(flags("--click-window-ms", "0")))
                .hasMessage("--click-window-ms must be between 1 and 315360000000, got 0");
        assertThatThrownBy(
                        () -> AdPerformanceJob.settings(flags("--attribution-window-ms", "a week")))
                .hasMessage("--attribution-window-ms must be a whole number, got 'a week'");
        assertThatThrownBy(() -> AdPerformanceJob.settings(flags("--allowed-lateness-ms", "-1")))
                .hasMessageStartingWith("--allowed-lateness-ms must be between 0 and");
        assertThatThrownBy(
                        () -> AdPerformanceJob.settings(flags("--profile-ttl-ms", "315360000001")))
                .hasMessageStartingWith("--profile-ttl-ms must be between 1 and");
        assertThatThrownBy(() -> AdPerformanceJob.settings(flags("--checkpoint-interval-ms", "9")))
                .hasMessageStartingWith("--checkpoint-interval-ms must be between 10 and");
        assertThatThrownBy(() -> flags("--click-window", "60000"))
                .hasMessageStartingWith("Unknown flag(s): --click-window;");
    }

    @Test
    void shouldRefuseSettingsOutsideTheirRangeNamingTheSetting() {
        AdPerformanceSettings defaults = AdPerformanceSettings.defaults();

        assertThatThrownBy(
                        () ->
                                new AdPerformanceSettings(
                                        Duration.ZERO,
                                        defaults.attributionWindow(),
                                        defaults.allowedLateness(),
                                        defaults.profileTtl(),
                                        defaults.flushInterval(),
                                        defaults.outOfOrderness(),
                                        defaults.idleness(),
                                        defaults.checkpointInterval()))
                .hasMessage("clickWindow must be positive, got PT0S");
        assertThatThrownBy(
                        () ->
                                new AdPerformanceSettings(
                                        defaults.clickWindow(),
                                        Duration.ofDays(3651),
                                        defaults.allowedLateness(),
                                        defaults.profileTtl(),
                                        defaults.flushInterval(),
                                        defaults.outOfOrderness(),
                                        defaults.idleness(),
                                        defaults.checkpointInterval()))
                .hasMessage("attributionWindow must be at most PT87600H, got PT87624H");
        assertThatThrownBy(
                        () ->
                                new AdPerformanceSettings(
                                        defaults.clickWindow(),
                                        defaults.attributionWindow(),
                                        Duration.ofMillis(-1),
                                        defaults.profileTtl(),
                                        defaults.flushInterval(),
                                        defaults.outOfOrderness(),
                                        defaults.idleness(),
                                        defaults.checkpointInterval()))
                .hasMessage("allowedLateness must not be negative, got PT-0.001S");
    }

    private static JobFlags flags(String... args) {
        return JobFlags.parse(args, AdPerformanceJob.OPTIONS);
    }
}
