package dev.socialpulse.flink.trending.functions;

import dev.socialpulse.flink.common.EventTimeLag;
import dev.socialpulse.flink.trending.TrendingHorizon;
import dev.socialpulse.flink.trending.records.AuthorCounts;
import dev.socialpulse.flink.trending.records.HorizonWindow;
import dev.socialpulse.flink.trending.records.Mention;
import dev.socialpulse.flink.trending.records.TopicWindowStats;
import java.util.List;
import java.util.Map;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by topic: the topic's sliding windows in every horizon, from slide-sized panes, with the
 * parts of its score. Emits one {@link TopicWindowStats} per horizon and window that counted at
 * least one mention, stamped with the window's last millisecond, when the watermark passes it.
 *
 * <p>State per topic and horizon (the pane technique): {@code panes-<label>}, the mentions per
 * author of each pane (one slide) not yet expired, and {@code window-<label>}, a {@link
 * HorizonWindow}: the running window, kept incrementally (a mention is added as it arrives; when
 * the window slides the expiring pane is subtracted and the entering one added), and the baseline.
 * An event costs one pane and one window update per horizon, and a window's firing costs the
 * authors of two panes: a 15-minute horizon sliding every 30 s keeps 30 panes, not 30 copies of
 * every mention.
 *
 * <p>Timers: one event-time timer at the last millisecond of the next window to fire, per topic;
 * horizons whose windows end at the same time share it. A topic with no mention left in a horizon
 * stops firing there (no rows for empty windows) and gets a clean-up timer at the event time when
 * its baseline will have decayed below {@value #FORGET_BASELINE_BELOW} mentions; if nothing came by
 * then its state is dropped (V then moves by under 1% with k = 10). A clean-up timer made stale by
 * new mentions is left to fire and do nothing: deleting it could delete another horizon's timer at
 * the same time.
 *
 * <p>Lateness, per horizon, by the watermark: a mention all of whose windows have fired is dropped
 * and counted in the horizon's {@value #LATE_MENTIONS_METRIC}; one later than some of its windows
 * still counts in the rest. A mention out of order but not late, with an unfired window before the
 * running one, moves the running window back to the first unfired window holding it (re-summed from
 * the panes): the next window to fire is always the earliest unfired one with a mention.
 */
public class AggregateTopicWindows extends KeyedProcessFunction<String, Mention, TopicWindowStats> {

    private static final long serialVersionUID = 1L;

    /** Counter, per horizon (metric group {@code horizon=<label>}), of mentions dropped as late. */
    public static final String LATE_MENTIONS_METRIC = "lateMentions";

    /** A baseline below this many weighted mentions is forgotten with an idle topic's state. */
    public static final double FORGET_BASELINE_BELOW = 0.1;

    private final List<TrendingHorizon> horizons;
    private final TrendingScore score;

    private transient MapState<Long, AuthorCounts>[] panes;
    private transient ValueState<HorizonWindow>[] windows;
    private transient Counter[] lateMentions;
    private transient double[] decay;
    private transient int saturation;
    private transient EventTimeLag eventTimeLag;

    public AggregateTopicWindows(List<TrendingHorizon> horizons, TrendingScore score) {
        if (horizons.isEmpty()) {
            throw new IllegalArgumentException("at least one horizon is needed");
        }
        this.horizons = List.copyOf(horizons);
        this.score = score;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void open(OpenContext openContext) {
        eventTimeLag = EventTimeLag.register(getRuntimeContext().getMetricGroup());
        int n = horizons.size();
        panes = new MapState[n];
        windows = new ValueState[n];
        lateMentions = new Counter[n];
        decay = new double[n];
        saturation = score.saturation();
        for (int i = 0; i < n; i++) {
            TrendingHorizon horizon = horizons.get(i);
            panes[i] =
                    getRuntimeContext()
                            .getMapState(
                                    new MapStateDescriptor<>(
                                            "panes-" + horizon.label(),
                                            Types.LONG,
                                            TypeInformation.of(AuthorCounts.class)));
            windows[i] =
                    getRuntimeContext()
                            .getState(
                                    new ValueStateDescriptor<>(
                                            "window-" + horizon.label(),
                                            TypeInformation.of(HorizonWindow.class)));
            lateMentions[i] =
                    getRuntimeContext()
                            .getMetricGroup()
                            .addGroup("horizon", horizon.label())
                            .counter(LATE_MENTIONS_METRIC);
            decay[i] = score.baselineDecayPerSlide(horizon);
        }
    }

    @Override
    public void processElement(Mention mention, Context ctx, Collector<TopicWindowStats> out)
            throws Exception {
        eventTimeLag.update(ctx.timerService());
        long timestamp = ctx.timestamp();
        for (int i = 0; i < horizons.size(); i++) {
            add(i, mention, timestamp, ctx.timerService());
        }
    }

    private void add(int i, Mention mention, long timestamp, TimerService timers) throws Exception {
        long slide = horizons.get(i).slideMillis();
        long size = horizons.get(i).windowMillis();
        long pane = Math.floorDiv(timestamp, slide) * slide;

        long firstUnfired = firstUnfiredEnd(timers.currentWatermark(), slide);
        if (pane + size < firstUnfired) {
            // The last window holding the pane, ending at pane + size, has fired.
            lateMentions[i].inc();
            return;
        }
        HorizonWindow window = windows[i].value();
        if (window == null) {
            window = new HorizonWindow(saturation);
        }
        if (window.nextEnd == HorizonWindow.NONE) {
            window.nextEnd = Math.max(pane + slide, firstUnfired);
            window.cleanupAt = HorizonWindow.NONE;
            timers.registerEventTimeTimer(window.nextEnd - 1);
        } else if (Math.max(pane + slide, firstUnfired) < window.nextEnd) {
            // Out of order, yet before the watermark: the window to fire next moves back to the
            // first unfired one holding this pane, summed again from its panes. (The timer of the
            // later end stays and fires when the window gets there again.)
            window.nextEnd = Math.max(pane + slide, firstUnfired);
            window.clearCounts();
            for (Map.Entry<Long, AuthorCounts> entry : panes[i].entries()) {
                if (entry.getKey() >= window.nextEnd - size && entry.getKey() < window.nextEnd) {
                    window.add(entry.getValue());
                }
            }
            timers.registerEventTimeTimer(window.nextEnd - 1);
        }

        AuthorCounts counts = panes[i].get(pane);
        if (counts == null) {
            counts = new AuthorCounts();
        }
        counts.add(mention);
        panes[i].put(pane, counts);
        if (pane < window.nextEnd) {
            window.add(mention);
        }
        windows[i].update(window);
    }

    /** The end of the first window the watermark has not fired yet: a multiple of the slide. */
    @VisibleForTesting
    static long firstUnfiredEnd(long watermark, long slide) {
        if (watermark == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        // The window ending at e fires once the watermark reaches e - 1.
        return Math.floorDiv(watermark + 1, slide) * slide + slide;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TopicWindowStats> out)
            throws Exception {
        eventTimeLag.update(ctx.timerService());
        for (int i = 0; i < horizons.size(); i++) {
            // A horizon's timers (window ends and clean-ups) are all at a multiple of its slide,
            // less 1 ms: the others' state need not be read (a 1 s slide fires 30x as often as a
            // 30 s one).
            if (Math.floorMod(timestamp + 1, horizons.get(i).slideMillis()) != 0) {
                continue;
            }
            HorizonWindow window = windows[i].value();
            if (window == null) {
                continue;
            }
            if (window.nextEnd != HorizonWindow.NONE && window.nextEnd - 1 == timestamp) {
                fire(i, window, ctx, out);
            } else if (window.nextEnd == HorizonWindow.NONE && window.cleanupAt == timestamp) {
                windows[i].clear();
                panes[i].clear();
            }
        }
    }

    /** Emits the window ending at {@code window.nextEnd} and slides it by one pane. */
    private void fire(
            int i, HorizonWindow window, OnTimerContext ctx, Collector<TopicWindowStats> out)
            throws Exception {
        TrendingHorizon horizon = horizons.get(i);
        long slide = horizon.slideMillis();
        long size = horizon.windowMillis();
        long end = window.nextEnd;

        double baseline = window.advanceBaseline(end, slide, size, decay[i]);
        double weighted = window.weightedMentions(score);
        if (window.mentions > 0) {
            out.collect(
                    new TopicWindowStats(
                            horizon.label(),
                            end - size,
                            end,
                            ctx.getCurrentKey(),
                            window.mentions,
                            window.uniqueAuthors(),
                            weighted,
                            window.botMentions,
                            baseline,
                            score.velocity(weighted, baseline),
                            score.score(weighted, baseline)));
        }
        window.recordFired(end, weighted);

        AuthorCounts expiring = panes[i].get(end - size);
        if (expiring != null) {
            window.subtract(expiring);
            panes[i].remove(end - size);
        }
        AuthorCounts entering = panes[i].get(end);
        if (entering != null) {
            window.add(entering);
        }
        window.nextEnd = end + slide;

        if (window.isEmpty()) {
            // No pane overlaps the next window; skip the empty windows up to the next pane, if
            // any (mentions from ahead of the watermark), or go idle.
            Long next = null;
            for (Long start : panes[i].keys()) {
                next = next == null ? start : Math.min(next, start);
            }
            if (next != null) {
                window.nextEnd = next + slide;
                window.add(panes[i].get(next));
            } else {
                window.nextEnd = HorizonWindow.NONE;
                window.cleanupAt = end + size + forgetAfterSlides(window, i) * slide - 1;
                ctx.timerService().registerEventTimeTimer(window.cleanupAt);
            }
        }
        if (window.nextEnd != HorizonWindow.NONE) {
            ctx.timerService().registerEventTimeTimer(window.nextEnd - 1);
        }
        windows[i].update(window);
    }

    /** Mentions of horizon {@code i} dropped as late by this instance; for tests. */
    @VisibleForTesting
    long lateMentionCount(int i) {
        return lateMentions[i].getCount();
    }

    /** Slides after which the baseline, once every fired W is folded in, is below the floor. */
    private long forgetAfterSlides(HorizonWindow window, int i) {
        double bound = window.baselineBound();
        if (bound <= FORGET_BASELINE_BELOW) {
            return 0;
        }
        return (long) Math.ceil(Math.log(FORGET_BASELINE_BELOW / bound) / Math.log(decay[i]));
    }
}
