package dev.socialpulse.flink.trending.records;

import dev.socialpulse.flink.common.StringHash;

/**
 * One mention of a topic: a distinct normalised hashtag of one (deduplicated) content event. Its
 * event time travels as the stream record's timestamp.
 *
 * @param topic the normalised hashtag
 * @param author who mentioned it: the {@link StringHash key} of {@link ContentEvent#author()}
 * @param bot the event was flagged as sent by a bot: counted in {@code bot_mentions} only
 */
public record Mention(String topic, long author, boolean bot) {

    /**
     * The mention of {@code topic} by {@code author} (as {@link ContentEvent#author()} names it).
     */
    public static Mention of(String topic, String author, boolean bot) {
        return new Mention(topic, StringHash.of(author), bot);
    }
}
