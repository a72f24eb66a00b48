package dev.socialpulse.flink.trending.records;

import static org.assertj.core.api.Assertions.assertThat;

import dev.socialpulse.flink.common.StringHash;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The primitive author map against a HashMap doing the same, and its serializer. */
@Tag("unit")
class AuthorTallyTest {

    @Test
    void shouldAgreeWithAHashMapOverRandomAddsAndRemovals() {
        Random random = new Random(42);
        AuthorTally tally = new AuthorTally();
        Map<Long, Integer> expected = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            // Few distinct keys, some sharing their low bits, so runs collide and shift back.
            long author = random.nextInt(300) * (random.nextBoolean() ? 1L : 1L << 40);
            int delta = random.nextInt(5) - 2;
            int before = tally.add(author, delta);

            int was = expected.getOrDefault(author, 0);
            assertThat(before).isEqualTo(was);
            if (was + delta > 0) {
                expected.put(author, was + delta);
            } else {
                expected.remove(author);
            }
        }
        assertThat(tally.size()).isEqualTo(expected.size());
        expected.forEach((author, count) -> assertThat(tally.get(author)).isEqualTo(count));
        Map<Long, Integer> seen = new HashMap<>();
        tally.forEach(seen::put);
        assertThat(seen).isEqualTo(expected);
    }

    @Test
    void shouldIgnoreANonPositiveAddForAnAbsentAuthor() {
        AuthorTally tally = new AuthorTally();
        assertThat(tally.add(7L, -1)).isZero();
        assertThat(tally.add(7L, 0)).isZero();
        assertThat(tally.isEmpty()).isTrue();
    }

    @Test
    void shouldCopyDeeply() {
        AuthorTally tally = new AuthorTally();
        tally.add(1L, 3);
        AuthorTally copy = tally.copy();
        tally.add(1L, 1);
        tally.add(2L, 1);

        assertThat(copy.get(1L)).isEqualTo(3);
        assertThat(copy.size()).isEqualTo(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldBeSerialisedByItsOwnSerializerThroughTypeExtraction() throws Exception {
        TypeSerializer<AuthorTally> serializer =
                TypeInformation.of(AuthorTally.class).createSerializer(new SerializerConfigImpl());
        assertThat(serializer).isSameAs(AuthorTallySerializer.INSTANCE);
        AuthorTally tally = new AuthorTally();
        for (long author = 0; author < 1_000; author++) {
            tally.add(StringHash.of("u:" + author), (int) (author % 7) + 1);
        }

        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(tally, out);
        AuthorTally back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back).isEqualTo(tally);

        // Copying serialized bytes (Flink does so between buffers) keeps them readable.
        DataOutputSerializer copied = new DataOutputSerializer(out.length());
        serializer.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
        assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
    }
}
