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
 * @param eventTimeMillis event time (the JSON's {@code event_time}) in epoch milliseconds
 * @param contentId the post the event is about, or {@code null}
 * @param hashtags the hashtags as sent, not yet normalised; never {@code null}
 */
public record ContentEvent(
        String eventId,
        String eventType,
        String userId,
        long eventTimeMillis,
        String contentId,
        List<String> hashtags) {

    public ContentEvent {
        Objects.requireNonNull(eventType, "eventType");
        hashtags = hashtags == null ? List.of() : List.copyOf(hashtags);
    }
}
