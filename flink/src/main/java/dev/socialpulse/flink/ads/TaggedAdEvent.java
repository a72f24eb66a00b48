package dev.socialpulse.flink.ads;

/**
 * An ad event with its row ({@link TagProfiles#tag}), as the joins count it.
 *
 * @param visitor whom it counts for ({@link AdEvent#visitor()}, after {@link ResolveVisitors})
 * @param currency the currency the event was sent with, or empty: a conversion's replaces its
 *     click's in the row it is credited to
 * @param row the event's own row
 */
public record TaggedAdEvent(
        String eventType,
        String eventId,
        long eventTime,
        String visitor,
        String impressionId,
        String clickId,
        long costMicros,
        long revenueMicros,
        String currency,
        AdRow row) {

    public boolean isImpression() {
        return AdEvent.IMPRESSION.equals(eventType);
    }

    public boolean isClick() {
        return AdEvent.CLICK.equals(eventType);
    }

    public boolean isConversion() {
        return AdEvent.CONVERSION.equals(eventType);
    }

    /**
     * What {@link JoinClicks} is keyed by: the impression's id (its own, or for a click the one it
     * came from), else the event's own id (nothing joins with it then, but the events spread).
     */
    public String impressionKey() {
        return impressionId.isEmpty() ? eventId : impressionId;
    }

    /** What {@link JoinConversions} is keyed by, likewise with the click's id. */
    public String clickKey() {
        return clickId.isEmpty() ? eventId : clickId;
    }
}
