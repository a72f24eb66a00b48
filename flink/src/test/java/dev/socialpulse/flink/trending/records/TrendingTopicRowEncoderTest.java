package dev.socialpulse.flink.trending.records;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TrendingTopicRowEncoderTest {

    private final TrendingTopicRowEncoder encoder = new TrendingTopicRowEncoder();

    @Test
    void shouldWriteOneJsonEachRowObjectWithUtcDateTimes() throws Exception {
        TrendingTopicRow row =
                new TrendingTopicRow(
                        "1m",
                        millis("2026-11-26T13:04:05Z"),
                        millis("2026-11-26T13:05:05Z"),
                        1,
                        "ai",
                        14.5,
                        120L,
                        100,
                        113.5,
                        0.25,
                        7L,
                        30.0,
                        3.125,
                        millis("2026-11-26T13:05:07.123Z"));

        assertThat(encode(row))
                .isEqualTo(
                        "{\"window_size\":\"1m\",\"window_start\":\"2026-11-26"
                            + " 13:04:05.000\",\"window_end\":\"2026-11-26"
                            + " 13:05:05.000\",\"rank\":1,\"topic\":\"ai\","
                            + "\"score\":14.5,\"mentions\":120,\"unique_authors\":100,"
                            + "\"weighted_mentions\":113.5,\"damping\":0.25,\"bot_mentions\":7,"
                            + "\"baseline\":30.0,\"velocity\":3.125,\"computed_at\":\"2026-11-26"
                            + " 13:05:07.123\"}");
    }

    @Test
    void shouldWriteEveryColumnOfTheContractByItsName() throws Exception {
        TrendingTopicRow row =
                new TrendingTopicRow(
                        "5m", 0L, 300_000L, 3, "ai", 1.0, 1L, 1, 1.0, 0.0, 0L, 0.0, 1.0, 0L);

        assertThat(new ObjectMapper().readTree(encode(row)).fieldNames())
                .toIterable()
                .containsExactly(
                        "window_size",
                        "window_start",
                        "window_end",
                        "rank",
                        "topic",
                        "score",
                        "mentions",
                        "unique_authors",
                        "weighted_mentions",
                        "damping",
                        "bot_mentions",
                        "baseline",
                        "velocity",
                        "computed_at");
    }

    @Test
    void shouldEscapeTopicsSafely() throws Exception {
        String topic = "quo\"te\\back\nline ünï 🎉";
        TrendingTopicRow row =
                new TrendingTopicRow(
                        "1m", 0L, 60_000L, 7, topic, 1.5, 1L, 1, 1.0, 0.0, 0L, 0.0, 1.1, 0L);

        String json = encode(row);

        assertThat(json).doesNotContain("\n");
        assertThat(new ObjectMapper().readTree(json).get("topic").asText()).isEqualTo(topic);
    }

    private String encode(TrendingTopicRow row) throws Exception {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            encoder.encode(row, json);
        }
        return out.toString();
    }

    private static long millis(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }
}
