package dev.socialpulse.flink.ads;

/**
 * What the Ad Performance Calculator needs of one ad event or {@code user.identified} event, as
 * read by {@link AdEventParser}. Times are epoch milliseconds, money integer micros; absent texts
 * are empty, absent amounts 0.
 *
 * @param eventType {@code ad.impression}, {@code ad.click}, {@code ad.conversion} or {@code
 *     user.identified}
 * @param eventId the event's id (a UUID)
 * @param userId the signed-in user, or empty
 * @param anonymousId the SDK's visitor id, or empty
 * @param visitor whom the event counts for: the user id, or {@code a:} and the anonymous id for a
 *     visitor who has not signed in; {@link ResolveVisitors} replaces the latter by the user the
 *     anonymous id was linked to at the event's time
 * @param eventTime when it happened, as the collector corrected it
 * @param impressionId an impression's own id, or the id of the impression a click came from
 * @param clickId a click's own id, or the id of the click a conversion came from
 * @param currency ISO 4217, or empty
 * @param deviceType the collector's {@code context.device.type}
 * @param os the collector's {@code context.device.os}
 * @param country the collector's {@code context.country} (from the edge, where the event was sent)
 * @param ageBand a {@code user.identified}'s {@code traits.age_band}, empty when absent or not one
 *     of {@link ProfileVersion#AGE_BANDS}
 * @param gender its {@code traits.gender}, likewise ({@link ProfileVersion#GENDERS})
 * @param profileCountry its {@code traits.country}: where the user says they live
 */
public record AdEvent(
        String eventType,
        String eventId,
        String userId,
        String anonymousId,
        String visitor,
        long eventTime,
        String campaignId,
        String adId,
        String impressionId,
        String clickId,
        long costMicros,
        long revenueMicros,
        String currency,
        String deviceType,
        String os,
        String country,
        String ageBand,
        String gender,
        String profileCountry) {

    public static final String IMPRESSION = "ad.impression";
    public static final String CLICK = "ad.click";
    public static final String CONVERSION = "ad.conversion";
    public static final String IDENTIFIED = "user.identified";

    /** The visitor key of an anonymous visitor, as the engagement rollups and sessions count. */
    public static String anonymousVisitor(String anonymousId) {
        return "a:" + anonymousId;
    }

    public boolean isIdentify() {
        return IDENTIFIED.equals(eventType);
    }

    /** An ad event from a visitor who had not signed in: its user is found by the link. */
    public boolean isAnonymousAdEvent() {
        return !isIdentify() && userId.isEmpty();
    }

    /** The same event, counted for {@code user} (the anonymous id's linked user). */
    public AdEvent withVisitor(String user) {
        return new AdEvent(
                eventType,
                eventId,
                userId,
                anonymousId,
                user,
                eventTime,
                campaignId,
                adId,
                impressionId,
                clickId,
                costMicros,
                revenueMicros,
                currency,
                deviceType,
                os,
                country,
                ageBand,
                gender,
                profileCountry);
    }
}
