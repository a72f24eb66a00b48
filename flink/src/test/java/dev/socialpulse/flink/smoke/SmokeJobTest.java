package dev.socialpulse.flink.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import dev.socialpulse.flink.testing.CollectingSink;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@Tag("component")
class SmokeJobTest {

    private static final int PARALLELISM = 2;

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(PARALLELISM)
                            .build());

    @Test
    void shouldSumAllNumbers() throws Exception {
        try (CollectingSink<Long> sink = new CollectingSink<>()) {
            JobExecutionResult result =
                    new SmokeJob(new NumberSequenceSource(1, SmokeJob.DEFAULT_COUNT), sink)
                            .execute();

            assertThat(result.getJobID()).isNotNull();
            assertThat(sink.getRecords()).containsExactly(500_500L);
        }
    }

    @Test
    void shouldSumWhateverTheSourceGives() throws Exception {
        try (CollectingSink<Long> sink = new CollectingSink<>()) {
            new SmokeJob(new NumberSequenceSource(5, 10), sink).execute();

            assertThat(sink.getRecords()).containsExactly(45L);
        }
    }

    @Test
    void shouldEmitOneSumForASingleNumber() throws Exception {
        try (CollectingSink<Long> sink = new CollectingSink<>()) {
            new SmokeJob(new NumberSequenceSource(1, 1), sink).execute();

            assertThat(sink.getRecords()).containsExactly(1L);
        }
    }
}
