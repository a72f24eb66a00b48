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
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Attributes conversions to their clicks, keyed by click ({@link TaggedAdEvent#clickKey}).
 *
 * <ul>
 *   <li>A conversion whose click is known and came within {@code [0, attribution window]} before it
 *       (both ends included) is credited to the click: a conversion and its revenue in the click's
 *       row (its minute and dimensions, however many days before), in the conversion's currency if
 *       it has one.
 *   <li>Any other conversion is counted at once in its own row as unattributed, with its revenue.
 *       If its click arrives later (read out of order) and is within the window, it is restated: -1
 *       unattributed conversion and minus its revenue in its own row, +1 conversion and its revenue
 *       in the click's.
 *   <li>Conversions naming no click, outside the window, or whose click has not come once the
 *       watermark is the allowed lateness past the conversion, are counted in {@value
 *       #UNATTRIBUTED_CONVERSIONS_METRIC}.
 * </ul>
 *
 * <p>The click is kept until the watermark is the attribution window plus the allowed lateness past
 * it, a waiting conversion until the watermark is the allowed lateness past it: after that no event
 * it could join with can arrive. Of two click events with one click id the first to arrive is
 * joined. Event ids are unique here: {@link TagProfiles} dropped resent events.
 */
public class JoinConversions extends KeyedProcessFunction<Long, TaggedAdEvent, AdChange> {

    public static final String UNATTRIBUTED_CONVERSIONS_METRIC = "unattributedConversions";

    private final long attributionWindowMs;
    private final long latenessMs;

    private transient ValueState<KnownClick> click;
    private transient ListState<TaggedAdEvent> waitingConversions;
    private transient Counter unattributedConversions;
    private transient EventTimeLag eventTimeLag;

    public JoinConversions(AdPerformanceSettings settings) {
        this.attributionWindowMs = settings.attributionWindow().toMillis();
        this.latenessMs = settings.allowedLateness().toMillis();
    }

    /**
     * What is kept of a click for the attribution window: a week of clicks is most of the job's
     * state, and their ids, visitor and amounts are not needed.
     */
    public record KnownClick(long eventTime, AdRow row) {}

    /** The row a conversion is credited to: its click's, in the conversion's currency if any. */
    public static AdRow creditedRow(KnownClick click, TaggedAdEvent conversion) {
        return conversion.currency().isEmpty()
                ? click.row()
                : click.row().withCurrency(conversion.currency());
    }

    @Override
    public void open(OpenContext openContext) {
        eventTimeLag = EventTimeLag.register(getRuntimeContext().getMetricGroup());
        click =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "click", TypeInformation.of(KnownClick.class)));
        waitingConversions =
                getRuntimeContext()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "waiting-conversions",
                                        TypeInformation.of(TaggedAdEvent.class)));
        unattributedConversions =
                getRuntimeContext().getMetricGroup().counter(UNATTRIBUTED_CONVERSIONS_METRIC);
    }

    @Override
    public void processElement(TaggedAdEvent event, Context ctx, Collector<AdChange> out)
            throws Exception {
        eventTimeLag.update(ctx.timerService());
        if (event.isClick()) {
            if (event.clickId().isEmpty() || click.value() != null) {
                return;
            }
            KnownClick known = new KnownClick(event.eventTime(), event.row());
            click.update(known);
            ctx.timerService()
                    .registerEventTimeTimer(event.eventTime() + attributionWindowMs + latenessMs);
            for (TaggedAdEvent conversion : waitingConversions.get()) {
                if (attributable(known, conversion)) {
                    out.collect(
                            AdChange.unattributedConversion(
                                    conversion.row(), conversion.revenueMicros(), -1));
                    out.collect(
                            AdChange.conversion(
                                    creditedRow(known, conversion), conversion.revenueMicros()));
                } else {
                    unattributedConversions.inc();
                }
            }
            waitingConversions.clear();
            return;
        }
        KnownClick known = click.value();
        if (known != null && attributable(known, event)) {
            out.collect(AdChange.conversion(creditedRow(known, event), event.revenueMicros()));
            return;
        }
        out.collect(AdChange.unattributedConversion(event.row(), event.revenueMicros(), 1));
        if (known != null || event.clickId().isEmpty()) {
            unattributedConversions.inc();
        } else {
            waitingConversions.add(event);
            ctx.timerService().registerEventTimeTimer(event.eventTime() + latenessMs);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AdChange> out)
            throws Exception {
        eventTimeLag.update(ctx.timerService());
        KnownClick known = click.value();
        if (known != null && known.eventTime() + attributionWindowMs + latenessMs <= timestamp) {
            click.clear();
        }
        List<TaggedAdEvent> stillWaiting = new ArrayList<>();
        for (TaggedAdEvent conversion : waitingConversions.get()) {
            if (conversion.eventTime() + latenessMs <= timestamp) {
                unattributedConversions.inc();
            } else {
                stillWaiting.add(conversion);
            }
        }
        waitingConversions.update(stillWaiting);
    }

    /** Conversions counted as never attributed by this instance (for tests). */
    long unattributedConversionCount() {
        return unattributedConversions.getCount();
    }

    private boolean attributable(KnownClick click, TaggedAdEvent conversion) {
        long after = conversion.eventTime() - click.eventTime();
        return after >= 0 && after <= attributionWindowMs;
    }
}
