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
                        "ai",
                        42L,
                        42.0,
                        1,
                        millis("2026-11-26T13:05:07.123Z"));

        assertThat(encode(row))
                .isEqualTo(
                        "{\"window_size\":\"1m\",\"window_start\":\"2026-11-26 13:04:05.000\","
                                + "\"window_end\":\"2026-11-26 13:05:05.000\",\"topic\":\"ai\","
                                + "\"mentions\":42,\"score\":42.0,\"rank\":1,"
                                + "\"computed_at\":\"2026-11-26 13:05:07.123\"}");
    }

    @Test
    void shouldEscapeTopicsSafely() throws Exception {
        String topic = "quo\"te\\back\nline ünï 🎉";
        TrendingTopicRow row = new TrendingTopicRow("1m", 0L, 60_000L, topic, 1L, 1.5, 7, 0L);

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
