package dev.socialpulse.flink.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

/**
 * A metric group that keeps the counters and gauges registered on it, so that tests can read them.
 */
public final class RecordingMetricGroup extends UnregisteredMetricsGroup {

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Gauge<?>> gauges = new ConcurrentHashMap<>();

    @Override
    public Counter counter(String name) {
        return counter(name, new SimpleCounter());
    }

    @Override
    public <C extends Counter> C counter(String name, C counter) {
        counters.put(name, counter);
        return counter;
    }

    @Override
    public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
        gauges.put(name, gauge);
        return gauge;
    }

    /** The value of a registered gauge now; fails if none was registered under that name. */
    public Object gaugeValue(String name) {
        Gauge<?> gauge = gauges.get(name);
        if (gauge == null) {
            throw new AssertionError("No gauge '" + name + "', only " + gauges.keySet());
        }
        return gauge.getValue();
    }

    /** The count of a registered counter; fails if none was registered under that name. */
    public long count(String name) {
        Counter counter = counters.get(name);
        if (counter == null) {
            throw new AssertionError("No counter '" + name + "', only " + counters.keySet());
        }
        return counter.getCount();
    }
}
