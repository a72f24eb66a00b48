package dev.socialpulse.flink.ads;

import static dev.socialpulse.flink.ads.AdFixtures.T0;
import static dev.socialpulse.flink.ads.AdFixtures.click;
import static dev.socialpulse.flink.ads.AdFixtures.identify;
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
 * The ads records travel between operators and sit in state (held ad events, versions, joined
 * impressions and clicks, row keys and sums): Flink must serialise them as POJOs, never fall back
 * to Kryo.
 */
@Tag("unit")
class AdRecordTypesTest {

    static List<Object> records() {
        AdChangeSum sum = new AdChangeSum();
        sum.add(AdChange.impression(click("i-1", "k-1").tagged().row(), "u-1", 1_500));
        return List.of(
                click("i-1", "k-1").anonymous("v-1").at(T0).build(),
                identify("u-1", "v-1", T0, "25-34", "female", "DE"),
                click("i-1", "k-1").at(T0).tagged(),
                click("i-1", "k-1").at(T0).tagged().row(),
                new LinkVersion(T0, "u-1"),
                new ProfileVersion(T0, "25-34", "", "DE"),
                new JoinConversions.KnownClick(T0, click("i-1", "k-1").tagged().row()),
                new JoinConversions.KnownClick(T0, click("i-1", "k-1").tagged().row()),
                AdChange.impression(click("i-1", "k-1").tagged().row(), "a:v-1", 1_500),
                sum);
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

        assertThat(copy).usingRecursiveComparison().isEqualTo(record);
    }
}
