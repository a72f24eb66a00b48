package dev.socialpulse.flink.smoke;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.ReduceFunction;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.PrintSink;
import org.apache.flink.streaming.api.windowing.assigners.GlobalWindows;
import org.apache.flink.util.ParameterTool;

/**
 * A bounded job that proves a job submitted to the cluster runs and finishes.
 *
 * <p>It reads the numbers 1..N, sums them in one named operator and writes the single sum to a
 * sink, after which the job ends in state FINISHED. The platform's integration test submits it
 * through Flink's REST API ({@code POST /jars/upload}, then {@code POST /jars/:id/run} with {@code
 * entryClass=dev.socialpulse.flink.smoke.SmokeJob}).
 *
 * <p>Flags:
 *
 * <ul>
 *   <li>{@code --count N}: how many numbers to generate, 1..N (default {@value #DEFAULT_COUNT}, at
 *       least 1). The job prints {@code N * (N + 1) / 2}.
 * </ul>
 */
public class SmokeJob {

    /** Flag: how many numbers to generate. */
    public static final String COUNT_OPTION = "count";

    /** Value of {@link #COUNT_OPTION} when it is not given. */
    public static final long DEFAULT_COUNT = 1000L;

    /** Name of the job, as shown in the Flink UI and REST API. */
    public static final String JOB_NAME = "social-pulse-smoke";

    private final Source<Long, ?, ?> source;
    private final Sink<Long> sink;

    /**
     * @param source bounded source of the numbers to sum
     * @param sink where the sum goes (one record)
     */
    public SmokeJob(Source<Long, ?, ?> source, Sink<Long> sink) {
        this.source = source;
        this.sink = sink;
    }

    public static void main(String[] args) throws Exception {
        ParameterTool parameters = ParameterTool.fromArgs(args);
        long count = parameters.getLong(COUNT_OPTION, DEFAULT_COUNT);
        if (count < 1) {
            throw new IllegalArgumentException(
                    "--" + COUNT_OPTION + " must be at least 1, got " + count);
        }

        SmokeJob job = new SmokeJob(new NumberSequenceSource(1, count), new PrintSink<>());
        job.execute();
    }

    /** Builds the pipeline and runs it to completion. */
    public JobExecutionResult execute() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();

        env.fromSource(source, WatermarkStrategy.noWatermarks(), "numbers")
                .name("numbers")
                // One global window that fires once, when the bounded input ends: the job emits a
                // single sum in STREAMING and BATCH execution mode alike.
                .windowAll(GlobalWindows.createWithEndOfStreamTrigger())
                .reduce(new SumNumbers())
                .name("sum")
                .sinkTo(sink)
                .name("sum-sink");

        return env.execute(JOB_NAME);
    }

    /** Adds two numbers; fails rather than overflow. */
    public static class SumNumbers implements ReduceFunction<Long> {
        @Override
        public Long reduce(Long left, Long right) {
            return Math.addExact(left, right);
        }
    }
}
