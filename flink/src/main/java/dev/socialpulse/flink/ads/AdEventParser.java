package dev.socialpulse.flink.ads;

import static dev.socialpulse.flink.common.EventJson.readObject;
import static dev.socialpulse.flink.common.EventJson.required;
import static dev.socialpulse.flink.common.EventJson.text;
import static dev.socialpulse.flink.common.EventJson.time;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.socialpulse.flink.common.RecordParser;
import java.util.regex.Pattern;

/**
 * Reads an ad event or a {@code user.identified} event as the collector writes it to Kafka
 * (validated and enriched with {@code event_time}, {@code context.device} and {@code
 * context.country}). Not thread-safe; one per source reader.
 *
 * <p>The job reads the whole {@code user-events} topic for its identify events: every other event
 * type gives {@code null}, which {@link dev.socialpulse.flink.common.ParsingDeserializationSchema}
 * forwards as nothing and does not count as malformed.
 */
public final class AdEventParser implements RecordParser<AdEvent> {

    /** What the collector accepts for {@code traits.country}: ISO 3166-1 alpha-2, upper case. */
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

    private final ObjectMapper json = new ObjectMapper();

    /**
     * Refuses an ad event without an id, an event time, a user or anonymous id, a campaign or an
     * ad, or with an amount that is not a non-negative whole number; an identify event without a
     * user id.
     *
     * @return {@code null} for an event of any other type
     */
    @Override
    public AdEvent parse(byte[] bytes) throws MalformedRecordException {
        JsonNode event = readObject(json, bytes);
        String eventType = required(event, "event_type");
        return switch (eventType) {
            case AdEvent.IMPRESSION, AdEvent.CLICK, AdEvent.CONVERSION -> ad(event, eventType);
            case AdEvent.IDENTIFIED -> identify(event);
            default -> null;
        };
    }

    private static AdEvent ad(JsonNode event, String eventType) throws MalformedRecordException {
        String userId = text(event.path("user_id"));
        String anonymousId = text(event.path("anonymous_id"));
        if (userId.isEmpty() && anonymousId.isEmpty()) {
            throw new MalformedRecordException("neither user_id nor anonymous_id");
        }
        JsonNode properties = event.path("properties");
        JsonNode context = event.path("context");
        JsonNode device = context.path("device");
        return new AdEvent(
                eventType,
                required(event, "event_id"),
                userId,
                anonymousId,
                userId.isEmpty() ? AdEvent.anonymousVisitor(anonymousId) : userId,
                time(required(event, "event_time"), "event_time"),
                required(properties, "campaign_id"),
                required(properties, "ad_id"),
                text(properties.path("impression_id")),
                text(properties.path("click_id")),
                micros(properties, "cost_micros"),
                micros(properties, "revenue_micros"),
                text(properties.path("currency")),
                text(device.path("type")),
                text(device.path("os")),
                text(context.path("country")),
                "",
                "",
                "");
    }

    private static AdEvent identify(JsonNode event) throws MalformedRecordException {
        String userId = required(event, "user_id");
        JsonNode traits = event.path("properties").path("traits");
        // Values outside the closed lists would be new dashboard groups: they count as unknown.
        String ageBand = text(traits.path("age_band"));
        String gender = text(traits.path("gender"));
        String country = text(traits.path("country"));
        return new AdEvent(
                AdEvent.IDENTIFIED,
                required(event, "event_id"),
                userId,
                text(event.path("anonymous_id")),
                userId,
                time(required(event, "event_time"), "event_time"),
                "",
                "",
                "",
                "",
                0,
                0,
                "",
                "",
                "",
                text(event.path("context").path("country")),
                ProfileVersion.AGE_BANDS.contains(ageBand) ? ageBand : "",
                ProfileVersion.GENDERS.contains(gender) ? gender : "",
                COUNTRY.matcher(country).matches() ? country : "");
    }

    /** An optional amount in micros, 0 when absent. */
    private static long micros(JsonNode properties, String field) throws MalformedRecordException {
        JsonNode value = properties.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return 0;
        }
        if (!value.canConvertToExactIntegral() || !value.canConvertToLong() || value.asLong() < 0) {
            throw new MalformedRecordException(field + " is not a non-negative whole number");
        }
        return value.asLong();
    }
}
