package dev.socialpulse.flink.trending.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.socialpulse.flink.trending.records.ContentEvent;
import dev.socialpulse.flink.trending.records.Mention;
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

    private OneInputStreamOperatorTestHarness<ContentEvent, Mention> harness;

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

        assertThat(harness.extractOutputValues())
                .containsExactly(
                        Mention.of("ai", "u:u-1", false), Mention.of("worldcup", "u:u-1", false));
    }

    @Test
    void shouldEmitEachNormalisedTopicOncePerEvent() throws Exception {
        harness.processElement(
                event("content.post_created", List.of("#AI", " ai ", "", "WorldCup", "#")), 1_000L);

        assertThat(harness.extractOutputValues())
                .extracting(Mention::topic)
                .containsExactly("ai", "worldcup");
    }

    @Test
    void shouldCarryTheAuthorAndTheBotFlag() throws Exception {
        harness.processElement(
                new ContentEvent(
                        "e-9", "content.viewed", null, "anon-3", true, 1_000L, null, List.of("ai")),
                1_000L);
        harness.processElement(
                new ContentEvent(
                        "e-10", "content.viewed", null, null, false, 1_000L, null, List.of("ai")),
                1_000L);

        assertThat(harness.extractOutputValues())
                .containsExactly(
                        Mention.of("ai", "a:anon-3", true), Mention.of("ai", "e:e-10", false));
    }

    @Test
    void shouldCountTheCanarysMentionsUnderCanaryTopics() throws Exception {
        harness.processElement(
                new ContentEvent(
                        "e-11",
                        "content.post_created",
                        "pulse-canary",
                        null,
                        false,
                        1_000L,
                        null,
                        List.of("#Canary-7"),
                        true),
                1_000L);

        assertThat(harness.extractOutputValues())
                .extracting(Mention::topic)
                .containsExactly("CANARY:canary-7");
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
        return new ContentEvent("e-1", type, "u-1", null, false, 1_000L, "c-1", hashtags);
    }
}
