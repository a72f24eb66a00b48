package dev.socialpulse.flink.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.socialpulse.flink.common.RecordParser.MalformedRecordException;
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
class ParsingDeserializationSchemaTest {

    /** Reads "ok:<text>" as the text, skips "skip", refuses anything else. */
    private static final class TextParser implements RecordParser<String> {
        @Override
        public String parse(byte[] bytes) throws MalformedRecordException {
            String text = new String(bytes, StandardCharsets.UTF_8);
            if (text.equals("skip")) {
                return null;
            }
            if (!text.startsWith("ok:")) {
                throw new MalformedRecordException("not ok: " + text);
            }
            return text.substring(3);
        }
    }

    private final RecordingMetricGroup metrics = new RecordingMetricGroup();
    private final ParsingDeserializationSchema<String> schema =
            new ParsingDeserializationSchema<>(TextParser::new, String.class);
    private final List<String> out = new ArrayList<>();
    private final Collector<String> collector =
            new Collector<>() {
                @Override
                public void collect(String record) {
                    out.add(record);
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
    void shouldEmitParsedRecordsDropSkippedOnesUncountedAndCountMalformedOnes() {
        for (String record : List.of("ok:a", "skip", "broken", "ok:b")) {
            schema.deserialize(record.getBytes(StandardCharsets.UTF_8), collector);
        }

        assertThat(out).containsExactly("a", "b");
        assertThat(metrics.count(ParsingDeserializationSchema.MALFORMED_RECORDS_METRIC))
                .isEqualTo(1);
    }
}
