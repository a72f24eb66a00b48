package dev.socialpulse.flink.ads;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.socialpulse.flink.clickhouse.ClickHouseJson;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class AdChangeEncoderTest {

    @Test
    void shouldWriteOneRowOfTheChangesTableWithSignedMeasures() throws Exception {
        AdRow row =
                new AdRow(
                        Instant.parse("2026-11-26T13:05:00Z").toEpochMilli(),
                        "c-1",
                        "ad-7",
                        "mobile",
                        "iOS",
                        "DE",
                        "25-34",
                        "unknown",
                        "EUR");
        AdChange change =
                new AdChange(
                        row,
                        12,
                        1,
                        1,
                        0,
                        -1,
                        19_500,
                        25_000_000,
                        -25_000_000,
                        new String[] {"a:v-3", "u-1"},
                        Instant.parse("2026-11-26T13:05:02.125Z").toEpochMilli());

        assertThat(encode(change))
                .isEqualTo(
                        "{\"minute\":\"2026-11-26 13:05:00\",\"campaign_id\":\"c-1\","
                                + "\"ad_id\":\"ad-7\",\"device_type\":\"mobile\",\"os\":\"iOS\","
                                + "\"country\":\"DE\",\"age_band\":\"25-34\","
                                + "\"gender\":\"unknown\",\"currency\":\"EUR\","
                                + "\"impressions\":12,\"clicks\":1,\"attributed_clicks\":1,"
                                + "\"conversions\":0,\"unattributed_conversions\":-1,"
                                + "\"spend_micros\":19500,\"revenue_micros\":25000000,"
                                + "\"unattributed_revenue_micros\":-25000000,"
                                + "\"reached\":[\"a:v-3\",\"u-1\"],"
                                + "\"changed_at\":\"2026-11-26 13:05:02.125\"}");
    }

    private static String encode(AdChange change) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = ClickHouseJson.generator(out)) {
            AdChangeEncoder.changes().encode(change, json);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
