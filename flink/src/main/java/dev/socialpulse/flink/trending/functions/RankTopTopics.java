package dev.socialpulse.flink.trending.functions;

import dev.socialpulse.flink.trending.records.TopicCount;
import dev.socialpulse.flink.trending.records.TrendingTopicRow;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Collects the topic counts of one window (the key is the window end) and, once the watermark has
 * passed the window, emits its top N as {@link TrendingTopicRow}s and clears the window's state.
 *
 * <p>Why a timer at the window's last millisecond suffices: the window operator emits a window's
 * counts, stamped with that millisecond, before it forwards the watermark that fired the window;
 * this operator's watermark is the minimum over all its inputs, so when the timer fires every
 * upstream subtask has sent all of that window's counts.
 */
public class RankTopTopics extends KeyedProcessFunction<Long, TopicCount, TrendingTopicRow> {

    private static final long serialVersionUID = 1L;

    private final int topN;
    private final String windowSizeLabel;
    private final TopicScorer scorer;

    private transient ListState<TopicCount> windowCounts;

    /**
     * @param topN how many topics to emit per window
     * @param windowSizeLabel the rows' {@code window_size}, for example {@code 1m}
     * @param scorer ranks the topics
     */
    public RankTopTopics(int topN, String windowSizeLabel, TopicScorer scorer) {
        if (topN < 1) {
            throw new IllegalArgumentException("topN must be at least 1, got " + topN);
        }
        this.topN = topN;
        this.windowSizeLabel = windowSizeLabel;
        this.scorer = scorer;
    }

    @Override
    public void open(OpenContext openContext) {
        windowCounts =
                getRuntimeContext()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "window-topic-counts",
                                        TypeInformation.of(TopicCount.class)));
    }

    @Override
    public void processElement(TopicCount count, Context ctx, Collector<TrendingTopicRow> out)
            throws Exception {
        windowCounts.add(count);
        // Registering the same timestamp again for the same key is a no-op.
        ctx.timerService().registerEventTimeTimer(count.windowEndMillis() - 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TrendingTopicRow> out)
            throws Exception {
        long computedAt = ctx.timerService().currentProcessingTime();
        for (TopTopics.Ranked ranked : TopTopics.select(windowCounts.get(), topN, scorer)) {
            TopicCount count = ranked.count();
            out.collect(
                    new TrendingTopicRow(
                            windowSizeLabel,
                            count.windowStartMillis(),
                            count.windowEndMillis(),
                            count.topic(),
                            count.mentions(),
                            ranked.score(),
                            ranked.rank(),
                            computedAt));
        }
        // The window is done: without allowed lateness no more counts can arrive for it.
        windowCounts.clear();
    }
}
