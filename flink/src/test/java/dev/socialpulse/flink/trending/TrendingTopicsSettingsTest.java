package dev.socialpulse.flink.trending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Tag("unit")
class TrendingTopicsSettingsTest {

    @ParameterizedTest(name = "{0} ms -> {1}")
    @CsvSource({
        "60000, 1m",
        "30000, 30s",
        "300000, 5m",
        "3600000, 1h",
        "90000, 90s",
        "1500, 1500ms"
    })
    void shouldLabelTheWindowSizeByItsLargestWholeUnit(long millis, String label) {
        assertThat(settings(Duration.ofMillis(millis), Duration.ofMillis(500)).windowSizeLabel())
                .isEqualTo(label);
    }

    @Test
    void shouldRejectASlideLongerThanTheWindow() {
        assertThatThrownBy(() -> settings(Duration.ofSeconds(5), Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("windowSlide");
    }

    private static TrendingTopicsSettings settings(Duration size, Duration slide) {
        return new TrendingTopicsSettings(
                size,
                slide,
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                50,
                Duration.ofSeconds(10));
    }
}
