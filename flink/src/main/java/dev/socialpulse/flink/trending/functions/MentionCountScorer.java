package dev.socialpulse.flink.trending.functions;

import dev.socialpulse.flink.trending.records.TopicCount;

/** First-version scoring: the score is the number of mentions in the window. */
public class MentionCountScorer implements TopicScorer {

    private static final long serialVersionUID = 1L;

    @Override
    public double score(TopicCount count) {
        return count.mentions();
    }
}
