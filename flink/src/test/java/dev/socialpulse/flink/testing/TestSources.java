package dev.socialpulse.flink.testing;

import java.util.List;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.functions.FromElementsGeneratorFunction;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;

/** Bounded sources for tests that run a whole job. */
public final class TestSources {

    private TestSources() {}

    /**
     * A bounded source of the given elements. At parallelism above 1 the elements are split between
     * the readers in contiguous ranges, so their order across readers is not fixed.
     */
    public static <T> Source<T, ?, ?> fromElements(TypeInformation<T> type, List<T> elements) {
        return new DataGeneratorSource<>(
                new FromElementsGeneratorFunction<>(type, new ExecutionConfig(), elements),
                elements.size(),
                type);
    }

    /**
     * The same, read at {@code perSecond} elements a second in all, so that a job over it runs long
     * enough to take checkpoints and be interrupted.
     */
    public static <T> Source<T, ?, ?> fromElements(
            TypeInformation<T> type, List<T> elements, double perSecond) {
        return new DataGeneratorSource<>(
                new FromElementsGeneratorFunction<>(type, new ExecutionConfig(), elements),
                elements.size(),
                RateLimiterStrategy.perSecond(perSecond),
                type);
    }
}
