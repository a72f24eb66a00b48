package dev.socialpulse.flink.trending.records;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.socialpulse.flink.clickhouse.ClickHouseFormats;
import dev.socialpulse.flink.clickhouse.JsonRowEncoder;
import java.io.IOException;

/**
 * Writes a {@link TrendingTopicRow} as one {@code JSONEachRow} object for the {@code
 * trending_topics} table, one field per column, named as the column, for example:
 *
 * <pre>{@code
 * {"window_size":"1m","window_start":"2026-11-26 13:04:05.000","window_end":"2026-11-26 13:05:05.000",
 *  "rank":1,"topic":"ai","score":14.69,"mentions":120,"unique_authors":100,"weighted_mentions":113.86,
 *  "damping":0.051,"bot_mentions":0,"baseline":30.0,"velocity":3.097,"computed_at":"2026-11-26 13:05:07.123"}
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
        json.writeNumberField("rank", row.rank());
        json.writeStringField("topic", row.topic());
        json.writeNumberField("score", row.score());
        json.writeNumberField("mentions", row.mentions());
        json.writeNumberField("unique_authors", row.uniqueAuthors());
        json.writeNumberField("weighted_mentions", row.weightedMentions());
        json.writeNumberField("damping", row.damping());
        json.writeNumberField("bot_mentions", row.botMentions());
        json.writeNumberField("baseline", row.baseline());
        json.writeNumberField("velocity", row.velocity());
        json.writeStringField(
                "computed_at", ClickHouseFormats.dateTime64Millis(row.computedAtMillis()));
        json.writeEndObject();
    }
}
