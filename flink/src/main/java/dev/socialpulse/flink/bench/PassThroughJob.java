package dev.socialpulse.flink.bench;

import dev.socialpulse.flink.trending.TrendingTopicsJob;
import dev.socialpulse.flink.trending.records.ContentEvent;
import dev.socialpulse.flink.trending.records.ContentEventDeserializationSchema;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.ParameterTool;

/**
 * The throughput benchmark's baseline (bench/trending-throughput.bench.ts): reads content events
 * from Kafka and parses them exactly as {@link TrendingTopicsJob}'s source does, then discards
 * them. What the trending job costs beyond this is its own work: deduplication, hashtags, the
 * horizons' panes, scoring, ranking and the ClickHouse sink.
 *
 * <p>Flags: {@code --bootstrap-servers}, {@code --topic} and {@code --group-id}, all required; it
 * reads the topic from the earliest offsets and runs until cancelled.
 */
public final class PassThroughJob {

    public static final String JOB_NAME = "bench-pass-through";

    private PassThroughJob() {}

    public static void main(String[] args) throws Exception {
        ParameterTool flags = ParameterTool.fromArgs(args);
        KafkaSource<ContentEvent> source =
                KafkaSource.<ContentEvent>builder()
                        .setBootstrapServers(flags.getRequired("bootstrap-servers"))
                        .setTopics(flags.getRequired("topic"))
                        .setGroupId(flags.getRequired("group-id"))
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setValueOnlyDeserializer(new ContentEventDeserializationSchema())
                        .setClientIdPrefix(JOB_NAME)
                        .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "content-events")
                .name("content-events")
                .sinkTo(new DiscardingSink<>())
                .name("discard");
        env.execute(JOB_NAME);
    }
}
