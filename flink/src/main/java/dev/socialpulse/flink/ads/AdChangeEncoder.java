package dev.socialpulse.flink.ads;

import dev.socialpulse.flink.clickhouse.ClickHouseFormats;
import dev.socialpulse.flink.clickhouse.JsonRowEncoder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The rows of the {@code ad_performance_changes} table
 * (clickhouse/migrations/0006_ad_performance.sql), for example (on one line):
 *
 * <pre>{@code
 * {"minute":"2026-11-26 13:05:00","campaign_id":"c-1","ad_id":"ad-7","device_type":"mobile",
 *  "os":"iOS","country":"DE","age_band":"25-34","gender":"unknown","currency":"EUR",
 *  "impressions":12,"clicks":1,"attributed_clicks":1,"conversions":0,"unattributed_conversions":0,
 *  "spend_micros":19500,"revenue_micros":0,"unattributed_revenue_micros":0,
 *  "reached":["a:v-3","u-1"],"changed_at":"2026-11-26 13:05:02.000"}
 * }</pre>
 */
public final class AdChangeEncoder {

    public static final String CHANGES_TABLE = "ad_performance_changes";

    /** The form ClickHouse reads into a {@code DateTime('UTC')} column by default. */
    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private AdChangeEncoder() {}

    public static JsonRowEncoder<AdChange> changes() {
        return (change, json) -> {
            AdRow row = change.row();
            json.writeStartObject();
            json.writeStringField("minute", DATE_TIME.format(Instant.ofEpochMilli(row.minute())));
            json.writeStringField("campaign_id", row.campaignId());
            json.writeStringField("ad_id", row.adId());
            json.writeStringField("device_type", row.deviceType());
            json.writeStringField("os", row.os());
            json.writeStringField("country", row.country());
            json.writeStringField("age_band", row.ageBand());
            json.writeStringField("gender", row.gender());
            json.writeStringField("currency", row.currency());
            json.writeNumberField("impressions", change.impressions());
            json.writeNumberField("clicks", change.clicks());
            json.writeNumberField("attributed_clicks", change.attributedClicks());
            json.writeNumberField("conversions", change.conversions());
            json.writeNumberField("unattributed_conversions", change.unattributedConversions());
            json.writeNumberField("spend_micros", change.spendMicros());
            json.writeNumberField("revenue_micros", change.revenueMicros());
            json.writeNumberField(
                    "unattributed_revenue_micros", change.unattributedRevenueMicros());
            json.writeArrayFieldStart("reached");
            for (String visitor : change.reached()) {
                json.writeString(visitor);
            }
            json.writeEndArray();
            json.writeStringField(
                    "changed_at", ClickHouseFormats.dateTime64Millis(change.changedAt()));
            json.writeEndObject();
        };
    }
}
