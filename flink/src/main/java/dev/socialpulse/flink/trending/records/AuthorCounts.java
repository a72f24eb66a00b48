package dev.socialpulse.flink.trending.records;

import java.util.HashMap;
import java.util.Map;

/**
 * A topic's mentions in one pane (one slide of a horizon): per author, plus the bot-flagged ones.
 * Kept in keyed state; a POJO (public fields, no-argument constructor) so that Flink serialises it
 * without Kryo.
 */
public class AuthorCounts {

    /** Counted mentions per author; authors with none are absent. */
    public Map<String, Integer> authors = new HashMap<>();

    /** Mentions from bot-flagged events, not counted. */
    public long botMentions;

    public AuthorCounts() {}

    /** Adds one mention. */
    public void add(Mention mention) {
        if (mention.bot()) {
            botMentions++;
        } else {
            authors.merge(mention.author(), 1, Integer::sum);
        }
    }
}
