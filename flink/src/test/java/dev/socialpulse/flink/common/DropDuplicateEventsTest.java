package dev.socialpulse.flink.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.socialpulse.flink.trending.records.ContentEvent;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("component")
class DropDuplicateEventsTest {

    private static final Duration TTL = Duration.ofMinutes(20);

    private KeyedOneInputStreamOperatorTestHarness<Tuple2<Long, Long>, ContentEvent, ContentEvent>
            harness;

    @BeforeEach
    void setUp() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new DropDuplicateEvents<ContentEvent>(TTL, ContentEvent::eventId),
                        DropDuplicateEvents.byEventId(ContentEvent::eventId),
                        DropDuplicateEvents.KEY_TYPE);
        harness.setStateTtlProcessingTime(0L);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void shouldForwardTheFirstEventOfAnIdAndDropItsResends() throws Exception {
        harness.processElement(event("e-1", 1_000L), 1_000L);
        harness.processElement(event("e-2", 1_000L), 1_000L);
        harness.processElement(event("e-1", 1_000L), 1_500L);
        harness.processElement(event("e-1", 1_000L), 9_000L);

        assertThat(harness.extractOutputValues())
                .extracting(ContentEvent::eventId)
                .containsExactly("e-1", "e-2");
    }

    @Test
    void shouldForgetAnIdAfterTheTtlCountedFromItsFirstSighting() throws Exception {
        harness.processElement(event("e-1", 1_000L), 1_000L);
        harness.setStateTtlProcessingTime(TTL.toMillis() - 1);
        // A duplicate does not extend the TTL.
        harness.processElement(event("e-1", 1_000L), 1_000L);
        harness.setStateTtlProcessingTime(TTL.toMillis());
        harness.processElement(event("e-1", 1_000L), 1_000L);

        assertThat(harness.extractOutputValues())
                .extracting(ContentEvent::eventId)
                .containsExactly("e-1", "e-1");
    }

    @Test
    void shouldForwardEveryEventWithoutAnId() throws Exception {
        harness.processElement(event(null, 1_000L), 1_000L);
        harness.processElement(event(null, 1_000L), 1_000L);

        assertThat(harness.extractOutputValues()).hasSize(2);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void shouldDropResendsOfAUuidWhateverTheCaseOfItsHex() throws Exception {
        String id = "0190f1c2-7a3b-7cde-8f01-23456789abcd";
        harness.processElement(event(id, 1_000L), 1_000L);
        harness.processElement(event(id.toUpperCase(java.util.Locale.ROOT), 1_000L), 1_000L);
        harness.processElement(event("0190f1c2-7a3b-7cde-8f01-23456789abce", 1_000L), 1_000L);

        assertThat(harness.extractOutputValues())
                .extracting(ContentEvent::eventId)
                .containsExactly(id, "0190f1c2-7a3b-7cde-8f01-23456789abce");
    }

    @Test
    void shouldKeyAUuidByItsOwn128Bits() {
        assertThat(key(event("0190f1c2-7a3b-7cde-8f01-23456789abcd", 0L)))
                .isEqualTo(Tuple2.of(0x0190f1c27a3b7cdeL, 0x8f0123456789abcdL));
        assertThat(key(event("ffffffff-ffff-ffff-ffff-ffffffffffff", 0L)))
                .isEqualTo(Tuple2.of(-1L, -1L));
    }

    @Test
    void shouldKeyOtherIdsByHashesThatDoNotTakeThemForAUuid() {
        String uuid = "0190f1c2-7a3b-7cde-8f01-23456789abcd";
        // Non-ASCII digits that Java's hex parsing would accept, and a non-canonical form.
        String arabicDigits = uuid.replace('0', '\u0660');
        String shortForm = "190f1c2-7a3b-7cde-8f01-23456789abcd";

        Tuple2<Long, Long> key = key(event(uuid, 0L));
        assertThat(key(event(arabicDigits, 0L))).isNotEqualTo(key);
        assertThat(key(event(shortForm, 0L))).isNotEqualTo(key);
        assertThat(key(event("e-1", 0L)))
                .isEqualTo(key(event("e-1", 0L)))
                .isNotEqualTo(key(event("e-2", 0L)));
    }

    private static Tuple2<Long, Long> key(ContentEvent event) {
        return DropDuplicateEvents.key(event.eventId());
    }

    private static ContentEvent event(String id, long time) {
        return new ContentEvent(
                id, "content.viewed", "u-1", null, false, time, null, List.of("ai"));
    }
}
