package dev.socialpulse.flink.trending.records;

/**
 * How often one topic (normalised hashtag) was mentioned in one event-time window.
 *
 * @param topic the normalised hashtag, for example {@code worldcup}
 * @param windowStartMillis window start, inclusive, epoch milliseconds
 * @param windowEndMillis window end, exclusive, epoch milliseconds
 * @param mentions number of mentions in the window
 */
public record TopicCount(
        String topic, long windowStartMillis, long windowEndMillis, long mentions) {}
