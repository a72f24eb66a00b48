package dev.socialpulse.flink.trending.functions;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Terminal operator for the window's late side output: mentions that arrived after the watermark
 * had passed every window they belong to. Counts them in {@value #LATE_MENTIONS_METRIC} and logs a
 * summary at most once per {@link #LOG_INTERVAL_MILLIS}, so that lateness is visible without one
 * log line per mention.
 */
public class CountLateMentions extends ProcessFunction<String, Void> {

    private static final long serialVersionUID = 1L;

    /** Counter of hashtag mentions dropped as late. */
    public static final String LATE_MENTIONS_METRIC = "lateMentions";

    static final long LOG_INTERVAL_MILLIS = 60_000L;

    private static final Logger LOG = LoggerFactory.getLogger(CountLateMentions.class);

    private transient Counter lateMentions;
    private transient long lastLoggedAt;

    @Override
    public void open(OpenContext openContext) {
        lateMentions = getRuntimeContext().getMetricGroup().counter(LATE_MENTIONS_METRIC);
        lastLoggedAt = Long.MIN_VALUE;
    }

    @Override
    public void processElement(String topic, Context ctx, Collector<Void> out) {
        lateMentions.inc();
        long now = ctx.timerService().currentProcessingTime();
        if (lastLoggedAt == Long.MIN_VALUE || now - lastLoggedAt >= LOG_INTERVAL_MILLIS) {
            lastLoggedAt = now;
            LOG.warn(
                    "Dropped late mentions: {} so far in this subtask; latest: topic '{}' at event"
                            + " time {} with the watermark at {}",
                    lateMentions.getCount(),
                    topic,
                    ctx.timestamp(),
                    ctx.timerService().currentWatermark());
        }
    }

    /** Late mentions counted so far by this instance; for tests. */
    long lateMentionCount() {
        return lateMentions.getCount();
    }
}
