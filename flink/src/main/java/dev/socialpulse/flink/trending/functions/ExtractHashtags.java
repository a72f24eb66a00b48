package dev.socialpulse.flink.trending.functions;

import dev.socialpulse.flink.common.StringHash;
import dev.socialpulse.flink.trending.records.ContentEvent;
import dev.socialpulse.flink.trending.records.Mention;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;

/**
 * Emits one {@link Mention} per distinct normalised hashtag of a content event, with the event's
 * author and bot flag (bot-flagged mentions are only counted as such, downstream).
 *
 * <p>Every content event type counts (post created, viewed, liked, commented, shared). An event of
 * any other type is dropped and counted in {@value #IGNORED_EVENTS_METRIC}, so that a type added to
 * the topic later does not start counting as a mention unnoticed. The canary's mentions count under
 * {@link CanaryTopics}, never under the topics of the list.
 */
public class ExtractHashtags extends RichFlatMapFunction<ContentEvent, Mention> {

    private static final long serialVersionUID = 1L;

    /** Event types whose hashtags count as mentions. */
    public static final Set<String> MENTION_EVENT_TYPES =
            Set.of(
                    "content.post_created",
                    "content.viewed",
                    "content.liked",
                    "content.commented",
                    "content.shared");

    /** Counter of events dropped because their type is not one of {@link #MENTION_EVENT_TYPES}. */
    public static final String IGNORED_EVENTS_METRIC = "ignoredEvents";

    private transient Counter ignoredEvents;

    @Override
    public void open(OpenContext openContext) {
        ignoredEvents = getRuntimeContext().getMetricGroup().counter(IGNORED_EVENTS_METRIC);
    }

    @Override
    public void flatMap(ContentEvent event, Collector<Mention> out) {
        if (!MENTION_EVENT_TYPES.contains(event.eventType())) {
            ignoredEvents.inc();
            return;
        }
        long author = StringHash.of(event.author());
        for (String topic : Hashtags.normalise(event.hashtags())) {
            out.collect(
                    new Mention(
                            event.canary() ? CanaryTopics.of(topic) : topic, author, event.bot()));
        }
    }
}
