package dev.socialpulse.flink.trending.functions;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Normalises hashtags into topics.
 *
 * <p>The collector already normalises them (trim, strip one leading {@code #}, lowercase,
 * de-duplicate); this repeats the rules defensively, for events from older collectors or other
 * producers, so that {@code "#AI "} and {@code "ai"} always count as the same topic.
 */
public final class Hashtags {

    private Hashtags() {}

    /**
     * @param hashtags hashtags of one event, as sent
     * @return the distinct topics in first-seen order: trimmed, one leading {@code #} removed,
     *     lowercased; empty ones dropped
     */
    public static List<String> normalise(List<String> hashtags) {
        Set<String> topics = new LinkedHashSet<>();
        for (String hashtag : hashtags) {
            String topic = normalise(hashtag);
            if (topic != null) {
                topics.add(topic);
            }
        }
        return new ArrayList<>(topics);
    }

    /**
     * @return the topic for one hashtag, or {@code null} when nothing is left of it
     */
    public static String normalise(String hashtag) {
        if (hashtag == null) {
            return null;
        }
        String topic = hashtag.strip();
        if (topic.startsWith("#")) {
            topic = topic.substring(1).strip();
        }
        topic = topic.toLowerCase(Locale.ROOT);
        return topic.isEmpty() ? null : topic;
    }
}
