package dev.socialpulse.flink.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The writer's cut of rows into tokened inserts, and the committable's serializer. */
@Tag("unit")
class ExactlyOnceClickHouseWriterTest {

    private static final JsonRowEncoder<Integer> ENCODER =
            (id, json) -> {
                json.writeStartObject();
                json.writeNumberField("id", id);
                json.writeEndObject();
            };

    @Test
    void shouldHandOverEveryRowAtTheBarrierInInsertsOfBoundedSizeWithDistinctTokens()
            throws Exception {
        ExactlyOnceClickHouseWriter<Integer> writer = new ExactlyOnceClickHouseWriter<>(ENCODER, 4);
        for (int id = 0; id < 10; id++) {
            writer.write(id, null);
        }
        List<ClickHouseInsert> first = new ArrayList<>(writer.prepareCommit());
        writer.write(10, null);
        List<ClickHouseInsert> second = new ArrayList<>(writer.prepareCommit());

        assertThat(first).extracting(ClickHouseInsert::rows).containsExactly(4, 4, 2);
        assertThat(new String(first.get(2).body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"id\":8}\n{\"id\":9}\n");
        assertThat(second).singleElement().extracting(ClickHouseInsert::rows).isEqualTo(1);
        List<ClickHouseInsert> all = new ArrayList<>(first);
        all.addAll(second);
        assertThat(all).extracting(ClickHouseInsert::token).doesNotHaveDuplicates();
        assertThat(writer.prepareCommit()).isEmpty();
        // Another writer (as after a restore) never reuses a token.
        ExactlyOnceClickHouseWriter<Integer> restored =
                new ExactlyOnceClickHouseWriter<>(ENCODER, 4);
        restored.write(0, null);
        assertThat(restored.prepareCommit())
                .extracting(ClickHouseInsert::token)
                .doesNotContainAnyElementsOf(all.stream().map(ClickHouseInsert::token).toList());
    }

    @Test
    void shouldKeepAnInsertThroughTheCheckpointAsItWas() throws Exception {
        ClickHouseInsert insert =
                new ClickHouseInsert(
                        "w-1", 2, "{\"id\":1}\n{\"id\":2}\n".getBytes(StandardCharsets.UTF_8));
        ClickHouseInsert.Serializer serializer = new ClickHouseInsert.Serializer();

        ClickHouseInsert back =
                serializer.deserialize(serializer.getVersion(), serializer.serialize(insert));

        assertThat(back.token()).isEqualTo("w-1");
        assertThat(back.rows()).isEqualTo(2);
        assertThat(back.body()).isEqualTo(insert.body());
    }
}
