package dev.socialpulse.flink.clickhouse;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Value formats that ClickHouse parses with its default settings. */
public final class ClickHouseFormats {

    /**
     * {@code 2026-11-26 13:05:00.000}: the form {@code date_time_input_format=basic} (the default)
     * reads into a {@code DateTime64(3, 'UTC')} column. A number would be read differently across
     * ClickHouse versions and settings, so a text is sent.
     */
    private static final DateTimeFormatter DATE_TIME_64_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private ClickHouseFormats() {}

    /**
     * @param epochMillis an instant
     * @return the instant in UTC, as text for a {@code DateTime64(3, 'UTC')} column
     */
    public static String dateTime64Millis(long epochMillis) {
        return DATE_TIME_64_MILLIS.format(Instant.ofEpochMilli(epochMillis));
    }
}
