package dev.socialpulse.flink.trending.records;

import static org.assertj.core.api.Assertions.assertThat;

import dev.socialpulse.flink.testing.RecordingMetricGroup;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.Collector;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ContentEventDeserializationSchemaTest {

    private final RecordingMetricGroup metrics = new RecordingMetricGroup();
    private final ContentEventDeserializationSchema schema =
            new ContentEventDeserializationSchema();
    private final List<ContentEvent> out = new ArrayList<>();
    private final Collector<ContentEvent> collector =
            new Collector<>() {
                @Override
                public void collect(ContentEvent event) {
                    out.add(event);
                }

                @Override
                public void close() {}
            };

    @BeforeEach
    void setUp() {
        schema.open(
                new DeserializationSchema.InitializationContext() {
                    @Override
                    public MetricGroup getMetricGroup() {
                        return metrics;
                    }

                    @Override
                    public UserCodeClassLoader getUserCodeClassLoader() {
                        return SimpleUserCodeClassLoader.create(getClass().getClassLoader());
                    }
                });
    }

    @Test
    void shouldEmitAValidEvent() {
        schema.deserialize(
                bytes(
                        "{\"event_type\":\"content.viewed\",\"event_time\":\"2026-11-26T13:05:01Z\","
                            + "\"properties\":{\"hashtags\":[\"ai\"]}}"),
                collector);

        assertThat(out)
                .singleElement()
                .satisfies(e -> assertThat(e.hashtags()).containsExactly("ai"));
        assertThat(metrics.count(ContentEventDeserializationSchema.MALFORMED_EVENTS_METRIC))
                .isZero();
    }

    @Test
    void shouldCountAndDropMalformedRecordsWithoutFailing() {
        schema.deserialize(bytes("{broken"), collector);
        schema.deserialize(bytes("{\"event_type\":\"content.viewed\"}"), collector);
        schema.deserialize(null, collector);

        assertThat(out).isEmpty();
        assertThat(metrics.count(ContentEventDeserializationSchema.MALFORMED_EVENTS_METRIC))
                .isEqualTo(3);
    }

    @Test
    void shouldReturnNullForAMalformedRecordFromTheSingleRecordVariant() {
        assertThat(schema.deserialize(bytes("nope"))).isNull();
        assertThat(metrics.count(ContentEventDeserializationSchema.MALFORMED_EVENTS_METRIC))
                .isEqualTo(1);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
