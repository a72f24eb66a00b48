package dev.socialpulse.flink.trending;

import static dev.socialpulse.flink.common.JobFlags.BOOTSTRAP_SERVERS_OPTION;
import static dev.socialpulse.flink.common.JobFlags.CLICKHOUSE_DATABASE_OPTION;
import static dev.socialpulse.flink.common.JobFlags.CLICKHOUSE_PASSWORD_FILE_OPTION;
import static dev.socialpulse.flink.common.JobFlags.CLICKHOUSE_URL_OPTION;
import static dev.socialpulse.flink.common.JobFlags.CLICKHOUSE_USER_OPTION;
import static dev.socialpulse.flink.common.JobFlags.DEFAULT_BOOTSTRAP_SERVERS;
import static dev.socialpulse.flink.common.JobFlags.GROUP_ID_OPTION;

import dev.socialpulse.flink.clickhouse.ClickHouseCredentials;
import dev.socialpulse.flink.clickhouse.ClickHouseSink;
import dev.socialpulse.flink.clickhouse.ClickHouseSinkConfig;
import dev.socialpulse.flink.common.DropDuplicateEvents;
import dev.socialpulse.flink.common.JobFlags;
import dev.socialpulse.flink.common.KafkaSources;
import dev.socialpulse.flink.common.WallClockBoundedWatermarks;
import dev.socialpulse.flink.trending.functions.AggregateTopicWindows;
import dev.socialpulse.flink.trending.functions.AggregateTopicWindowsOperator;
import dev.socialpulse.flink.trending.functions.ContentEventTimestamps;
import dev.socialpulse.flink.trending.functions.ExtractHashtags;
import dev.socialpulse.flink.trending.functions.RankTopTopics;
import dev.socialpulse.flink.trending.functions.TrendingScore;
import dev.socialpulse.flink.trending.records.ContentEvent;
import dev.socialpulse.flink.trending.records.ContentEventDeserializationSchema;
import dev.socialpulse.flink.trending.records.Mention;
import dev.socialpulse.flink.trending.records.TopicWindowStats;
import dev.socialpulse.flink.trending.records.TrendingTopicRow;
import dev.socialpulse.flink.trending.records.TrendingTopicRowEncoder;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Trending topics: the top N hashtags of every trending horizon (1, 5 and 15 minutes, sliding every
 * few seconds; {@link TrendingHorizon#RESOURCE}), each with the parts of its score, written to
 * ClickHouse.
 *
 * <p>Pipeline: content events from Kafka, event time from each event's {@code event_time} → keyed
 * by event id, duplicates dropped ({@link DropDuplicateEvents}) → one mention per distinct
 * normalised hashtag, with its author and bot flag ({@link ExtractHashtags}) → keyed by topic,
 * every horizon's sliding windows from slide-sized panes, scored ({@link AggregateTopicWindows},
 * {@link TrendingScore}), each subtask sending on only its best N topics per window ({@link
 * AggregateTopicWindowsOperator}) → keyed by (horizon, window end), the window's top N with one
 * {@code computed_at} ({@link RankTopTopics}) → the {@code trending_topics} table ({@link
 * TrendingTopicRowEncoder} shows a row). One job for all horizons: the events are read, parsed and
 * deduplicated once, and a topic's horizons share one key and one timer. Mentions that arrive after
 * all their windows of a horizon have fired are counted in that horizon's {@code lateMentions}
 * metric; records that are not valid events are counted in {@code malformedEvents} and dropped.
 *
 * <p>Delivery: Flink state is exactly once; the ClickHouse sink is at least once (it flushes on
 * every checkpoint and fails the job rather than lose rows). A replay recomputes a window's whole
 * list with a new {@code computed_at}; the table, a {@code ReplacingMergeTree(computed_at)} ordered
 * by {@code (window_size, window_end, rank)}, and its readers, which take a window's newest
 * generation only, turn it into an overwrite, and a topic that fell out of the list disappears.
 *
 * <p>Flags (a value that is invalid, or an unknown flag, stops the job at submission with a message
 * naming the flag):
 *
 * <ul>
 *   <li>{@code --bootstrap-servers} Kafka bootstrap servers (default {@value
 *       JobFlags#DEFAULT_BOOTSTRAP_SERVERS})
 *   <li>{@code --topic} topic of content events (default {@value #DEFAULT_TOPIC})
 *   <li>{@code --group-id} Kafka consumer group; the job starts from its committed offsets, or from
 *       the earliest offsets when it has none, and commits offsets on checkpoints (default {@value
 *       #DEFAULT_GROUP_ID})
 *   <li>{@code --clickhouse-url} ClickHouse HTTP interface, without user or password in it (default
 *       {@value JobFlags#DEFAULT_CLICKHOUSE_URL})
 *   <li>{@code --clickhouse-user} ClickHouse user, HTTP Basic auth (default: the TaskManagers'
 *       {@code CLICKHOUSE_USER}, else {@code default})
 *   <li>{@code --clickhouse-password-file} a file on every TaskManager holding the ClickHouse
 *       password (default: the TaskManagers' {@code CLICKHOUSE_PASSWORD}, else empty)
 *   <li>{@code --clickhouse-database} ClickHouse database (default: the user's default database)
 *   <li>{@code --out-of-orderness-ms} bounded out-of-orderness of the watermarks (default {@value
 *       #DEFAULT_OUT_OF_ORDERNESS_MS}: collector-stamped event times arrive nearly in order, and
 *       every millisecond here is a millisecond of dashboard latency)
 *   <li>{@code --idleness-ms} a caught-up partition without events for this long lets its watermark
 *       follow the wall clock (one replaying a backlog only stops holding back the others), so it
 *       neither holds back the others nor stops windows from firing (default {@value
 *       #DEFAULT_IDLENESS_MS}: half the shortest slide, so a quiet partition delays a window by
 *       well under one slide)
 *   <li>{@code --top} topics per window (default {@value #DEFAULT_TOP}: what the dashboard and API
 *       page through; at most {@value TrendingTopicsSettings#MAX_TOP_N})
 *   <li>{@code --author-cap} the most one author weighs in a window (default {@value
 *       TrendingScore#DEFAULT_AUTHOR_CAP}: saturates at about 20 mentions; see {@link
 *       TrendingScore})
 *   <li>{@code --prior-mentions} k, the pseudo-mentions of the velocity (default {@value
 *       TrendingScore#DEFAULT_PRIOR_MENTIONS}: small counts are not over-trusted)
 *   <li>{@code --baseline-half-life-windows} half-life of a topic's baseline in window lengths
 *       (default {@value TrendingScore#DEFAULT_BASELINE_HALF_LIFE_WINDOWS}: a surge is not its own
 *       baseline within one window)
 *   <li>{@code --dedup-ttl-ms} how long an event id is remembered to drop resent duplicates; more
 *       than the largest window plus the out-of-orderness (default {@value #DEFAULT_DEDUP_TTL_MS}:
 *       the 15-minute horizon plus 1 s, with room; an older duplicate is late for every window)
 *   <li>{@code --flush-interval-ms} the sink inserts what it holds at least this often (default
 *       {@value #DEFAULT_FLUSH_INTERVAL_MS}: a quarter of the shortest slide of latency at most)
 *   <li>{@code --flush-max-rows} the sink inserts as soon as it holds this many rows (default
 *       {@value #DEFAULT_FLUSH_MAX_ROWS})
 *   <li>{@code --checkpoint-interval-ms} time between checkpoints, at least {@value
 *       #MIN_CHECKPOINT_INTERVAL_MS} (default {@value #DEFAULT_CHECKPOINT_INTERVAL_MS})
 * </ul>
 *
 * <p>The horizons are not flags: they are one fact shared with the API, the classpath resource
 * {@value TrendingHorizon#RESOURCE} (from {@code packages/shared/trending-horizons.json}). The
 * defaults are the values the job runs with in production; the platform passes addresses only.
 *
 * <p>There is no flag for the password: program arguments show in Flink's UI and REST API. The
 * password is read where the sink's writers run, on the TaskManagers (see {@link
 * ClickHouseCredentials}), and never travels with the job.
 *
 * <p>Submit through Flink's REST API with {@code
 * entryClass=dev.socialpulse.flink.trending.TrendingTopicsJob}.
 */
public class TrendingTopicsJob {

    /** Name of the job, as shown in the Flink UI and REST API. */
    public static final String JOB_NAME = "trending-topics";

    public static final String TOPIC_OPTION = "topic";

    public static final String OUT_OF_ORDERNESS_MS_OPTION = "out-of-orderness-ms";
    public static final String IDLENESS_MS_OPTION = "idleness-ms";
    public static final String TOP_OPTION = "top";
    public static final String AUTHOR_CAP_OPTION = "author-cap";
    public static final String PRIOR_MENTIONS_OPTION = "prior-mentions";
    public static final String BASELINE_HALF_LIFE_WINDOWS_OPTION = "baseline-half-life-windows";
    public static final String DEDUP_TTL_MS_OPTION = "dedup-ttl-ms";
    public static final String FLUSH_INTERVAL_MS_OPTION = "flush-interval-ms";
    public static final String FLUSH_MAX_ROWS_OPTION = "flush-max-rows";
    public static final String CHECKPOINT_INTERVAL_MS_OPTION = "checkpoint-interval-ms";

    /** Every flag the job knows; any other fails the submission. */
    public static final List<String> OPTIONS =
            List.of(
                    BOOTSTRAP_SERVERS_OPTION,
                    TOPIC_OPTION,
                    GROUP_ID_OPTION,
                    CLICKHOUSE_URL_OPTION,
                    CLICKHOUSE_USER_OPTION,
                    CLICKHOUSE_PASSWORD_FILE_OPTION,
                    CLICKHOUSE_DATABASE_OPTION,
                    OUT_OF_ORDERNESS_MS_OPTION,
                    IDLENESS_MS_OPTION,
                    TOP_OPTION,
                    AUTHOR_CAP_OPTION,
                    PRIOR_MENTIONS_OPTION,
                    BASELINE_HALF_LIFE_WINDOWS_OPTION,
                    DEDUP_TTL_MS_OPTION,
                    FLUSH_INTERVAL_MS_OPTION,
                    FLUSH_MAX_ROWS_OPTION,
                    CHECKPOINT_INTERVAL_MS_OPTION);

    public static final String DEFAULT_TOPIC = "content-events";
    public static final String DEFAULT_GROUP_ID = "trending-topics";
    public static final long DEFAULT_OUT_OF_ORDERNESS_MS = 500;
    public static final long DEFAULT_IDLENESS_MS = 500;
    public static final int DEFAULT_TOP = 50;
    public static final long DEFAULT_DEDUP_TTL_MS = 20 * 60_000;
    public static final long DEFAULT_FLUSH_INTERVAL_MS = 500;
    public static final int DEFAULT_FLUSH_MAX_ROWS = 10_000;
    public static final long DEFAULT_CHECKPOINT_INTERVAL_MS = 10_000;
    public static final long MIN_CHECKPOINT_INTERVAL_MS = 10;

    /**
     * Fixed so that keyed state can be restored from a savepoint at any parallelism up to this;
     * changing it later makes existing savepoints unusable.
     */
    public static final int MAX_PARALLELISM = 128;

    // Operator uids: state in checkpoints and savepoints is matched to operators by these, so they
    // must never change for an operator whose state should survive a redeploy, and an operator
    // whose state changes kind gets a new one (issue 10 replaced "count-mentions", a window
    // operator, and "rank-top-topics", keyed by window end alone; then "drop-duplicate-events",
    // keyed by the id string, and "aggregate-topic-windows", counting authors by their string; see
    // TrendingTopicsJobTest). A deploy over a savepoint with a replaced uid's state needs
    // allowNonRestoredState: the rollback names that remedy.
    public static final String SOURCE_UID = "content-events-source";
    public static final String DROP_DUPLICATE_EVENTS_UID = "drop-duplicate-event-uuids";
    public static final String EXTRACT_HASHTAGS_UID = "extract-hashtags";
    public static final String AGGREGATE_TOPIC_WINDOWS_UID =
            "aggregate-topic-windows-by-author-hash";
    public static final String RANK_TOP_TOPICS_UID = "rank-horizon-top-topics";
    public static final String SINK_UID = "trending-topics-sink";

    private final Source<ContentEvent, ?, ?> source;
    private final Sink<TrendingTopicRow> sink;
    private final TrendingTopicsSettings settings;

    /**
     * @param source content events; in production the Kafka topic
     * @param sink where the top N rows go; in production ClickHouse
     * @param settings horizons, watermarks, score, deduplication, top N and checkpointing
     */
    public TrendingTopicsJob(
            Source<ContentEvent, ?, ?> source,
            Sink<TrendingTopicRow> sink,
            TrendingTopicsSettings settings) {
        this.source = source;
        this.sink = sink;
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        Flags flags = Flags.parse(args);
        ClickHouseSink<TrendingTopicRow> sink =
                new ClickHouseSink<>(
                        flags.clickHouse(),
                        TrendingTopicRowEncoder.TABLE,
                        new TrendingTopicRowEncoder());
        new TrendingTopicsJob(kafkaSource(flags), sink, flags.settings()).execute();
    }

    /** The production source: the content events topic, from the group's committed offsets. */
    public static KafkaSource<ContentEvent> kafkaSource(Flags flags) {
        return KafkaSources.fromCommittedOffsets(
                flags.bootstrapServers(),
                List.of(flags.topic()),
                flags.groupId(),
                new ContentEventDeserializationSchema(),
                JOB_NAME);
    }

    /**
     * Event time from {@code event_time}, with bounded out-of-orderness. With a Kafka source the
     * watermarks are generated per partition; a caught-up partition quiet for the idleness period
     * follows the wall clock instead, so windows fire even when all traffic stops (see {@link
     * WallClockBoundedWatermarks}).
     */
    public static WatermarkStrategy<ContentEvent> watermarkStrategy(
            TrendingTopicsSettings settings) {
        return WallClockBoundedWatermarks.strategy(
                settings.outOfOrderness(), settings.idleness(), new ContentEventTimestamps());
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

        // Deduplicated before the hashtags are extracted: the mentions of one event share its id.
        DataStream<Mention> mentions =
                env.fromSource(source, watermarkStrategy(settings), "content-events")
                        .name("content-events")
                        .uid(SOURCE_UID)
                        .keyBy(
                                DropDuplicateEvents.byEventId(ContentEvent::eventId),
                                DropDuplicateEvents.KEY_TYPE)
                        .process(
                                new DropDuplicateEvents<ContentEvent>(
                                        settings.dedupTtl(), ContentEvent::eventId))
                        // The function is generic: Flink cannot see T through erasure.
                        .returns(ContentEvent.class)
                        .name("drop-duplicate-events")
                        .uid(DROP_DUPLICATE_EVENTS_UID)
                        .flatMap(new ExtractHashtags())
                        .name("extract-hashtags")
                        .uid(EXTRACT_HASHTAGS_UID);

        DataStream<TopicWindowStats> windows =
                mentions.keyBy(Mention::topic, Types.STRING)
                        .transform(
                                "aggregate-topic-windows",
                                TypeInformation.of(TopicWindowStats.class),
                                new AggregateTopicWindowsOperator(
                                        new AggregateTopicWindows(
                                                settings.horizons(), settings.score()),
                                        settings.topN()))
                        .uid(AGGREGATE_TOPIC_WINDOWS_UID);

        windows.keyBy(RankTopTopics::key, RankTopTopics.KEY_TYPE)
                .process(new RankTopTopics(settings.topN()))
                .name("rank-top-topics")
                .uid(RANK_TOP_TOPICS_UID)
                .sinkTo(sink)
                .name("trending-topics-sink")
                .uid(SINK_UID);
    }

    /** The job's flags, parsed and checked. */
    public record Flags(
            String bootstrapServers,
            String topic,
            String groupId,
            ClickHouseSinkConfig clickHouse,
            TrendingTopicsSettings settings) {

        /**
         * @throws IllegalArgumentException naming the flag, for an unknown flag or an invalid value
         */
        public static Flags parse(String[] args) {
            JobFlags flags = JobFlags.parse(args, OPTIONS);

            List<TrendingHorizon> horizons = TrendingHorizon.fromClasspath();
            Duration outOfOrderness =
                    Duration.ofMillis(
                            flags.longValue(
                                    OUT_OF_ORDERNESS_MS_OPTION,
                                    DEFAULT_OUT_OF_ORDERNESS_MS,
                                    0,
                                    Long.MAX_VALUE));
            // The TTL must outlast the largest window plus the out-of-orderness (the settings
            // check it too; here the message names the flag).
            long minDedupTtlMs =
                    horizons.stream().mapToLong(TrendingHorizon::windowMillis).max().orElse(0)
                            + outOfOrderness.toMillis()
                            + 1;
            TrendingTopicsSettings settings =
                    new TrendingTopicsSettings(
                            horizons,
                            outOfOrderness,
                            Duration.ofMillis(
                                    flags.longValue(
                                            IDLENESS_MS_OPTION,
                                            DEFAULT_IDLENESS_MS,
                                            1,
                                            Long.MAX_VALUE)),
                            (int)
                                    flags.longValue(
                                            TOP_OPTION,
                                            DEFAULT_TOP,
                                            1,
                                            TrendingTopicsSettings.MAX_TOP_N),
                            new TrendingScore(
                                    flags.doubleValue(
                                            AUTHOR_CAP_OPTION,
                                            TrendingScore.DEFAULT_AUTHOR_CAP,
                                            1.0,
                                            TrendingScore.MAX_AUTHOR_CAP),
                                    flags.doubleValue(
                                            PRIOR_MENTIONS_OPTION,
                                            TrendingScore.DEFAULT_PRIOR_MENTIONS,
                                            Double.MIN_VALUE,
                                            1e9),
                                    flags.doubleValue(
                                            BASELINE_HALF_LIFE_WINDOWS_OPTION,
                                            TrendingScore.DEFAULT_BASELINE_HALF_LIFE_WINDOWS,
                                            Double.MIN_VALUE,
                                            1e6)),
                            Duration.ofMillis(
                                    flags.longValue(
                                            DEDUP_TTL_MS_OPTION,
                                            Math.max(DEFAULT_DEDUP_TTL_MS, minDedupTtlMs),
                                            minDedupTtlMs,
                                            Long.MAX_VALUE)),
                            Duration.ofMillis(
                                    flags.longValue(
                                            CHECKPOINT_INTERVAL_MS_OPTION,
                                            DEFAULT_CHECKPOINT_INTERVAL_MS,
                                            MIN_CHECKPOINT_INTERVAL_MS,
                                            Long.MAX_VALUE)));

            ClickHouseSinkConfig clickHouse =
                    flags.clickHouse(
                            (int)
                                    flags.longValue(
                                            FLUSH_MAX_ROWS_OPTION,
                                            DEFAULT_FLUSH_MAX_ROWS,
                                            1,
                                            1_000_000),
                            Duration.ofMillis(
                                    flags.longValue(
                                            FLUSH_INTERVAL_MS_OPTION,
                                            DEFAULT_FLUSH_INTERVAL_MS,
                                            1,
                                            Long.MAX_VALUE)));

            return new Flags(
                    flags.text(BOOTSTRAP_SERVERS_OPTION, DEFAULT_BOOTSTRAP_SERVERS),
                    flags.text(TOPIC_OPTION, DEFAULT_TOPIC),
                    flags.text(GROUP_ID_OPTION, DEFAULT_GROUP_ID),
                    clickHouse,
                    settings);
        }
    }
}
