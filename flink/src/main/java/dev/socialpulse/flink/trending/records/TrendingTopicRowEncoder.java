package dev.socialpulse.flink.trending.records;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.socialpulse.flink.clickhouse.ClickHouseFormats;
import dev.socialpulse.flink.clickhouse.JsonRowEncoder;
import java.io.IOException;

/**
 * Writes a {@link TrendingTopicRow} as one {@code JSONEachRow} object for the {@code
 * trending_topics} table, for example:
 *
 * <pre>{@code
 * {"window_size":"1m","window_start":"2026-11-26 13:04:05.000","window_end":"2026-11-26 13:05:05.000",
 *  "topic":"ai","mentions":42,"score":42.0,"rank":1,"computed_at":"2026-11-26 13:05:07.123"}
 * }</pre>
 *
 * (on one line). Times are UTC, in the text form ClickHouse reads into {@code DateTime64(3, 'UTC')}
 * by default.
 */
public class TrendingTopicRowEncoder implements JsonRowEncoder<TrendingTopicRow> {

    private static final long serialVersionUID = 1L;

    /** The table the rows are for. Created by the platform's migrations, not by the job. */
    public static final String TABLE = "trending_topics";

    @Override
    public void encode(TrendingTopicRow row, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("window_size", row.windowSize());
        json.writeStringField(
                "window_start", ClickHouseFormats.dateTime64Millis(row.windowStartMillis()));
        json.writeStringField(
                "window_end", ClickHouseFormats.dateTime64Millis(row.windowEndMillis()));
        json.writeStringField("topic", row.topic());
        json.writeNumberField("mentions", row.mentions());
        json.writeNumberField("score", row.score());
        json.writeNumberField("rank", row.rank());
        json.writeStringField(
                "computed_at", ClickHouseFormats.dateTime64Millis(row.computedAtMillis()));
        json.writeEndObject();
    }
}
