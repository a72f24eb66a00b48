package dev.socialpulse.flink.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ClickHouseFormatsTest {

    @Test
    void shouldFormatDateTime64InUtcWithMilliseconds() {
        assertThat(
                        ClickHouseFormats.dateTime64Millis(
                                Instant.parse("2026-11-26T13:05:01.123Z").toEpochMilli()))
                .isEqualTo("2026-11-26 13:05:01.123");
    }

    @Test
    void shouldPadMillisecondsAndTheEpoch() {
        assertThat(ClickHouseFormats.dateTime64Millis(0L)).isEqualTo("1970-01-01 00:00:00.000");
        assertThat(ClickHouseFormats.dateTime64Millis(7L)).isEqualTo("1970-01-01 00:00:00.007");
    }
}
