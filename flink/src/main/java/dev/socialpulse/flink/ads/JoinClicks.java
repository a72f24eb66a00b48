package dev.socialpulse.flink.ads;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Joins clicks to their impressions, keyed by impression ({@link TaggedAdEvent#impressionKey}).
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
 */
public class JoinClicks extends KeyedProcessFunction<String, TaggedAdEvent, AdChange> {

    public static final String UNATTRIBUTED_CLICKS_METRIC = "unattributedClicks";

    /** Every counted click that has a click id, with its row, for the conversions' join. */
    public static final OutputTag<TaggedAdEvent> CLICKS =
            new OutputTag<>("clicks", TypeInformation.of(TaggedAdEvent.class));

    private final long clickWindowMs;
    private final long latenessMs;

    private transient ValueState<Long> impressionTime;
    private transient ListState<TaggedAdEvent> waitingClicks;
    private transient Counter unattributedClicks;

    public JoinClicks(AdPerformanceSettings settings) {
        this.clickWindowMs = settings.clickWindow().toMillis();
        this.latenessMs = settings.allowedLateness().toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        impressionTime =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("impression-time", Types.LONG));
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
        if (event.isImpression()) {
            out.collect(AdChange.impression(event.row(), event.visitor(), event.costMicros()));
            if (event.impressionId().isEmpty() || impressionTime.value() != null) {
                return;
            }
            long time = event.eventTime();
            impressionTime.update(time);
            ctx.timerService().registerEventTimeTimer(time + clickWindowMs + latenessMs);
            for (TaggedAdEvent click : waitingClicks.get()) {
                if (attributable(time, click.eventTime())) {
                    out.collect(AdChange.attributedClick(click.row()));
                } else {
                    unattributedClicks.inc();
                }
            }
            waitingClicks.clear();
            return;
        }
        if (!event.clickId().isEmpty()) {
            ctx.output(CLICKS, event);
        }
        Long impression = impressionTime.value();
        if (event.impressionId().isEmpty()) {
            out.collect(AdChange.click(event.row(), event.costMicros(), false));
            unattributedClicks.inc();
        } else if (impression != null) {
            boolean attributed = attributable(impression, event.eventTime());
            out.collect(AdChange.click(event.row(), event.costMicros(), attributed));
            if (!attributed) {
                unattributedClicks.inc();
            }
        } else {
            out.collect(AdChange.click(event.row(), event.costMicros(), false));
            waitingClicks.add(event);
            ctx.timerService().registerEventTimeTimer(event.eventTime() + latenessMs);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AdChange> out)
            throws Exception {
        Long impression = impressionTime.value();
        if (impression != null && impression + clickWindowMs + latenessMs <= timestamp) {
            impressionTime.clear();
        }
        List<TaggedAdEvent> stillWaiting = new ArrayList<>();
        for (TaggedAdEvent click : waitingClicks.get()) {
            if (click.eventTime() + latenessMs <= timestamp) {
                unattributedClicks.inc();
            } else {
                stillWaiting.add(click);
            }
        }
        waitingClicks.update(stillWaiting);
    }

    /** Clicks counted as never attributed by this instance (for tests). */
    long unattributedClickCount() {
        return unattributedClicks.getCount();
    }

    private boolean attributable(long impression, long click) {
        return click >= impression && click - impression <= clickWindowMs;
    }
}
