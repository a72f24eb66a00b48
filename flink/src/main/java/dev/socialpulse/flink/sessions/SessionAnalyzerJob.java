package dev.socialpulse.flink.sessions;

import static dev.socialpulse.flink.common.JobFlags.BOOTSTRAP_SERVERS_OPTION;
import static dev.socialpulse.flink.common.JobFlags.CLICKHOUSE_OPTIONS;
import static dev.socialpulse.flink.common.JobFlags.DEFAULT_BOOTSTRAP_SERVERS;
import static dev.socialpulse.flink.common.JobFlags.GROUP_ID_OPTION;

import dev.socialpulse.flink.clickhouse.ClickHouseSinkConfig;
import dev.socialpulse.flink.clickhouse.ExactlyOnceClickHouseSink;
import dev.socialpulse.flink.common.JobFlags;
import dev.socialpulse.flink.common.KafkaSources;
import dev.socialpulse.flink.common.ParsingDeserializationSchema;
import dev.socialpulse.flink.common.WallClockBoundedWatermarks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Session Analyzer: user and content events cut into sessions per visitor in event time, resent
 * events dropped by id ({@link Sessionize}), written to the {@code sessions} table exactly once
 * ({@link ExactlyOnceClickHouseSink}: rows are inserted once their checkpoint completes, with a
 * token ClickHouse deduplicates).
 *
 * <p>Flags: {@code --bootstrap-servers} (default {@value JobFlags#DEFAULT_BOOTSTRAP_SERVERS}),
 * {@code --topics} comma-separated (default {@value #DEFAULT_TOPICS}), {@code --group-id} (default
 * {@value #DEFAULT_GROUP_ID}), the ClickHouse flags of {@link JobFlags}, {@code
 * --max-rows-per-insert} (default {@value #DEFAULT_MAX_ROWS_PER_INSERT}), and in milliseconds the
 * {@link SessionSettings}: {@code --gap-ms}, {@code --max-length-ms}, {@code
 * --allowed-lateness-ms}, {@code --early-firing-interval-ms}, {@code --out-of-orderness-ms}, {@code
 * --idleness-ms}, {@code --checkpoint-interval-ms}.
 */
public class SessionAnalyzerJob {

    public static final String JOB_NAME = "session-analyzer";

    public static final String TOPICS_OPTION = "topics";
    public static final String MAX_ROWS_PER_INSERT_OPTION = "max-rows-per-insert";
    public static final String GAP_MS_OPTION = "gap-ms";
    public static final String MAX_LENGTH_MS_OPTION = "max-length-ms";
    public static final String ALLOWED_LATENESS_MS_OPTION = "allowed-lateness-ms";
    public static final String EARLY_FIRING_INTERVAL_MS_OPTION = "early-firing-interval-ms";
    public static final String OUT_OF_ORDERNESS_MS_OPTION = "out-of-orderness-ms";
    public static final String IDLENESS_MS_OPTION = "idleness-ms";
    public static final String CHECKPOINT_INTERVAL_MS_OPTION = "checkpoint-interval-ms";

    public static final String DEFAULT_TOPICS = "user-events,content-events";
    public static final String DEFAULT_GROUP_ID = "session-analyzer";
    public static final int DEFAULT_MAX_ROWS_PER_INSERT = 10_000;

    /**
     * Fixed so that keyed state (open sessions) can be restored from a savepoint at any parallelism
     * up to this; changing it later makes existing savepoints unusable.
     */
    public static final int MAX_PARALLELISM = 128;

    /** Every flag the job knows; any other fails the submission. */
    public static final List<String> OPTIONS = options();

    // Operator uids: state in checkpoints and savepoints is matched to operators by these.
    public static final String SOURCE_UID = "sessions-source";
    public static final String SESSIONIZE_UID = "sessions-sessionize";
    public static final String SINK_UID = "sessions-sink";

    private final Source<SessionEvent, ?, ?> source;
    private final Sink<SessionRow> sink;
    private final SessionSettings settings;

    public SessionAnalyzerJob(
            Source<SessionEvent, ?, ?> source, Sink<SessionRow> sink, SessionSettings settings) {
        this.source = source;
        this.sink = sink;
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        JobFlags flags = JobFlags.parse(args, OPTIONS);
        List<String> topics = flags.list(TOPICS_OPTION, DEFAULT_TOPICS);
        SessionSettings settings = settings(flags);
        ClickHouseSinkConfig clickHouse =
                flags.clickHouse(
                        (int)
                                flags.longValue(
                                        MAX_ROWS_PER_INSERT_OPTION,
                                        DEFAULT_MAX_ROWS_PER_INSERT,
                                        1,
                                        1_000_000),
                        settings.checkpointInterval());
        new SessionAnalyzerJob(
                        KafkaSources.fromCommittedOffsets(
                                flags.text(BOOTSTRAP_SERVERS_OPTION, DEFAULT_BOOTSTRAP_SERVERS),
                                topics,
                                flags.text(GROUP_ID_OPTION, DEFAULT_GROUP_ID),
                                new ParsingDeserializationSchema<>(
                                        SessionEventParser::new, SessionEvent.class),
                                JOB_NAME),
                        new ExactlyOnceClickHouseSink<>(
                                clickHouse,
                                SessionRowEncoder.SESSIONS_TABLE,
                                SessionRowEncoder.sessions()),
                        settings)
                .execute();
    }

    /** The settings the flags give, each defaulting to {@link SessionSettings#defaults()}. */
    public static SessionSettings settings(JobFlags flags) {
        SessionSettings defaults = SessionSettings.defaults();
        return new SessionSettings(
                millis(flags, GAP_MS_OPTION, defaults.gap(), 1),
                millis(flags, MAX_LENGTH_MS_OPTION, defaults.maxLength(), 1),
                millis(flags, ALLOWED_LATENESS_MS_OPTION, defaults.allowedLateness(), 0),
                millis(flags, EARLY_FIRING_INTERVAL_MS_OPTION, defaults.earlyFiringInterval(), 1),
                millis(flags, OUT_OF_ORDERNESS_MS_OPTION, defaults.outOfOrderness(), 0),
                millis(flags, IDLENESS_MS_OPTION, defaults.idleness(), 1),
                millis(flags, CHECKPOINT_INTERVAL_MS_OPTION, defaults.checkpointInterval(), 10));
    }

    private static Duration millis(JobFlags flags, String name, Duration defaultValue, long min) {
        return Duration.ofMillis(
                flags.longValue(name, defaultValue.toMillis(), min, Long.MAX_VALUE));
    }

    /**
     * Event time from {@code event_time}, with bounded out-of-orderness, following the wall clock
     * when a caught-up partition goes quiet so sessions close without more traffic ({@link
     * WallClockBoundedWatermarks}); the canary's events move no watermark ({@link
     * IgnoringCanaryWatermarks}).
     */
    public static WatermarkStrategy<SessionEvent> watermarkStrategy(SessionSettings settings) {
        return new IgnoringCanaryWatermarks(
                WallClockBoundedWatermarks.strategy(
                        settings.outOfOrderness(),
                        settings.idleness(),
                        (event, previous) -> event.eventTime()));
    }

    /** Builds the pipeline and runs it; returns when the job ends (never, for Kafka). */
    public JobExecutionResult execute() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        buildPipeline(env);
        return env.execute(JOB_NAME);
    }

    /** Adds the job's operators to {@code env}. */
    public void buildPipeline(StreamExecutionEnvironment env) {
        env.enableCheckpointing(
                settings.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        env.setMaxParallelism(MAX_PARALLELISM);
        env.fromSource(source, watermarkStrategy(settings), "user-and-content-events")
                .uid(SOURCE_UID)
                .keyBy(SessionEvent::visitor, Types.STRING)
                .process(new Sessionize(settings))
                .name("sessionize")
                .uid(SESSIONIZE_UID)
                .sinkTo(sink)
                .name("sessions-sink")
                .uid(SINK_UID);
    }

    private static List<String> options() {
        List<String> options =
                new ArrayList<>(
                        List.of(
                                BOOTSTRAP_SERVERS_OPTION,
                                TOPICS_OPTION,
                                GROUP_ID_OPTION,
                                MAX_ROWS_PER_INSERT_OPTION,
                                GAP_MS_OPTION,
                                MAX_LENGTH_MS_OPTION,
                                ALLOWED_LATENESS_MS_OPTION,
                                EARLY_FIRING_INTERVAL_MS_OPTION,
                                OUT_OF_ORDERNESS_MS_OPTION,
                                IDLENESS_MS_OPTION,
                                CHECKPOINT_INTERVAL_MS_OPTION));
        options.addAll(CLICKHOUSE_OPTIONS);
        return List.copyOf(options);
    }
}
