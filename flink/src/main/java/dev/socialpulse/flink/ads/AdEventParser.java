package dev.socialpulse.flink.ads;

import static dev.socialpulse.flink.common.EventJson.time;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.socialpulse.flink.common.CanaryEvents;
import dev.socialpulse.flink.common.RecordParser;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Reads an ad event or a {@code user.identified} event as the collector writes it to Kafka
 * (validated and enriched with {@code event_time}, {@code context.device} and {@code
 * context.country}). Not thread-safe; one per source reader.
 *
 * <p>The job reads the whole {@code user-events} topic for its identify events: every other event
 * type gives {@code null}, which {@link dev.socialpulse.flink.common.ParsingDeserializationSchema}
 * forwards as nothing and does not count as malformed.
 *
 * <p>It reads the JSON as a stream of tokens and keeps only the fields it uses: building the whole
 * tree (every field a map entry, every string decoded, the user agent among them) cost as much as
 * the rest of the parse. As in a tree, of a field given twice the last counts, and a field of the
 * wrong type counts as absent.
 *
 * <p>The canary's events go through like any other, filed under a visitor, a campaign, impressions
 * and clicks of the canary's own ({@link CanaryEvents#id}): they are joined and summed by every
 * operator and written to the sink, in rows of canary campaigns that the API's ad queries leave out
 * (apps/api ads-queries.ts) and its canary route shows.
 */
public final class AdEventParser implements RecordParser<AdEvent> {

    /** What the collector accepts for {@code traits.country}: ISO 3166-1 alpha-2, upper case. */
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

    private final JsonFactory json = new JsonFactory();

    /**
     * Refuses an ad event without an id, an event time, a user or anonymous id, a campaign or an
     * ad, or with an amount that is not a non-negative whole number; an identify event without a
     * user id.
     *
     * @return {@code null} for an event of any other type
     */
    @Override
    public AdEvent parse(byte[] bytes) throws MalformedRecordException {
        Fields fields = new Fields();
        try (JsonParser parser = json.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedRecordException("not a JSON object");
            }
            fields.readEvent(parser);
        } catch (IOException e) {
            throw new MalformedRecordException("not JSON: " + e.getMessage());
        }
        String eventType = required(fields.eventType, "event_type");
        if (fields.canary) {
            fields.fileUnderCanary();
        }
        return switch (eventType) {
            case AdEvent.IMPRESSION, AdEvent.CLICK, AdEvent.CONVERSION -> ad(fields, eventType);
            case AdEvent.IDENTIFIED -> identify(fields);
            default -> null;
        };
    }

    private static AdEvent ad(Fields event, String eventType) throws MalformedRecordException {
        String userId = text(event.userId);
        String anonymousId = text(event.anonymousId);
        if (userId.isEmpty() && anonymousId.isEmpty()) {
            throw new MalformedRecordException("neither user_id nor anonymous_id");
        }
        return new AdEvent(
                eventType,
                required(event.eventId, "event_id"),
                userId,
                anonymousId,
                userId.isEmpty() ? AdEvent.anonymousVisitor(anonymousId) : userId,
                time(required(event.eventTime, "event_time"), "event_time"),
                required(event.campaignId, "campaign_id"),
                required(event.adId, "ad_id"),
                text(event.impressionId),
                text(event.clickId),
                event.costMicros.value("cost_micros"),
                event.revenueMicros.value("revenue_micros"),
                text(event.currency),
                text(event.deviceType),
                text(event.os),
                text(event.country),
                "",
                "",
                "");
    }

    private static AdEvent identify(Fields event) throws MalformedRecordException {
        String userId = required(event.userId, "user_id");
        // Values outside the closed lists would be new dashboard groups: they count as unknown.
        String ageBand = text(event.ageBand);
        String gender = text(event.gender);
        String country = text(event.traitCountry);
        return new AdEvent(
                AdEvent.IDENTIFIED,
                required(event.eventId, "event_id"),
                userId,
                text(event.anonymousId),
                userId,
                time(required(event.eventTime, "event_time"), "event_time"),
                "",
                "",
                "",
                "",
                0,
                0,
                "",
                "",
                "",
                text(event.country),
                ProfileVersion.AGE_BANDS.contains(ageBand) ? ageBand : "",
                ProfileVersion.GENDERS.contains(gender) ? gender : "",
                COUNTRY.matcher(country).matches() ? country : "");
    }

    /** A non-empty string field, or the record is refused. */
    private static String required(String value, String field) throws MalformedRecordException {
        if (value == null || value.isEmpty()) {
            throw new MalformedRecordException(field + " is missing or not a string");
        }
        return value;
    }

    /** A string field, or empty when absent or not a string. */
    private static String text(String value) {
        return value == null ? "" : value;
    }

    /**
     * The fields the job uses, as read: a string field is {@code null} when absent or not a string.
     */
    private static final class Fields {
        String eventType;
        String eventId;
        String userId;
        String anonymousId;
        String eventTime;
        String campaignId;
        String adId;
        String impressionId;
        String clickId;
        final Micros costMicros = new Micros();
        final Micros revenueMicros = new Micros();
        String currency;
        String deviceType;
        String os;
        String country;
        String ageBand;
        String gender;
        String traitCountry;
        boolean canary;

        /**
         * The canary's event under ids of its own: its visitor and campaign never meet a user's,
         * nor its clicks and conversions a user's impression or click in the joins.
         */
        void fileUnderCanary() {
            userId = canaryId(userId);
            anonymousId = canaryId(anonymousId);
            campaignId = canaryId(campaignId);
            impressionId = canaryId(impressionId);
            clickId = canaryId(clickId);
        }

        private static String canaryId(String id) {
            return id == null ? null : CanaryEvents.id(id);
        }

        /** The event object's fields, from its start to its end. */
        void readEvent(JsonParser parser) throws IOException {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "event_type" -> eventType = string(parser);
                    case CanaryEvents.FIELD -> {
                        canary = parser.currentToken() == JsonToken.VALUE_TRUE;
                        parser.skipChildren();
                    }
                    case "event_id" -> eventId = string(parser);
                    case "user_id" -> userId = string(parser);
                    case "anonymous_id" -> anonymousId = string(parser);
                    case "event_time" -> eventTime = string(parser);
                    case "properties" -> {
                        if (isObject(parser)) {
                            readProperties(parser);
                        }
                    }
                    case "context" -> {
                        if (isObject(parser)) {
                            readContext(parser);
                        }
                    }
                    default -> parser.skipChildren();
                }
            }
        }

        private void readProperties(JsonParser parser) throws IOException {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "campaign_id" -> campaignId = string(parser);
                    case "ad_id" -> adId = string(parser);
                    case "impression_id" -> impressionId = string(parser);
                    case "click_id" -> clickId = string(parser);
                    case "cost_micros" -> costMicros.read(parser);
                    case "revenue_micros" -> revenueMicros.read(parser);
                    case "currency" -> currency = string(parser);
                    case "traits" -> {
                        if (isObject(parser)) {
                            readTraits(parser);
                        }
                    }
                    default -> parser.skipChildren();
                }
            }
        }

        private void readTraits(JsonParser parser) throws IOException {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "age_band" -> ageBand = string(parser);
                    case "gender" -> gender = string(parser);
                    case "country" -> traitCountry = string(parser);
                    default -> parser.skipChildren();
                }
            }
        }

        private void readContext(JsonParser parser) throws IOException {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "country" -> country = string(parser);
                    case "device" -> {
                        if (isObject(parser)) {
                            readDevice(parser);
                        }
                    }
                    default -> parser.skipChildren();
                }
            }
        }

        private void readDevice(JsonParser parser) throws IOException {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "type" -> deviceType = string(parser);
                    case "os" -> os = string(parser);
                    default -> parser.skipChildren();
                }
            }
        }

        /** The value at the parser as a string, or {@code null} (skipped) when it is none. */
        private static String string(JsonParser parser) throws IOException {
            if (parser.currentToken() == JsonToken.VALUE_STRING) {
                return parser.getText();
            }
            parser.skipChildren();
            return null;
        }

        /** Whether the value at the parser is an object to read; skips it when not. */
        private static boolean isObject(JsonParser parser) throws IOException {
            if (parser.currentToken() == JsonToken.START_OBJECT) {
                return true;
            }
            parser.skipChildren();
            return false;
        }
    }

    /** An optional amount in micros, 0 when absent or null; refused when used if anything else. */
    private static final class Micros {
        private long micros;
        private boolean invalid;

        void read(JsonParser parser) throws IOException {
            micros = 0;
            invalid = false;
            switch (parser.currentToken()) {
                case VALUE_NULL -> {}
                case VALUE_NUMBER_INT -> {
                    if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                        invalid = true;
                    } else {
                        micros = parser.getLongValue();
                    }
                }
                case VALUE_NUMBER_FLOAT -> {
                    // A whole number written with a fraction (2.0, 1e3) counts, as in a tree.
                    double value = parser.getDoubleValue();
                    if (value == Math.rint(value)
                            && value >= Long.MIN_VALUE
                            && value <= Long.MAX_VALUE) {
                        micros = (long) value;
                    } else {
                        invalid = true;
                    }
                }
                default -> {
                    parser.skipChildren();
                    invalid = true;
                }
            }
        }

        long value(String field) throws MalformedRecordException {
            if (invalid || micros < 0) {
                throw new MalformedRecordException(field + " is not a non-negative whole number");
            }
            return micros;
        }
    }
}
