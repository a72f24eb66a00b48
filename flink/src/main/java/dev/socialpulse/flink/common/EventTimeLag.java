package dev.socialpulse.flink.common;

import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.TimerService;

/**
 * The operator gauge {@value #METRIC}: how far the operator's event time trails processing time,
 * processing time minus the current watermark, in milliseconds. A job whose watermark is held back
 * (a partition stuck on old event times, a backlog being replayed) shows it here before its windows
 * show it as stale results; Prometheus has it as {@code
 * flink_taskmanager_job_task_operator_eventTimeLagMs}, one series per operator and subtask.
 *
 * <p>A process function registers it in {@code open()} ({@link #register}) and calls {@link
 * #update(TimerService)} first thing on every element and timer. A function cannot read the
 * watermark between calls, so the gauge holds the lag as of the latest element or timer: while
 * events flow that is the lag now; an operator that receives nothing keeps its last value rather
 * than reporting a growing lag that no event suffers (a quiet job's watermarks follow the wall
 * clock, see {@link WallClockBoundedWatermarks}). Before the operator's first watermark there is no
 * event time to trail, and it reads 0.
 *
 * <p>Cost per call: one clock read and one field write; written by the task thread and read by the
 * reporters' threads without synchronisation, as Flink's own {@code SimpleCounter} is.
 */
public final class EventTimeLag implements Gauge<Long> {

    /** The gauge's name on each operator's metric group. */
    public static final String METRIC = "eventTimeLagMs";

    private long lagMs;

    private EventTimeLag() {}

    /** A new gauge, registered on {@code group} (a function's {@code getRuntimeContext()}'s). */
    public static EventTimeLag register(MetricGroup group) {
        return group.gauge(METRIC, new EventTimeLag());
    }

    /** Takes the lag from a process function's timer service: its processing time and watermark. */
    public void update(TimerService timers) {
        update(timers.currentProcessingTime(), timers.currentWatermark());
    }

    /**
     * @param processingTimeMs the operator's processing time (the wall clock, in a running job)
     * @param watermarkMs its current watermark, {@link Long#MIN_VALUE} before the first
     */
    public void update(long processingTimeMs, long watermarkMs) {
        // A watermark ahead of the clock (event times from a fast client clock) is no lag.
        lagMs = watermarkMs == Long.MIN_VALUE ? 0 : Math.max(0, processingTimeMs - watermarkMs);
    }

    @Override
    public Long getValue() {
        return lagMs;
    }
}
