package dev.socialpulse.flink.bench;

import dev.socialpulse.flink.ads.AdEvent;
import dev.socialpulse.flink.ads.AdEventParser;
import dev.socialpulse.flink.ads.AdPerformanceJob;
import dev.socialpulse.flink.common.ParsingDeserializationSchema;
import dev.socialpulse.flink.sessions.SessionAnalyzerJob;
import dev.socialpulse.flink.sessions.SessionEvent;
import dev.socialpulse.flink.sessions.SessionEventParser;
import dev.socialpulse.flink.trending.TrendingTopicsJob;
import dev.socialpulse.flink.trending.records.ContentEventDeserializationSchema;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.ParameterTool;

/**
 * The throughput benchmarks' baseline (bench/trending-throughput.bench.ts,
 * bench/session-throughput.bench.ts): reads events from Kafka and parses them exactly as the
 * measured job's source does, then discards them. What the job costs beyond this is its own work.
 *
 * <p>Flags: {@code --bootstrap-servers}, {@code --topic} (comma-separated for several, as the ad
 * job reads ad and user events) and {@code --group-id}, all required; {@code --records} {@code
 * content} ({@link TrendingTopicsJob}'s parsing, the default), {@code sessions} ({@link
 * SessionAnalyzerJob}'s) or {@code ads} ({@link AdPerformanceJob}'s). It reads the topic from the
 * earliest offsets and runs until cancelled. The source is named {@value #SOURCE_NAME} for the
 * benchmarks' metric.
 */
public final class PassThroughJob {

    public static final String JOB_NAME = "bench-pass-through";
    public static final String SOURCE_NAME = "events";

    private PassThroughJob() {}

    public static void main(String[] args) throws Exception {
        ParameterTool flags = ParameterTool.fromArgs(args);
        String records = flags.get("records", "content");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        switch (records) {
            case "content" -> discard(env, flags, new ContentEventDeserializationSchema());
            case "sessions" ->
                    discard(
                            env,
                            flags,
                            new ParsingDeserializationSchema<>(
                                    SessionEventParser::new, SessionEvent.class));
            case "ads" ->
                    discard(
                            env,
                            flags,
                            new ParsingDeserializationSchema<>(AdEventParser::new, AdEvent.class));
            default ->
                    throw new IllegalArgumentException(
                            "--records must be content, sessions or ads, got " + records);
        }
        env.execute(JOB_NAME);
    }

    private static <T> void discard(
            StreamExecutionEnvironment env, ParameterTool flags, DeserializationSchema<T> schema) {
        KafkaSource<T> source =
                KafkaSource.<T>builder()
                        .setBootstrapServers(flags.getRequired("bootstrap-servers"))
                        .setTopics(flags.getRequired("topic").split(","))
                        .setGroupId(flags.getRequired("group-id"))
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setValueOnlyDeserializer(schema)
                        .setClientIdPrefix(JOB_NAME)
                        .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), SOURCE_NAME)
                .name(SOURCE_NAME)
                .sinkTo(new DiscardingSink<>())
                .name("discard");
    }
}
