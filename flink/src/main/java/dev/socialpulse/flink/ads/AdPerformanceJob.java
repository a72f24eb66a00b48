package dev.socialpulse.flink.ads;

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
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Ad Performance Calculator: ad impressions, clicks and conversions per minute, campaign, ad,
 * device, OS, country, age band, gender and currency, as signed changes written to the {@code
 * ad_performance_changes} table exactly once ({@link ExactlyOnceClickHouseSink}), which the minute,
 * hour and day facts sum.
 *
 * <p>Pipeline, in event time: ad events and {@code user.identified} events from Kafka ({@link
 * AdEventParser}; other user events are skipped) → anonymous visitors' ad events keyed by anonymous
 * id, resolved to the user the id was linked to at their time ({@link ResolveVisitors}) → keyed by
 * visitor, tagged with the profile at their time and resent events dropped ({@link TagProfiles}) →
 * impressions and clicks keyed by impression, clicks attributed to impressions ({@link JoinClicks})
 * → clicks and conversions keyed by click, conversions attributed to clicks ({@link
 * JoinConversions}) → each join's changes summed per row where it runs ({@link SumChangesLocally})
 * → keyed by row, the changes summed and emitted every flush interval ({@link SumChanges}) → the
 * table ({@link AdChangeEncoder} shows a row). Each stage's class states its rules; {@link
 * AdPerformanceSettings} the windows and lateness.
 *
 * <p>Flags: {@code --bootstrap-servers} (default {@value JobFlags#DEFAULT_BOOTSTRAP_SERVERS}),
 * {@code --topics} comma-separated (default {@value #DEFAULT_TOPICS}), {@code --group-id} (default
 * {@value #DEFAULT_GROUP_ID}), the ClickHouse flags of {@link JobFlags}, {@code
 * --max-rows-per-insert} (default {@value #DEFAULT_MAX_ROWS_PER_INSERT}), and in milliseconds the
 * {@link AdPerformanceSettings}: {@code --click-window-ms}, {@code --attribution-window-ms}, {@code
 * --allowed-lateness-ms}, {@code --profile-ttl-ms}, {@code --flush-interval-ms}, {@code
 * --out-of-orderness-ms}, {@code --idleness-ms}, {@code --checkpoint-interval-ms}.
 */
public class AdPerformanceJob {

    public static final String JOB_NAME = "ad-performance";

    public static final String TOPICS_OPTION = "topics";
    public static final String MAX_ROWS_PER_INSERT_OPTION = "max-rows-per-insert";
    public static final String CLICK_WINDOW_MS_OPTION = "click-window-ms";
    public static final String ATTRIBUTION_WINDOW_MS_OPTION = "attribution-window-ms";
    public static final String ALLOWED_LATENESS_MS_OPTION = "allowed-lateness-ms";
    public static final String PROFILE_TTL_MS_OPTION = "profile-ttl-ms";
    public static final String FLUSH_INTERVAL_MS_OPTION = "flush-interval-ms";
    public static final String OUT_OF_ORDERNESS_MS_OPTION = "out-of-orderness-ms";
    public static final String IDLENESS_MS_OPTION = "idleness-ms";
    public static final String CHECKPOINT_INTERVAL_MS_OPTION = "checkpoint-interval-ms";

    public static final String DEFAULT_TOPICS = "ad-events,user-events";
    public static final String DEFAULT_GROUP_ID = "ad-performance";
    public static final int DEFAULT_MAX_ROWS_PER_INSERT = 10_000;

    /**
     * Fixed so that keyed state (links, profiles, impressions and clicks in their windows) can be
     * restored from a savepoint at any parallelism up to this; changing it later makes existing
     * savepoints unusable.
     */
    public static final int MAX_PARALLELISM = 128;

    /** Every flag the job knows; any other fails the submission. */
    public static final List<String> OPTIONS = options();

    // Operator uids: state in checkpoints and savepoints is matched to operators by these.
    public static final String SOURCE_UID = "ads-source";
    public static final String RESOLVE_VISITORS_UID = "ads-resolve-visitors";
    public static final String TAG_PROFILES_UID = "ads-tag-profiles";
    // The joins were keyed by ids before, now by their hashes (and buckets of them), which their
    // state saved then cannot be read with: new uids, so that a savepoint from before restores
    // everything else with `npx pulse deploy ads --allow-non-restored-state`.
    public static final String JOIN_CLICKS_UID = "ads-join-clicks-by-bucket";
    public static final String JOIN_CONVERSIONS_UID = "ads-join-conversions-by-hash";
    public static final String CLICK_CHANGES_LOCAL_SUMS_UID = "ads-click-changes-local-sums";
    public static final String CONVERSION_CHANGES_LOCAL_SUMS_UID =
            "ads-conversion-changes-local-sums";
    public static final String CHANGES_UID = "ads-changes";
    public static final String SINK_UID = "ads-sink";

    private final Source<AdEvent, ?, ?> source;
    private final Sink<AdChange> sink;
    private final AdPerformanceSettings settings;

    public AdPerformanceJob(
            Source<AdEvent, ?, ?> source, Sink<AdChange> sink, AdPerformanceSettings settings) {
        this.source = source;
        this.sink = sink;
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        JobFlags flags = JobFlags.parse(args, OPTIONS);
        List<String> topics = flags.list(TOPICS_OPTION, DEFAULT_TOPICS);
        AdPerformanceSettings settings = settings(flags);
        ClickHouseSinkConfig clickHouse =
                flags.clickHouse(
                        (int)
                                flags.longValue(
                                        MAX_ROWS_PER_INSERT_OPTION,
                                        DEFAULT_MAX_ROWS_PER_INSERT,
                                        1,
                                        1_000_000),
                        settings.checkpointInterval());
        new AdPerformanceJob(
                        KafkaSources.fromCommittedOffsets(
                                flags.text(BOOTSTRAP_SERVERS_OPTION, DEFAULT_BOOTSTRAP_SERVERS),
                                topics,
                                flags.text(GROUP_ID_OPTION, DEFAULT_GROUP_ID),
                                new ParsingDeserializationSchema<>(
                                        AdEventParser::new, AdEvent.class),
                                JOB_NAME),
                        new ExactlyOnceClickHouseSink<>(
                                clickHouse,
                                AdChangeEncoder.CHANGES_TABLE,
                                AdChangeEncoder.changes()),
                        settings)
                .execute();
    }

    /** The settings the flags give, each defaulting to {@link AdPerformanceSettings#defaults()}. */
    public static AdPerformanceSettings settings(JobFlags flags) {
        AdPerformanceSettings defaults = AdPerformanceSettings.defaults();
        return new AdPerformanceSettings(
                millis(flags, CLICK_WINDOW_MS_OPTION, defaults.clickWindow(), 1),
                millis(flags, ATTRIBUTION_WINDOW_MS_OPTION, defaults.attributionWindow(), 1),
                millis(flags, ALLOWED_LATENESS_MS_OPTION, defaults.allowedLateness(), 0),
                millis(flags, PROFILE_TTL_MS_OPTION, defaults.profileTtl(), 1),
                millis(flags, FLUSH_INTERVAL_MS_OPTION, defaults.flushInterval(), 1),
                millis(flags, OUT_OF_ORDERNESS_MS_OPTION, defaults.outOfOrderness(), 0),
                millis(flags, IDLENESS_MS_OPTION, defaults.idleness(), 1),
                millis(flags, CHECKPOINT_INTERVAL_MS_OPTION, defaults.checkpointInterval(), 10));
    }

    private static Duration millis(JobFlags flags, String name, Duration defaultValue, long min) {
        return Duration.ofMillis(
                flags.longValue(
                        name,
                        defaultValue.toMillis(),
                        min,
                        AdPerformanceSettings.MAX_DURATION.toMillis()));
    }

    /**
     * Event time from {@code event_time}, with bounded out-of-orderness, following the wall clock
     * when a caught-up partition goes quiet so that held events are tagged and windows close
     * without more traffic ({@link WallClockBoundedWatermarks}).
     */
    public static WatermarkStrategy<AdEvent> watermarkStrategy(AdPerformanceSettings settings) {
        return WallClockBoundedWatermarks.strategy(
                settings.outOfOrderness(),
                settings.idleness(),
                (event, previous) -> event.eventTime());
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
        // Records are handed on, not copied, between chained operators (the source and its
        // filters, a lookup and its filters, a sum and the sink): every record type is immutable,
        // so one kept in state (a held event, a waiting click) cannot change under it.
        env.getConfig().enableObjectReuse();
        DataStream<AdEvent> events =
                env.fromSource(source, watermarkStrategy(settings), "ad-and-identify-events")
                        .uid(SOURCE_UID);

        // Identify events go both ways: by anonymous id they link it to the user, by user they
        // set the profile. An ad event with a user id needs no link.
        DataStream<AdEvent> resolved =
                events.filter(event -> event.isAnonymousAdEvent() || isLink(event))
                        .name("anonymous-ad-events-and-links")
                        .keyBy(AdEvent::anonymousId, Types.STRING)
                        .process(new ResolveVisitors(settings))
                        .name("resolve-visitors")
                        .uid(RESOLVE_VISITORS_UID);
        DataStream<TaggedAdEvent> tagged =
                events.filter(event -> !event.isAnonymousAdEvent())
                        .name("users-ad-events-and-profiles")
                        .union(resolved)
                        .keyBy(AdEvent::visitor, Types.STRING)
                        .process(new TagProfiles(settings))
                        .name("tag-profiles")
                        .uid(TAG_PROFILES_UID);

        SingleOutputStreamOperator<AdChange> clickChanges =
                tagged.filter(event -> !event.isConversion())
                        .name("impressions-and-clicks")
                        .keyBy(JoinClicks::bucketOf, Types.INT)
                        .process(new JoinClicks(settings))
                        .name("join-clicks")
                        .uid(JOIN_CLICKS_UID);
        DataStream<AdChange> conversionChanges =
                clickChanges
                        .getSideOutput(JoinClicks.CLICKS)
                        .union(tagged.filter(TaggedAdEvent::isConversion).name("conversions"))
                        .keyBy(TaggedAdEvent::clickKey, Types.LONG)
                        .process(new JoinConversions(settings))
                        .name("join-conversions")
                        .uid(JOIN_CONVERSIONS_UID);

        sumLocally(clickChanges, "sum-click-changes-locally", CLICK_CHANGES_LOCAL_SUMS_UID)
                .union(
                        sumLocally(
                                conversionChanges,
                                "sum-conversion-changes-locally",
                                CONVERSION_CHANGES_LOCAL_SUMS_UID))
                .keyBy(AdChange::row, TypeInformation.of(AdRow.class))
                .process(new SumChanges(settings))
                .name("sum-changes")
                .uid(CHANGES_UID)
                .sinkTo(sink)
                .name("ad-performance-changes-sink")
                .uid(SINK_UID);
    }

    /** Chained to a join: its changes summed per row before the shuffle to {@link SumChanges}. */
    private DataStream<AdChange> sumLocally(DataStream<AdChange> changes, String name, String uid) {
        return changes.transform(
                        name, TypeInformation.of(AdChange.class), new SumChangesLocally(settings))
                .uid(uid);
    }

    /** An identify that links an anonymous id (one without is a profile only). */
    private static boolean isLink(AdEvent event) {
        return event.isIdentify() && !event.anonymousId().isEmpty();
    }

    private static List<String> options() {
        List<String> options =
                new ArrayList<>(
                        List.of(
                                BOOTSTRAP_SERVERS_OPTION,
                                TOPICS_OPTION,
                                GROUP_ID_OPTION,
                                MAX_ROWS_PER_INSERT_OPTION,
                                CLICK_WINDOW_MS_OPTION,
                                ATTRIBUTION_WINDOW_MS_OPTION,
                                ALLOWED_LATENESS_MS_OPTION,
                                PROFILE_TTL_MS_OPTION,
                                FLUSH_INTERVAL_MS_OPTION,
                                OUT_OF_ORDERNESS_MS_OPTION,
                                IDLENESS_MS_OPTION,
                                CHECKPOINT_INTERVAL_MS_OPTION));
        options.addAll(CLICKHOUSE_OPTIONS);
        return List.copyOf(options);
    }
}
