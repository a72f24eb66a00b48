package dev.socialpulse.flink.trending.functions;

/**
 * The canary's mentions count under topics of their own: its hashtags prefixed with {@value
 * #PREFIX}. Normalised hashtags are lower case ({@link Hashtags}), so no user's topic can take that
 * form. A canary topic goes through every operator of the job like any other, but outside the
 * ranking: each subtask sends it on whatever its score ({@link WindowCandidates}), and the ranking
 * writes it after the window's top N, at the ranks that follow ({@link RankTopTopics}). So it
 * reaches the sink, where the canary looks for it through the API, without taking a place in the
 * list (a single canary author would be damped out of it, or pollute it). The API reads the same
 * prefix (apps/api, CANARY_TOPIC_PREFIX in packages/events) to keep canary topics out of its
 * answers.
 */
public final class CanaryTopics {

    /** What marks a canary topic; must equal CANARY_TOPIC_PREFIX of packages/events. */
    public static final String PREFIX = "CANARY:";

    private CanaryTopics() {}

    /** The canary topic of a normalised hashtag. */
    public static String of(String topic) {
        return PREFIX + topic;
    }

    /** Whether the topic is a canary's. */
    public static boolean isCanary(String topic) {
        return topic.startsWith(PREFIX);
    }
}
