package dev.socialpulse.flink.trending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.socialpulse.flink.trending.functions.TrendingScore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("unit")
class TrendingTopicsSettingsTest {

    private static final List<TrendingHorizon> HORIZONS =
            List.of(
                    new TrendingHorizon("1m", Duration.ofMinutes(1), Duration.ofSeconds(2)),
                    new TrendingHorizon("15m", Duration.ofMinutes(15), Duration.ofSeconds(30)));

    @Test
    void shouldReadTheSharedHorizonsFileFromTheClasspath() {
        assertThat(TrendingHorizon.fromClasspath())
                .containsExactly(
                        new TrendingHorizon("1m", Duration.ofSeconds(60), Duration.ofSeconds(1)),
                        new TrendingHorizon("5m", Duration.ofSeconds(300), Duration.ofSeconds(10)),
                        new TrendingHorizon(
                                "15m", Duration.ofSeconds(900), Duration.ofSeconds(30)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "{}",
                "{\"horizons\":[]}",
                "{\"horizons\":[{\"label\":\"1m\",\"windowSeconds\":60}]}",
                "{\"horizons\":[{\"label\":\"1m\",\"windowSeconds\":60,\"slideSeconds\":7}]}",
                "{\"horizons\":[{\"label\":\"1m\",\"windowSeconds\":60,\"slideSeconds\":0}]}",
                "{\"horizons\":[{\"label\":\"1m\",\"windowSeconds\":1.5,\"slideSeconds\":1}]}",
                "{\"horizons\":[{\"label\":\"1m\",\"windowSeconds\":60,\"slideSeconds\":2},"
                        + "{\"label\":\"1m\",\"windowSeconds\":120,\"slideSeconds\":2}]}"
            })
    void shouldRejectAMalformedHorizonsFile(String json) {
        assertThatThrownBy(() -> TrendingHorizon.parse(new ObjectMapper().readTree(json)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectADedupTtlNotLongerThanTheLargestWindowPlusTheOutOfOrderness() {
        assertThatThrownBy(() -> settings(Duration.ofMinutes(15).plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dedupTtl");
        assertThat(settings(Duration.ofMinutes(15).plusSeconds(1).plusMillis(1)).largestWindow())
                .isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void shouldRejectRepeatedHorizonLabels() {
        assertThatThrownBy(
                        () ->
                                new TrendingTopicsSettings(
                                        List.of(HORIZONS.get(0), HORIZONS.get(0)),
                                        Duration.ofSeconds(1),
                                        Duration.ofMillis(500),
                                        50,
                                        TrendingScore.DEFAULTS,
                                        Duration.ofMinutes(20),
                                        Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("distinct");
    }

    private static TrendingTopicsSettings settings(Duration dedupTtl) {
        return new TrendingTopicsSettings(
                HORIZONS,
                Duration.ofSeconds(1),
                Duration.ofMillis(500),
                50,
                TrendingScore.DEFAULTS,
                dedupTtl,
                Duration.ofSeconds(10));
    }
}
