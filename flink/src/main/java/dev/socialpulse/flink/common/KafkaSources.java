package dev.socialpulse.flink.common;

import java.util.List;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** The jobs' Kafka sources. */
public final class KafkaSources {

    private KafkaSources() {}

    /**
     * Reads {@code topics} as consumer group {@code groupId}: from the group's committed offsets on
     * a fresh start (the earliest where it has none), committing them at every checkpoint so that
     * lag shows in Kafka's tools. A restore from a checkpoint or savepoint resumes from the offsets
     * in its state instead.
     */
    public static <T> KafkaSource<T> fromCommittedOffsets(
            String bootstrapServers,
            List<String> topics,
            String groupId,
            DeserializationSchema<T> schema,
            String clientIdPrefix) {
        return KafkaSource.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(topics)
                .setGroupId(groupId)
                .setStartingOffsets(
                        OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setValueOnlyDeserializer(schema)
                .setClientIdPrefix(clientIdPrefix)
                .setProperty("commit.offsets.on.checkpoint", "true")
                .build();
    }
}
