package dev.socialpulse.flink.trending.functions;

import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Counts the mentions of one topic in one window, incrementally: the window keeps one number per
 * topic, not the mentions themselves.
 */
public class CountMentions implements AggregateFunction<String, Long, Long> {

    private static final long serialVersionUID = 1L;

    @Override
    public Long createAccumulator() {
        return 0L;
    }

    @Override
    public Long add(String topic, Long count) {
        return count + 1;
    }

    @Override
    public Long getResult(Long count) {
        return count;
    }

    @Override
    public Long merge(Long left, Long right) {
        return left + right;
    }
}
