package dev.socialpulse.flink.trending.functions;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("component")
class CountLateMentionsTest {

    @Test
    void shouldCountEveryLateMentionAndEmitNothing() throws Exception {
        CountLateMentions function = new CountLateMentions();
        try (OneInputStreamOperatorTestHarness<String, Void> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(function)) {
            harness.processWatermark(10_000L);

            harness.processElement("ai", 1_000L);
            harness.processElement("ai", 2_000L);
            harness.processElement("f1", 3_000L);

            assertThat(function.lateMentionCount()).isEqualTo(3);
            assertThat(harness.extractOutputValues()).isEmpty();
        }
    }
}
