package dev.socialpulse.flink.trending.functions;

import dev.socialpulse.flink.common.EventTimeLag;
import dev.socialpulse.flink.trending.records.TopicWindowStats;
import dev.socialpulse.flink.trending.records.TrendingTopicRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Collects the topics of one window of one horizon (the key is {@code (horizon, window end)}) and,
 * once the watermark has passed the window, emits its top N as {@link TrendingTopicRow}s, all with
 * one {@code computed_at} (the list's generation), and clears the window's state.
 *
 * <p>Why a timer at the window's last millisecond suffices: {@link AggregateTopicWindowsOperator}
 * sends a window's best topics, stamped with that millisecond, before it forwards the watermark
 * that fired the window; this operator's watermark is the minimum over all its inputs, so when the
 * timer fires every upstream subtask has sent its candidates for that window (the union holds the
 * top N). Canary topics ({@link CanaryTopics}) are written after the top N, at ranks N + 1 on, and
 * never take a place in it.
 */
public class RankTopTopics
        extends KeyedProcessFunction<Tuple2<String, Long>, TopicWindowStats, TrendingTopicRow> {

    private static final long serialVersionUID = 1L;

    /** The key type: horizon label and window end. */
    public static final TypeInformation<Tuple2<String, Long>> KEY_TYPE =
            Types.TUPLE(Types.STRING, Types.LONG);

    private final int topN;

    private transient ListState<TopicWindowStats> windowTopics;
    private transient EventTimeLag eventTimeLag;

    /**
     * @param topN how many topics to emit per window
     */
    public RankTopTopics(int topN) {
        if (topN < 1) {
            throw new IllegalArgumentException("topN must be at least 1, got " + topN);
        }
        this.topN = topN;
    }

    /** The key of a topic's window. */
    public static Tuple2<String, Long> key(TopicWindowStats stats) {
        return Tuple2.of(stats.horizon(), stats.windowEndMillis());
    }

    @Override
    public void open(OpenContext openContext) {
        eventTimeLag = EventTimeLag.register(getRuntimeContext().getMetricGroup());
        windowTopics =
                getRuntimeContext()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "window-topic-stats",
                                        TypeInformation.of(TopicWindowStats.class)));
    }

    @Override
    public void processElement(TopicWindowStats stats, Context ctx, Collector<TrendingTopicRow> out)
            throws Exception {
        eventTimeLag.update(ctx.timerService());
        windowTopics.add(stats);
        // Registering the same timestamp again for the same key is a no-op.
        ctx.timerService().registerEventTimeTimer(stats.windowEndMillis() - 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TrendingTopicRow> out)
            throws Exception {
        eventTimeLag.update(ctx.timerService());
        // One generation for the whole list: readers keep only a window's newest generation.
        long computedAt = ctx.timerService().currentProcessingTime();
        List<TopicWindowStats> ranked = new ArrayList<>();
        List<TopicWindowStats> canaries = new ArrayList<>();
        for (TopicWindowStats stats : windowTopics.get()) {
            (CanaryTopics.isCanary(stats.topic()) ? canaries : ranked).add(stats);
        }
        List<TopicWindowStats> top = TopTopics.select(ranked, topN);
        for (int i = 0; i < top.size(); i++) {
            out.collect(TrendingTopicRow.of(top.get(i), i + 1, computedAt));
        }
        // After the N ranks, in topic order so that a replay writes the same ranks: each row needs
        // a
        // rank of its own (the table's key), none may take a place of the list.
        canaries.sort(Comparator.comparing(TopicWindowStats::topic));
        for (int i = 0; i < canaries.size(); i++) {
            out.collect(TrendingTopicRow.of(canaries.get(i), topN + 1 + i, computedAt));
        }
        // The window is done: its topics were all sent before the watermark that fired it.
        windowTopics.clear();
    }
}
