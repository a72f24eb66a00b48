package dev.socialpulse.flink.testing;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;

/**
 * A task's metric group whose operators keep the gauges registered on them (a function's {@code
 * getRuntimeContext().getMetricGroup()} is its operator's), so that a test can read them: give an
 * operator test harness {@link #environment()}. Counters and the rest are discarded, as in an
 * unregistered group.
 */
public final class RecordingTaskMetricGroup
        extends UnregisteredMetricGroups.UnregisteredTaskMetricGroup {

    private final Map<String, Gauge<?>> gauges = new ConcurrentHashMap<>();

    /** A mock task environment with this metric group, for a harness's constructor. */
    public MockEnvironment environment() {
        return new MockEnvironmentBuilder().setMetricGroup(this).build();
    }

    @Override
    public InternalOperatorMetricGroup getOrAddOperator(
            OperatorID operatorId, String name, Map<String, String> additionalVariables) {
        return new RecordingOperatorMetricGroup();
    }

    /** The names of the gauges registered on any operator of the task. */
    public Set<String> gaugeNames() {
        return Set.copyOf(gauges.keySet());
    }

    /** The value of a registered gauge now; fails if none was registered under that name. */
    public Object gaugeValue(String name) {
        Gauge<?> gauge = gauges.get(name);
        if (gauge == null) {
            throw new AssertionError("No gauge '" + name + "', only " + gauges.keySet());
        }
        return gauge.getValue();
    }

    private final class RecordingOperatorMetricGroup
            extends UnregisteredMetricGroups.UnregisteredOperatorMetricGroup {

        @Override
        public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
            gauges.put(name, gauge);
            return gauge;
        }
    }
}
