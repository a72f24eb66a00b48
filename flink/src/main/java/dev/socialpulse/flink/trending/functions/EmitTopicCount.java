package dev.socialpulse.flink.trending.functions;

import dev.socialpulse.flink.trending.records.TopicCount;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Attaches the topic and the window's bounds to the count from {@link CountMentions}. */
public class EmitTopicCount extends ProcessWindowFunction<Long, TopicCount, String, TimeWindow> {

    private static final long serialVersionUID = 1L;

    @Override
    public void process(
            String topic, Context context, Iterable<Long> counts, Collector<TopicCount> out) {
        // An incremental aggregate hands over exactly one value: its result.
        long mentions = counts.iterator().next();
        TimeWindow window = context.window();
        out.collect(new TopicCount(topic, window.getStart(), window.getEnd(), mentions));
    }
}
