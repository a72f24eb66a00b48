package dev.socialpulse.flink.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Rows with strings ClickHouse can read, whatever a client sent. */
@Tag("unit")
class ClickHouseJsonTest {

    @Test
    void shouldReplaceOnlyUnpairedSurrogates() {
        String pair = "\uD83D\uDE00"; // an emoji
        assertThat(ClickHouseJson.wellFormed("plain")).isSameAs("plain");
        assertThat(ClickHouseJson.wellFormed("a" + pair + "b")).isEqualTo("a" + pair + "b");
        assertThat(ClickHouseJson.wellFormed("x\uD800y")).isEqualTo("x\uFFFDy");
        assertThat(ClickHouseJson.wellFormed("cut at the end \uD83D")).endsWith("\uFFFD");
        assertThat(ClickHouseJson.wellFormed("\uDE00 low first")).startsWith("\uFFFD");
        assertThat(ClickHouseJson.wellFormed("\uDE00\uD83D")).isEqualTo("\uFFFD\uFFFD");
    }

    @Test
    void shouldWriteRowsWithoutSurrogateEscapes() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = ClickHouseJson.generator(out)) {
            json.writeStartObject();
            json.writeStringField("excerpt", "{\"tag\":\"\uD83D");
            json.writeFieldName("user_id");
            json.writeString("u\uDC00");
            json.writeEndObject();
        }

        String row = out.toString(StandardCharsets.UTF_8);
        assertThat(row)
                .isEqualTo("{\"excerpt\":\"{\\\"tag\\\":\\\"\uFFFD\",\"user_id\":\"u\uFFFD\"}");
        assertThat(row).doesNotContain("\\u");
    }
}
