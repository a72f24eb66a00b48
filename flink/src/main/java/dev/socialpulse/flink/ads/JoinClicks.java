package dev.socialpulse.flink.ads;

import dev.socialpulse.flink.common.EventTimeLag;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Joins clicks to their impressions, keyed by impression: by {@link #bucketOf bucket} of {@link
 * TaggedAdEvent#impressionKey}.
 *
 * <ul>
 *   <li>An impression is counted at once in its own row: an impression, its cost as spend, its
 *       visitor reached.
 *   <li>A click is counted at once in its own row: a click and its cost as spend, and an attributed
 *       click if its impression is known and the click came within {@code [0, click window]} of it
 *       (both ends included). A click whose impression comes later (read out of order) is
 *       attributed then, with a change of +1 attributed click in the click's row. A click naming no
 *       impression, one outside the window, and one whose impression has not come once the
 *       watermark is the allowed lateness past the click are counted in {@value
 *       #UNATTRIBUTED_CLICKS_METRIC}.
 *   <li>Every click with a click id goes on to {@link JoinConversions} ({@link #CLICKS}); a
 *       conversion cannot name one without.
 * </ul>
 *
 * <p>The impression is kept until the watermark is the click window plus the allowed lateness past
 * it, a waiting click until the watermark is the allowed lateness past the click: after that no
 * event it could join with can arrive ({@link AsOfLookup} drops older ones). An impression without
 * an impression id is counted and not kept: no click can name it. Of two impression events with one
 * impression id both are counted and the first to arrive is joined. Event ids are unique here:
 * {@link TagProfiles} dropped resent events.
 *
 * <p>State is kept per bucket, not per impression ({@link ImpressionTimes} says why): the bucket's
 * impressions in a table, its waiting clicks in a list, and a timer at the earliest time one of
 * them is due to be forgotten. The timer forgets everything due by the watermark and is set again
 * for what is left, so that nothing due is ever kept when an event comes: the rules above hold to
 * the millisecond.
 */
public class JoinClicks extends KeyedProcessFunction<Integer, TaggedAdEvent, AdChange> {

    public static final String UNATTRIBUTED_CLICKS_METRIC = "unattributedClicks";

    /**
     * Buckets of impressions: enough that each of the 128 key groups ({@link
     * AdPerformanceJob#MAX_PARALLELISM}) gets 32 and their tables stay small (about 130 impressions
     * each at a million events an hour); a power of two. Changing it makes savepoints unusable.
     */
    public static final int BUCKETS = 4096;

    /** Every counted click that has a click id, with its row, for the conversions' join. */
    public static final OutputTag<TaggedAdEvent> CLICKS =
            new OutputTag<>("clicks", TypeInformation.of(TaggedAdEvent.class));

    private final long clickWindowMs;
    private final long latenessMs;

    private transient ValueState<ImpressionTimes> impressions;
    private transient ListState<TaggedAdEvent> waitingClicks;
    private transient Counter unattributedClicks;
    private transient EventTimeLag eventTimeLag;

    public JoinClicks(AdPerformanceSettings settings) {
        this.clickWindowMs = settings.clickWindow().toMillis();
        this.latenessMs = settings.allowedLateness().toMillis();
    }

    /** What the join is keyed by: the bucket of the event's impression key. */
    public static int bucketOf(TaggedAdEvent event) {
        return (int) (event.impressionKey() & (BUCKETS - 1));
    }

    @Override
    public void open(OpenContext openContext) {
        eventTimeLag = EventTimeLag.register(getRuntimeContext().getMetricGroup());
        impressions =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "impressions", ImpressionTimesSerializer.INSTANCE));
        waitingClicks =
                getRuntimeContext()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "waiting-clicks", TypeInformation.of(TaggedAdEvent.class)));
        unattributedClicks =
                getRuntimeContext().getMetricGroup().counter(UNATTRIBUTED_CLICKS_METRIC);
    }

    @Override
    public void processElement(TaggedAdEvent event, Context ctx, Collector<AdChange> out)
            throws Exception {
        eventTimeLag.update(ctx.timerService());
        if (event.isImpression()) {
            out.collect(AdChange.impression(event.row(), event.visitor(), event.costMicros()));
            if (!event.impressionId().isEmpty()) {
                keep(event, ctx.timerService(), out);
            }
            return;
        }
        if (!event.clickId().isEmpty()) {
            ctx.output(CLICKS, event);
        }
        if (event.impressionId().isEmpty()) {
            out.collect(AdChange.click(event.row(), event.costMicros(), false));
            unattributedClicks.inc();
            return;
        }
        ImpressionTimes kept = impressions.value();
        long impression =
                kept == null ? ImpressionTimes.ABSENT : kept.timeOf(event.impressionKey());
        if (impression != ImpressionTimes.ABSENT) {
            boolean attributed = attributable(impression, event.eventTime());
            out.collect(AdChange.click(event.row(), event.costMicros(), attributed));
            if (!attributed) {
                unattributedClicks.inc();
            }
        } else {
            out.collect(AdChange.click(event.row(), event.costMicros(), false));
            long due = event.eventTime() + latenessMs;
            if (due < earliestDue(kept, waitingClicks.get())) {
                ctx.timerService().registerEventTimeTimer(due);
            }
            waitingClicks.add(event);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AdChange> out)
            throws Exception {
        eventTimeLag.update(ctx.timerService());
        // Everything due by the watermark goes now, not only what is due at this timer.
        long watermark = ctx.timerService().currentWatermark();
        ImpressionTimes kept = impressions.value();
        if (kept != null) {
            kept.removeUpTo(watermark - clickWindowMs - latenessMs);
            if (kept.isEmpty()) {
                impressions.clear();
                kept = null;
            } else {
                impressions.update(kept);
            }
        }
        List<TaggedAdEvent> stillWaiting = new ArrayList<>();
        for (TaggedAdEvent click : waitingClicks.get()) {
            if (click.eventTime() + latenessMs <= watermark) {
                unattributedClicks.inc();
            } else {
                stillWaiting.add(click);
            }
        }
        waitingClicks.update(stillWaiting);
        long next = earliestDue(kept, stillWaiting);
        if (next != Long.MAX_VALUE) {
            ctx.timerService().registerEventTimeTimer(next);
        }
    }

    /** Clicks counted as never attributed by this instance (for tests). */
    long unattributedClickCount() {
        return unattributedClicks.getCount();
    }

    /** Keeps an impression that has an id, for its clicks, unless one with its id is kept. */
    private void keep(TaggedAdEvent impression, TimerService timers, Collector<AdChange> out)
            throws Exception {
        ImpressionTimes kept = impressions.value();
        Iterable<TaggedAdEvent> waiting = waitingClicks.get();
        long earliestDue = earliestDue(kept, waiting);
        if (kept == null) {
            kept = new ImpressionTimes();
        }
        long time = impression.eventTime();
        if (!kept.putIfAbsent(impression.impressionKey(), time)) {
            return;
        }
        impressions.update(kept);
        long due = time + clickWindowMs + latenessMs;
        if (due < earliestDue) {
            timers.registerEventTimeTimer(due);
        }
        // The bucket's other impressions' clicks keep waiting.
        List<TaggedAdEvent> stillWaiting = new ArrayList<>();
        boolean joined = false;
        for (TaggedAdEvent click : waiting) {
            if (!click.impressionId().equals(impression.impressionId())) {
                stillWaiting.add(click);
                continue;
            }
            joined = true;
            if (attributable(time, click.eventTime())) {
                out.collect(AdChange.attributedClick(click.row()));
            } else {
                unattributedClicks.inc();
            }
        }
        if (joined) {
            waitingClicks.update(stillWaiting);
        }
    }

    /**
     * The earliest time one of the bucket's impressions or waiting clicks is due to be forgotten
     * (its timer is set for then, or earlier), {@code Long.MAX_VALUE} when it keeps nothing.
     */
    private long earliestDue(ImpressionTimes kept, Iterable<TaggedAdEvent> waiting) {
        long due = Long.MAX_VALUE;
        if (kept != null && !kept.isEmpty()) {
            due = kept.earliest() + clickWindowMs + latenessMs;
        }
        for (TaggedAdEvent click : waiting) {
            due = Math.min(due, click.eventTime() + latenessMs);
        }
        return due;
    }

    private boolean attributable(long impression, long click) {
        return click >= impression && click - impression <= clickWindowMs;
    }
}
