package dev.socialpulse.flink.ads;

import dev.socialpulse.flink.common.EventTimeLag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Gives each ad event of a key the version of a keyed value (a link, a profile) that held at its
 * event time. The versions come from {@code user.identified} events, read from another topic than
 * the ad events: holding each ad event in keyed state until the watermark passes its time makes the
 * lookup exact in event time, whichever topic is read ahead (an identify read after an ad event but
 * before the watermark passed its own time still applies to that ad event if it is older).
 *
 * <ul>
 *   <li>An ad event the watermark has passed by less than the allowed lateness is emitted at once
 *       with the versions known then; a later one is counted ({@value #TOO_LATE_EVENTS_METRIC}) and
 *       dropped (the archive keeps it).
 *   <li>An identify is never dropped, however late: it holds from its time on for the events
 *       emitted after it arrived (those already emitted keep what they were given), and a late
 *       identify may still be the newest version, which every future event needs.
 *   <li>A version is forgotten once the watermark is the allowed lateness past the time of the
 *       version that superseded it: no event it held for can arrive any more. The key's versions
 *       are forgotten altogether once no identify has touched them for the TTL (processing time,
 *       like {@link dev.socialpulse.flink.common.DropDuplicateEvents}: a replay only remembers
 *       more); its later events count as unknown.
 * </ul>
 *
 * @param <V> the version type
 * @param <OUT> what the ad events become
 */
public abstract class AsOfLookup<V extends Versioned<V>, OUT>
        extends KeyedProcessFunction<String, AdEvent, OUT> {

    public static final String TOO_LATE_EVENTS_METRIC = "tooLateEvents";

    protected final long latenessMs;
    private final Duration ttl;
    private final TypeInformation<V> versionType;

    private transient ValueState<List<V>> versions;
    private transient MapState<Long, List<AdEvent>> pending;
    private transient Counter tooLateEvents;
    private transient EventTimeLag eventTimeLag;

    protected AsOfLookup(AdPerformanceSettings settings, TypeInformation<V> versionType) {
        this.latenessMs = settings.allowedLateness().toMillis();
        this.ttl = settings.profileTtl();
        this.versionType = versionType;
    }

    /** The version an identify event sets. */
    protected abstract V versionOf(AdEvent identify);

    /** Emits an ad event with the version that held at its time: {@code null} when none did. */
    protected abstract void emit(AdEvent event, V inForce, Collector<OUT> out);

    /**
     * Whether to take in an ad event that is not too late (the place to drop duplicates); it may
     * register timers.
     */
    protected boolean admit(AdEvent event, TimerService timers) throws Exception {
        return true;
    }

    /**
     * Runs at each of the key's timers, after the events due then were emitted; it may register
     * timers.
     */
    protected void onTime(long time, TimerService timers) throws Exception {}

    @Override
    public void open(OpenContext openContext) throws Exception {
        eventTimeLag = EventTimeLag.register(getRuntimeContext().getMetricGroup());
        ValueStateDescriptor<List<V>> descriptor =
                new ValueStateDescriptor<>("versions", Types.LIST(versionType));
        descriptor.enableTimeToLive(
                StateTtlConfig.newBuilder(ttl)
                        // From the last identify: every identify is written, even one that
                        // repeats the value, and looking up (reading) does not extend it.
                        .updateTtlOnCreateAndWrite()
                        .neverReturnExpired()
                        // Read for every ad event: checking one other entry per access keeps
                        // memory bounded without walking live profiles on the hot path.
                        .cleanupIncrementally(1, false)
                        .build());
        versions = getRuntimeContext().getState(descriptor);
        pending =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "pending-ad-events",
                                        Types.LONG,
                                        Types.LIST(TypeInformation.of(AdEvent.class))));
        tooLateEvents = getRuntimeContext().getMetricGroup().counter(TOO_LATE_EVENTS_METRIC);
    }

    @Override
    public void processElement(AdEvent event, Context ctx, Collector<OUT> out) throws Exception {
        eventTimeLag.update(ctx.timerService());
        if (event.isIdentify()) {
            addVersion(versionOf(event), ctx.timerService());
            return;
        }
        long watermark = ctx.timerService().currentWatermark();
        long time = event.eventTime();
        if (time + latenessMs <= watermark) {
            tooLateEvents.inc();
            return;
        }
        if (!admit(event, ctx.timerService())) {
            return;
        }
        if (time <= watermark) {
            // Late within the allowed lateness: the versions it needs are still kept.
            emit(event, Versions.inForceAt(versions(), time), out);
            return;
        }
        List<AdEvent> due = pending.get(time);
        if (due == null) {
            due = new ArrayList<>(1);
        }
        due.add(event);
        pending.put(time, due);
        ctx.timerService().registerEventTimeTimer(time);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<OUT> out) throws Exception {
        eventTimeLag.update(ctx.timerService());
        List<V> current = versions();
        List<AdEvent> due = pending.get(timestamp);
        if (due != null) {
            V inForce = Versions.inForceAt(current, timestamp);
            for (AdEvent event : due) {
                emit(event, inForce, out);
            }
            pending.remove(timestamp);
        }
        onTime(timestamp, ctx.timerService());
        // Timers fire in time order, so every event older than this one has been emitted.
        List<V> kept = Versions.withoutSupersededBy(current, timestamp - latenessMs);
        if (kept != current) {
            versions.update(kept);
        }
    }

    /** Ad events dropped as too late by this instance (for tests; the metric is what is seen). */
    long tooLateEventCount() {
        return tooLateEvents.getCount();
    }

    /** The current key's versions (for tests). */
    List<V> currentVersions() throws Exception {
        return versions();
    }

    private List<V> versions() throws Exception {
        List<V> current = versions.value();
        return current == null ? List.of() : current;
    }

    private void addVersion(V version, TimerService timers) throws Exception {
        List<V> updated = Versions.with(versions(), version);
        // Written even when unchanged: a repeated identify starts the TTL again.
        versions.update(updated);
        // Each version but the first has superseded one, to be forgotten the lateness later
        // (registering a timer twice keeps one).
        for (int i = 1; i < updated.size(); i++) {
            timers.registerEventTimeTimer(updated.get(i).validFrom() + latenessMs);
        }
    }
}
