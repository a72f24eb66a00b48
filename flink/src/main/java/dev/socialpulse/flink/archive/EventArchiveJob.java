package dev.socialpulse.flink.archive;

import static dev.socialpulse.flink.common.JobFlags.BOOTSTRAP_SERVERS_OPTION;
import static dev.socialpulse.flink.common.JobFlags.CLICKHOUSE_OPTIONS;
import static dev.socialpulse.flink.common.JobFlags.DEFAULT_BOOTSTRAP_SERVERS;
import static dev.socialpulse.flink.common.JobFlags.GROUP_ID_OPTION;

import dev.socialpulse.flink.clickhouse.ClickHouseSinkConfig;
import dev.socialpulse.flink.clickhouse.ExactlyOnceClickHouseSink;
import dev.socialpulse.flink.common.DropDuplicateEvents;
import dev.socialpulse.flink.common.JobFlags;
import dev.socialpulse.flink.common.KafkaSources;
import dev.socialpulse.flink.common.ParsingDeserializationSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The raw event archive: every accepted event of every family into the {@code events} table once,
 * and every dead letter into {@code dead_letters}, exactly once across failures, restarts and
 * redeploys.
 *
 * <ul>
 *   <li>Resent events (a client that lost the collector's answer sends the same event id again) are
 *       dropped by id before the insert ({@link DropDuplicateEvents}, ids remembered for {@code
 *       --dedup-ttl-ms}): a duplicate must never reach a materialized view, which fires on every
 *       inserted block.
 *   <li>Replays after a failure are made harmless by the sink ({@link ExactlyOnceClickHouseSink}):
 *       rows are inserted once their checkpoint completes, with a token ClickHouse deduplicates.
 *       The checkpoint interval is therefore the archive's latency.
 * </ul>
 *
 * <p>Flags: {@code --bootstrap-servers} (default {@value JobFlags#DEFAULT_BOOTSTRAP_SERVERS}),
 * {@code --topics} the event topics, comma-separated (default {@value #DEFAULT_TOPICS}), {@code
 * --dead-letter-topic} (default {@value #DEFAULT_DEAD_LETTER_TOPIC}), {@code --group-id} (default
 * {@value #DEFAULT_GROUP_ID}), the ClickHouse flags of {@link JobFlags}, {@code --dedup-ttl-ms}
 * (default {@value #DEFAULT_DEDUP_TTL_MS}: a day; the SDK keeps unsent events in the browser and
 * retries with backoff up to a minute, so a resend is minutes late at most, unless the visitor
 * comes back later), {@code --checkpoint-interval-ms} (default {@value
 * #DEFAULT_CHECKPOINT_INTERVAL_MS}: rows are visible at most this long after they are read), and
 * {@code --max-rows-per-insert} (default {@value #DEFAULT_MAX_ROWS_PER_INSERT}).
 */
public class EventArchiveJob {

    public static final String JOB_NAME = "event-archive";

    public static final String TOPICS_OPTION = "topics";
    public static final String DEAD_LETTER_TOPIC_OPTION = "dead-letter-topic";
    public static final String DEDUP_TTL_MS_OPTION = "dedup-ttl-ms";
    public static final String CHECKPOINT_INTERVAL_MS_OPTION = "checkpoint-interval-ms";
    public static final String MAX_ROWS_PER_INSERT_OPTION = "max-rows-per-insert";

    public static final String DEFAULT_TOPICS = "user-events,content-events,ad-events";
    public static final String DEFAULT_DEAD_LETTER_TOPIC = "events-dlq";
    public static final String DEFAULT_GROUP_ID = "event-archive";
    public static final long DEFAULT_DEDUP_TTL_MS = 24 * 60 * 60_000L;
    public static final long DEFAULT_CHECKPOINT_INTERVAL_MS = 5_000;
    public static final int DEFAULT_MAX_ROWS_PER_INSERT = 10_000;

    /**
     * Fixed so that keyed state (the remembered ids) can be restored from a savepoint at any
     * parallelism up to this; changing it later makes existing savepoints unusable.
     */
    public static final int MAX_PARALLELISM = 128;

    /** Every flag the job knows; any other fails the submission. */
    public static final List<String> OPTIONS = options();

    // Operator uids: state in checkpoints and savepoints is matched to operators by these.
    public static final String EVENTS_SOURCE_UID = "archive-events-source";
    public static final String DROP_DUPLICATE_EVENTS_UID = "archive-drop-duplicate-event-uuids";
    public static final String EVENTS_SINK_UID = "archive-events-sink";
    public static final String DEAD_LETTERS_SOURCE_UID = "archive-dead-letters-source";
    public static final String DEAD_LETTERS_SINK_UID = "archive-dead-letters-sink";

    /** How the job runs: how long ids are remembered, and how often it checkpoints. */
    public record Settings(Duration dedupTtl, Duration checkpointInterval) {
        public Settings {
            if (dedupTtl == null || dedupTtl.isNegative() || dedupTtl.isZero()) {
                throw new IllegalArgumentException("dedupTtl must be positive, got " + dedupTtl);
            }
            if (checkpointInterval == null || checkpointInterval.toMillis() < 10) {
                throw new IllegalArgumentException(
                        "checkpointInterval must be at least 10 ms, got " + checkpointInterval);
            }
        }
    }

    private final Source<ArchivedEvent, ?, ?> events;
    private final Source<DeadLetter, ?, ?> deadLetters;
    private final Sink<ArchivedEvent> eventsSink;
    private final Sink<DeadLetter> deadLettersSink;
    private final Settings settings;

    public EventArchiveJob(
            Source<ArchivedEvent, ?, ?> events,
            Source<DeadLetter, ?, ?> deadLetters,
            Sink<ArchivedEvent> eventsSink,
            Sink<DeadLetter> deadLettersSink,
            Settings settings) {
        this.events = events;
        this.deadLetters = deadLetters;
        this.eventsSink = eventsSink;
        this.deadLettersSink = deadLettersSink;
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        JobFlags flags = JobFlags.parse(args, OPTIONS);
        String servers = flags.text(BOOTSTRAP_SERVERS_OPTION, DEFAULT_BOOTSTRAP_SERVERS);
        String groupId = flags.text(GROUP_ID_OPTION, DEFAULT_GROUP_ID);
        List<String> topics = flags.list(TOPICS_OPTION, DEFAULT_TOPICS);
        String deadLetterTopic = flags.text(DEAD_LETTER_TOPIC_OPTION, DEFAULT_DEAD_LETTER_TOPIC);
        Settings settings =
                new Settings(
                        Duration.ofMillis(
                                flags.longValue(
                                        DEDUP_TTL_MS_OPTION,
                                        DEFAULT_DEDUP_TTL_MS,
                                        1,
                                        Long.MAX_VALUE)),
                        Duration.ofMillis(
                                flags.longValue(
                                        CHECKPOINT_INTERVAL_MS_OPTION,
                                        DEFAULT_CHECKPOINT_INTERVAL_MS,
                                        10,
                                        Long.MAX_VALUE)));
        // The flush interval is unused: the exactly-once sink inserts at checkpoints.
        ClickHouseSinkConfig clickHouse =
                flags.clickHouse(
                        (int)
                                flags.longValue(
                                        MAX_ROWS_PER_INSERT_OPTION,
                                        DEFAULT_MAX_ROWS_PER_INSERT,
                                        1,
                                        1_000_000),
                        settings.checkpointInterval());
        new EventArchiveJob(
                        kafkaSource(
                                servers,
                                topics,
                                groupId,
                                new ParsingDeserializationSchema<>(
                                        ArchivedEventParser::new, ArchivedEvent.class)),
                        kafkaSource(
                                servers,
                                List.of(deadLetterTopic),
                                groupId,
                                new ParsingDeserializationSchema<>(
                                        DeadLetterParser::new, DeadLetter.class)),
                        new ExactlyOnceClickHouseSink<>(
                                clickHouse,
                                ArchiveRowEncoders.EVENTS_TABLE,
                                ArchiveRowEncoders.events()),
                        new ExactlyOnceClickHouseSink<>(
                                clickHouse,
                                ArchiveRowEncoders.DEAD_LETTERS_TABLE,
                                ArchiveRowEncoders.deadLetters()),
                        settings)
                .execute();
    }

    private static <T> KafkaSource<T> kafkaSource(
            String servers,
            List<String> topics,
            String groupId,
            ParsingDeserializationSchema<T> schema) {
        return KafkaSources.fromCommittedOffsets(
                servers, topics, groupId, schema, JOB_NAME + "-" + String.join("-", topics));
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
        env.fromSource(events, WatermarkStrategy.noWatermarks(), "events")
                .uid(EVENTS_SOURCE_UID)
                .keyBy(
                        DropDuplicateEvents.byEventId(ArchivedEvent::eventId),
                        DropDuplicateEvents.KEY_TYPE)
                .process(
                        new DropDuplicateEvents<ArchivedEvent>(
                                settings.dedupTtl(), ArchivedEvent::eventId))
                // The function is generic: Flink cannot see T through erasure.
                .returns(ArchivedEvent.class)
                .name("drop-duplicate-events")
                .uid(DROP_DUPLICATE_EVENTS_UID)
                .sinkTo(eventsSink)
                .name("events-sink")
                .uid(EVENTS_SINK_UID);
        env.fromSource(deadLetters, WatermarkStrategy.noWatermarks(), "dead-letters")
                .uid(DEAD_LETTERS_SOURCE_UID)
                .sinkTo(deadLettersSink)
                .name("dead-letters-sink")
                .uid(DEAD_LETTERS_SINK_UID);
    }

    private static List<String> options() {
        List<String> options =
                new ArrayList<>(
                        List.of(
                                BOOTSTRAP_SERVERS_OPTION,
                                TOPICS_OPTION,
                                DEAD_LETTER_TOPIC_OPTION,
                                GROUP_ID_OPTION,
                                DEDUP_TTL_MS_OPTION,
                                CHECKPOINT_INTERVAL_MS_OPTION,
                                MAX_ROWS_PER_INSERT_OPTION));
        options.addAll(CLICKHOUSE_OPTIONS);
        return List.copyOf(options);
    }
}
