package dev.socialpulse.flink.trending.records;

import java.util.List;
import java.util.Objects;

/**
 * One content event from the {@code content-events} topic, reduced to the fields the trending job
 * reads. Everything else in the collector's JSON is ignored at parse time.
 *
 * @param eventId the collector's UUIDv7 event id, or {@code null} when the event has none
 * @param eventType for example {@code content.post_created}
 * @param userId the acting user, or {@code null} for anonymous events
 * @param anonymousId the device's anonymous id, or {@code null}
 * @param bot the collector flagged the event as sent by a bot ({@code context.is_bot})
 * @param eventTimeMillis event time (the JSON's {@code event_time}) in epoch milliseconds
 * @param contentId the post the event is about, or {@code null}
 * @param hashtags the hashtags as sent, not yet normalised; never {@code null}
 * @param canary the collector marked the event as the canary's ({@code canary: true}): its mentions
 *     are counted under {@link dev.socialpulse.flink.trending.functions.CanaryTopics canary topics}
 */
public record ContentEvent(
        String eventId,
        String eventType,
        String userId,
        String anonymousId,
        boolean bot,
        long eventTimeMillis,
        String contentId,
        List<String> hashtags,
        boolean canary) {

    /** An event that is not the canary's. */
    public ContentEvent(
            String eventId,
            String eventType,
            String userId,
            String anonymousId,
            boolean bot,
            long eventTimeMillis,
            String contentId,
            List<String> hashtags) {
        this(
                eventId,
                eventType,
                userId,
                anonymousId,
                bot,
                eventTimeMillis,
                contentId,
                hashtags,
                false);
    }

    public ContentEvent {
        Objects.requireNonNull(eventType, "eventType");
        hashtags = hashtags == null ? List.of() : List.copyOf(hashtags);
    }

    /**
     * Who is counted as the author of the event's mentions: the user, else the anonymous device,
     * else the event itself (so an unattributable event weighs as one author of its own). The
     * prefixes keep a user id from colliding with an equal anonymous id; an event without any id
     * counts under one shared author, so such events are damped together rather than trusted.
     */
    public String author() {
        if (userId != null) {
            return "u:" + userId;
        } else if (anonymousId != null) {
            return "a:" + anonymousId;
        } else if (eventId != null) {
            return "e:" + eventId;
        }
        return "?";
    }
}
