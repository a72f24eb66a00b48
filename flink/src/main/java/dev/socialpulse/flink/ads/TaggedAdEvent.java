package dev.socialpulse.flink.ads;

import dev.socialpulse.flink.common.StringHash;

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
     * What {@link JoinClicks} joins by (its state is in {@link JoinClicks#bucketOf buckets} of
     * these): the {@link StringHash 64-bit hash} of the impression's id (its own, or for a click
     * the one it came from), else of the event's own id (nothing joins with it then, but the events
     * spread).
     *
     * <p>A hash, not the id: every impression of the click window is kept, and a long is kept,
     * found and checkpointed at once, a string char by char ({@link ImpressionTimes}). Two ids kept
     * at once that share a hash would be joined as one: about n² / 2^65 for n impressions in a
     * click window, 10^-8 for half a million.
     */
    public long impressionKey() {
        return StringHash.of(impressionId.isEmpty() ? eventId : impressionId);
    }

    /**
     * What {@link JoinConversions} is keyed by, likewise with the click's id: a week of clicks is
     * kept, with a long key each.
     */
    public long clickKey() {
        return StringHash.of(clickId.isEmpty() ? eventId : clickId);
    }
}
