package dev.socialpulse.flink.ads;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The primitive table of a click-join bucket's impressions, against a HashMap, and its serializer.
 */
@Tag("unit")
class AdImpressionTimesTest {

    @Test
    void shouldAgreeWithAHashMapOverRandomKeepsAndForgets() {
        Random random = new Random(42);
        ImpressionTimes table = new ImpressionTimes();
        Map<Long, Long> expected = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            // Few distinct keys, some sharing their low bits, so runs collide and shift back.
            long key = random.nextInt(500) * (random.nextBoolean() ? 1L : 1L << 40);
            if (random.nextInt(50) == 0) {
                long upTo = step - random.nextInt(2_000);
                table.removeUpTo(upTo);
                expected.values().removeIf(time -> time <= upTo);
            } else {
                boolean kept = table.putIfAbsent(key, step);
                assertThat(kept).isEqualTo(!expected.containsKey(key));
                expected.putIfAbsent(key, (long) step);
            }
            assertThat(table.size()).isEqualTo(expected.size());
        }
        expected.forEach((key, time) -> assertThat(table.timeOf(key)).isEqualTo(time));
        assertThat(table.timeOf(-1L)).isEqualTo(ImpressionTimes.ABSENT);
        assertThat(table.earliest())
                .isEqualTo(expected.values().stream().min(Long::compare).orElseThrow());
    }

    @Test
    void shouldKeepTheFirstTimeOfAKey() {
        ImpressionTimes table = new ImpressionTimes();

        assertThat(table.putIfAbsent(7L, 2_000)).isTrue();
        assertThat(table.putIfAbsent(7L, 1_000)).isFalse();

        assertThat(table.timeOf(7L)).isEqualTo(2_000);
        assertThat(table.earliest()).isEqualTo(2_000);
    }

    @Test
    void shouldForgetUpToATimeIncludedAndTrackTheEarliestLeft() {
        ImpressionTimes table = new ImpressionTimes();
        table.putIfAbsent(1L, 3_000);
        table.putIfAbsent(2L, 1_000);
        table.putIfAbsent(3L, 2_000);

        table.removeUpTo(2_000);

        assertThat(table.size()).isEqualTo(1);
        assertThat(table.timeOf(2L)).isEqualTo(ImpressionTimes.ABSENT);
        assertThat(table.timeOf(3L)).isEqualTo(ImpressionTimes.ABSENT);
        assertThat(table.earliest()).isEqualTo(3_000);
        table.removeUpTo(3_000);
        assertThat(table.isEmpty()).isTrue();
        assertThat(table.earliest()).isEqualTo(ImpressionTimes.ABSENT);
    }

    @Test
    void shouldCopyDeeply() {
        ImpressionTimes table = new ImpressionTimes();
        table.putIfAbsent(1L, 1_000);
        ImpressionTimes copy = table.copy();

        table.putIfAbsent(2L, 500);

        assertThat(copy.size()).isEqualTo(1);
        assertThat(copy.timeOf(2L)).isEqualTo(ImpressionTimes.ABSENT);
        assertThat(copy.earliest()).isEqualTo(1_000);
    }

    @Test
    void shouldSurviveASerialisationRoundTripAndAStreamCopy() throws Exception {
        ImpressionTimes table = new ImpressionTimes();
        for (long key = 0; key < 100; key++) {
            table.putIfAbsent(key * 0x9E3779B97F4A7C15L, 1_000 + key);
        }
        DataOutputSerializer out = new DataOutputSerializer(64);
        ImpressionTimesSerializer.INSTANCE.serialize(table, out);
        DataOutputSerializer copied = new DataOutputSerializer(64);
        ImpressionTimesSerializer.INSTANCE.copy(
                new DataInputDeserializer(out.getCopyOfBuffer()), copied);

        ImpressionTimes read =
                ImpressionTimesSerializer.INSTANCE.deserialize(
                        new DataInputDeserializer(copied.getCopyOfBuffer()));

        assertThat(read).isEqualTo(table);
        assertThat(read.earliest()).isEqualTo(1_000);
    }
}
