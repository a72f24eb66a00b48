package dev.socialpulse.flink.trending.records;

/**
 * A topic's mentions in one pane (one slide of a horizon): per author, plus the bot-flagged ones.
 * Kept in keyed state; a POJO (public fields, no-argument constructor) so that Flink serialises it
 * without Kryo.
 */
public class AuthorCounts {

    /** Counted mentions per author; authors with none are absent. */
    public AuthorTally authors = new AuthorTally();

    /** Mentions from bot-flagged events, not counted. */
    public long botMentions;

    public AuthorCounts() {}

    /** Adds one mention. */
    public void add(Mention mention) {
        if (mention.bot()) {
            botMentions++;
        } else {
            authors.add(mention.author(), 1);
        }
    }
}
