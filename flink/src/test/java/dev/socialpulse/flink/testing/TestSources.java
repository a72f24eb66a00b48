package dev.socialpulse.flink.testing;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.functions.FromElementsGeneratorFunction;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.util.function.SerializableSupplier;

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

    /**
     * The same, holding element {@code index} and the rest back until {@code until} holds: a test
     * can let the job get somewhere (a window fire, seen at the sink) before the rest arrives. The
     * reader is not blocked while it waits, so watermarks still go out. Count one reader only: run
     * the source at parallelism 1.
     */
    public static <T> Source<T, ?, ?> fromElementsHeldAt(
            TypeInformation<T> type,
            List<T> elements,
            int index,
            SerializableSupplier<Boolean> until) {
        RateLimiterStrategy<?> gate = parallelism -> new HoldAt(index, until);
        return new DataGeneratorSource<>(
                new FromElementsGeneratorFunction<>(type, new ExecutionConfig(), elements),
                elements.size(),
                gate,
                type);
    }

    /** A rate limiter asked once before each element: the element at {@code index} waits. */
    private static final class HoldAt
            implements RateLimiter<org.apache.flink.api.connector.source.SourceSplit> {

        private final int index;
        private final SerializableSupplier<Boolean> until;
        private long asked;

        HoldAt(int index, SerializableSupplier<Boolean> until) {
            this.index = index;
            this.until = until;
        }

        @Override
        public CompletionStage<Void> acquire(int permits) {
            long element = asked;
            asked += permits;
            if (element > index || asked <= index) {
                return CompletableFuture.completedFuture(null);
            }
            return CompletableFuture.runAsync(
                    () -> {
                        while (!until.get()) {
                            try {
                                Thread.sleep(10);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return;
                            }
                        }
                    });
        }
    }
}
