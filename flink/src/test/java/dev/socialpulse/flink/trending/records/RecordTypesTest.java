package dev.socialpulse.flink.trending.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The records travel between operators and sit in state: Flink must serialise them as POJOs (fast,
 * schema-evolvable), never fall back to Kryo.
 */
@Tag("unit")
class RecordTypesTest {

    static List<Object> records() {
        return List.of(
                new ContentEvent(
                        "e-1",
                        "content.viewed",
                        null,
                        "a-1",
                        true,
                        1_000L,
                        "c-1",
                        List.of("ai", "f1")),
                new ContentEvent(
                        "e-2", "content.liked", "u-1", null, false, 2_000L, null, List.of()),
                Mention.of("ai", "u:u-1", false),
                new TopicWindowStats("1m", 0L, 60_000L, "ai", 3L, 2, 2.69, 1L, 1.5, 1.1, 1.4),
                new TrendingTopicRow(
                        "1m", 0L, 60_000L, 1, "ai", 1.4, 3L, 2, 2.69, 0.1, 1L, 1.5, 1.1, 61_000L));
    }

    /** Mutable state classes: serialised as POJOs too (their collections included), not Kryo. */
    static List<Class<?>> stateClasses() {
        return List.of(AuthorCounts.class, HorizonWindow.class);
    }

    @ParameterizedTest
    @MethodSource("stateClasses")
    void shouldKeepStateAsPojoWithoutKryo(Class<?> type) {
        TypeInformation<?> info = TypeInformation.of(type);

        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        PojoTypeInfo<?> pojo = (PojoTypeInfo<?>) info;
        for (int i = 0; i < pojo.getArity(); i++) {
            assertThat(pojo.getTypeAt(i))
                    .as("field %s", pojo.getPojoFieldAt(i).getField().getName())
                    .isNotInstanceOf(GenericTypeInfo.class);
        }
    }

    @ParameterizedTest
    @MethodSource("records")
    void shouldBeSerialisedAsPojoWithoutKryo(Object record) {
        TypeInformation<?> type = TypeInformation.of(record.getClass());

        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        PojoTypeInfo<?> pojo = (PojoTypeInfo<?>) type;
        for (int i = 0; i < pojo.getArity(); i++) {
            assertThat(pojo.getTypeAt(i))
                    .as("field %s", pojo.getPojoFieldAt(i).getField().getName())
                    .isNotInstanceOf(GenericTypeInfo.class);
        }
    }

    @ParameterizedTest
    @MethodSource("records")
    @SuppressWarnings("unchecked")
    void shouldSurviveASerialisationRoundTrip(Object record) throws Exception {
        TypeSerializer<Object> serializer =
                (TypeSerializer<Object>)
                        TypeInformation.of(record.getClass())
                                .createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(record, out);

        Object copy = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(copy).isEqualTo(record);
    }
}
