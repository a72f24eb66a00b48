package dev.socialpulse.flink.trending.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.socialpulse.flink.trending.records.ContentEvent;
import java.util.List;
import org.apache.flink.streaming.api.operators.StreamFlatMap;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("component")
class ExtractHashtagsTest {

    private OneInputStreamOperatorTestHarness<ContentEvent, String> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness =
                new OneInputStreamOperatorTestHarness<>(new StreamFlatMap<>(new ExtractHashtags()));
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "content.post_created",
                "content.viewed",
                "content.liked",
                "content.commented",
                "content.shared"
            })
    void shouldCountTheHashtagsOfEveryContentEventType(String eventType) throws Exception {
        harness.processElement(event(eventType, List.of("ai", "worldcup")), 1_000L);

        assertThat(harness.extractOutputValues()).containsExactly("ai", "worldcup");
    }

    @Test
    void shouldEmitEachNormalisedTopicOncePerEvent() throws Exception {
        harness.processElement(
                event("content.post_created", List.of("#AI", " ai ", "", "WorldCup", "#")), 1_000L);

        assertThat(harness.extractOutputValues()).containsExactly("ai", "worldcup");
    }

    @Test
    void shouldKeepTheEventTimestamp() throws Exception {
        harness.processElement(event("content.viewed", List.of("ai")), 1_234L);

        assertThat(harness.extractOutputStreamRecords())
                .singleElement()
                .satisfies(record -> assertThat(record.getTimestamp()).isEqualTo(1_234L));
    }

    @Test
    void shouldIgnoreOtherEventTypes() throws Exception {
        harness.processElement(event("user.page_viewed", List.of("ai")), 1_000L);
        harness.processElement(event("content.bookmarked", List.of("ai")), 1_000L);

        assertThat(harness.extractOutputValues()).isEmpty();
    }

    private static ContentEvent event(String type, List<String> hashtags) {
        return new ContentEvent("e-1", type, "u-1", 1_000L, "c-1", hashtags);
    }
}
