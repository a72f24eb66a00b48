package dev.socialpulse.flink.sessions;

import dev.socialpulse.flink.common.EventTimeLag;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Cuts one visitor's events into sessions in event time, keyed by visitor.
 *
 * <ul>
 *   <li>An event joins the visitor's session of the same client session id (empty when the SDK sent
 *       none) that it is less than the gap away from, unless the session would then span the
 *       maximum length; otherwise it opens a new session, whose id is the event's id. An event that
 *       bridges two sessions merges them (the earlier-starting one keeps its id).
 *   <li>While a session is in progress it is reported every early-firing interval if it changed
 *       ({@code active}); once the watermark passes its end plus the gap (or its start plus the
 *       maximum length) it is reported {@code closed}; late events within the allowed lateness
 *       revise it at once; after that it is reported {@code sealed} and forgotten.
 *   <li>An event too late for any session it could belong to is counted ({@value
 *       #TOO_LATE_EVENTS_METRIC}) and dropped here; the archive keeps it.
 * </ul>
 *
 * <p>A resent event (same id) is dropped while the session holding it can change; once that session
 * is sealed the resend is too late anyway. Deduplicating here, per session, keeps the ids only as
 * long as they matter and avoids a shuffle by event id.
 *
 * <p>Every report of a session carries a higher revision; the sessions table keeps the highest per
 * (user, start, id). A report under a new start (an earlier event arrived) or a merge withdraws the
 * earlier report with a tombstone, so a session is never shown twice.
 */
public class Sessionize extends KeyedProcessFunction<String, SessionEvent, SessionRow> {

    public static final String TOO_LATE_EVENTS_METRIC = "tooLateEvents";
    public static final String DUPLICATE_EVENTS_METRIC = "duplicateEvents";

    private final long gapMs;
    private final long maxLengthMs;
    private final long latenessMs;
    private final long earlyFiringMs;

    private transient MapState<String, SessionAccumulator> sessions;
    private transient ValueState<Long> earlyFiring;
    private transient Counter tooLateEvents;
    private transient Counter duplicateEvents;
    private transient EventTimeLag eventTimeLag;

    public Sessionize(SessionSettings settings) {
        this.gapMs = settings.gap().toMillis();
        this.maxLengthMs = settings.maxLength().toMillis();
        this.latenessMs = settings.allowedLateness().toMillis();
        this.earlyFiringMs = settings.earlyFiringInterval().toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        eventTimeLag = EventTimeLag.register(getRuntimeContext().getMetricGroup());
        sessions =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "sessions",
                                        Types.STRING,
                                        TypeInformation.of(SessionAccumulator.class)));
        earlyFiring =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("early-firing", Types.LONG));
        tooLateEvents = getRuntimeContext().getMetricGroup().counter(TOO_LATE_EVENTS_METRIC);
        duplicateEvents = getRuntimeContext().getMetricGroup().counter(DUPLICATE_EVENTS_METRIC);
    }

    @Override
    public void processElement(SessionEvent event, Context ctx, Collector<SessionRow> out)
            throws Exception {
        eventTimeLag.update(ctx.timerService());
        long watermark = ctx.timerService().currentWatermark();
        long time = event.eventTime();
        long idHash = SessionAccumulator.idHash(event.eventId());
        List<SessionAccumulator> sameClientSession = new ArrayList<>(2);
        SessionAccumulator session = null;
        for (SessionAccumulator candidate : sessions.values()) {
            if (!candidate.clientSessionId.equals(event.clientSessionId())) {
                continue;
            }
            if (candidate.holds(idHash)) {
                // Resent (a client that lost the collector's answer): counted once already.
                duplicateEvents.inc();
                return;
            }
            sameClientSession.add(candidate);
            if (candidate.accepts(time, gapMs, maxLengthMs)
                    && (session == null || candidate.start < session.start)) {
                session = candidate;
            }
        }
        long previousClose = Long.MIN_VALUE;
        if (session == null) {
            if (time + gapMs + latenessMs <= watermark) {
                tooLateEvents.inc();
                return;
            }
            session = SessionAccumulator.open(event);
        } else {
            previousClose = session.closeTime(gapMs, maxLengthMs);
        }
        session.add(event);
        for (SessionAccumulator other : sameClientSession) {
            if (other != session && session.canAbsorb(other, gapMs, maxLengthMs)) {
                session.absorb(other);
                withdraw(ctx.getCurrentKey(), other, out);
                sessions.remove(other.id);
            }
        }

        long close = session.closeTime(gapMs, maxLengthMs);
        if (close != previousClose) {
            ctx.timerService().registerEventTimeTimer(close);
            if (previousClose != Long.MIN_VALUE && !timerStillNeeded(previousClose)) {
                ctx.timerService().deleteEventTimeTimer(previousClose);
            }
        }
        if (close <= watermark) {
            // A late event for a closed session: revise it now, not at the next early firing.
            report(ctx.getCurrentKey(), session, SessionRow.CLOSED, out);
            session.closed = true;
            ctx.timerService().registerEventTimeTimer(close + latenessMs);
        } else {
            session.closed = false;
            scheduleEarlyFiring(ctx);
        }
        sessions.put(session.id, session);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SessionRow> out)
            throws Exception {
        eventTimeLag.update(ctx.timerService());
        String visitor = ctx.getCurrentKey();
        List<SessionAccumulator> changed = new ArrayList<>(2);
        List<String> sealed = new ArrayList<>(1);
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            earlyFiring.clear();
            for (SessionAccumulator session : sessions.values()) {
                if (session.dirty && !session.closed) {
                    report(visitor, session, SessionRow.ACTIVE, out);
                    changed.add(session);
                }
            }
        } else {
            long watermark = ctx.timerService().currentWatermark();
            for (SessionAccumulator session : sessions.values()) {
                long close = session.closeTime(gapMs, maxLengthMs);
                if (close + latenessMs <= watermark) {
                    report(visitor, session, SessionRow.SEALED, out);
                    sealed.add(session.id);
                } else if (close <= watermark && (!session.closed || session.dirty)) {
                    report(visitor, session, SessionRow.CLOSED, out);
                    session.closed = true;
                    changed.add(session);
                    ctx.timerService().registerEventTimeTimer(close + latenessMs);
                }
            }
        }
        for (SessionAccumulator session : changed) {
            sessions.put(session.id, session);
        }
        for (String id : sealed) {
            sessions.remove(id);
        }
    }

    /**
     * Events dropped as too late by this instance (for tests; the metric is what operators see).
     */
    long tooLateEventCount() {
        return tooLateEvents.getCount();
    }

    /** Resent events dropped by this instance (for tests). */
    long duplicateEventCount() {
        return duplicateEvents.getCount();
    }

    private void report(
            String visitor, SessionAccumulator session, String status, Collector<SessionRow> out) {
        if (session.reportedStart != SessionAccumulator.NOT_REPORTED
                && session.reportedStart != session.start) {
            out.collect(
                    SessionRow.tombstone(
                            visitor, session, session.reportedStart, ++session.revision));
        }
        session.revision++;
        out.collect(SessionRow.report(visitor, session, status));
        session.reportedStart = session.start;
        session.dirty = false;
    }

    private static void withdraw(
            String visitor, SessionAccumulator merged, Collector<SessionRow> out) {
        if (merged.reportedStart != SessionAccumulator.NOT_REPORTED) {
            out.collect(
                    SessionRow.tombstone(
                            visitor, merged, merged.reportedStart, merged.revision + 1));
        }
    }

    /** Whether another of the visitor's sessions closes or seals at {@code time}. */
    private boolean timerStillNeeded(long time) throws Exception {
        for (SessionAccumulator session : sessions.values()) {
            long close = session.closeTime(gapMs, maxLengthMs);
            if (close == time || close + latenessMs == time) {
                return true;
            }
        }
        return false;
    }

    private void scheduleEarlyFiring(Context ctx) throws Exception {
        if (earlyFiring.value() == null) {
            long at = ctx.timerService().currentProcessingTime() + earlyFiringMs;
            ctx.timerService().registerProcessingTimeTimer(at);
            earlyFiring.update(at);
        }
    }
}
