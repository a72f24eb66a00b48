package dev.socialpulse.flink.trending.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.socialpulse.flink.trending.records.ContentEvent;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("component")
class DropDuplicateEventsTest {

    private static final Duration TTL = Duration.ofMinutes(20);

    private KeyedOneInputStreamOperatorTestHarness<String, ContentEvent, ContentEvent> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new DropDuplicateEvents(TTL), DropDuplicateEvents::key, Types.STRING);
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

    private static ContentEvent event(String id, long time) {
        return new ContentEvent(
                id, "content.viewed", "u-1", null, false, time, null, List.of("ai"));
    }
}
