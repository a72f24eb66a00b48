package dev.socialpulse.flink.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.socialpulse.flink.common.JobFlags;
import dev.socialpulse.flink.testing.CollectingSink;
import dev.socialpulse.flink.testing.TestSources;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Session Analyzer on a MiniCluster at parallelism 2 over scripted journeys: resent events
 * count once, sessions split at the gap, every session ends sealed with its whole journey.
 */
@Tag("component")
class SessionAnalyzerJobTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final long T0 = 1_795_000_000_000L;
    private static final long MINUTE = 60_000L;
    private static final SessionSettings SETTINGS =
            new SessionSettings(
                    Duration.ofMinutes(30),
                    Duration.ofHours(4),
                    Duration.ofMinutes(5),
                    Duration.ofMillis(200),
                    Duration.ofMinutes(1),
                    Duration.ofSeconds(1),
                    Duration.ofMillis(100));

    @Test
    void shouldSealEveryJourneyOnceWithResentEventsCountedOnce() throws Exception {
        List<SessionEvent> events = new ArrayList<>();
        for (int user = 0; user < 20; user++) {
            String visitor = "u-" + user;
            // Two visits: five page views a minute apart, 45 idle minutes, then two more.
            for (int i = 0; i < 5; i++) {
                events.add(page(events.size(), visitor, T0 + i * MINUTE, "/p" + i));
            }
            events.add(page(events.size(), visitor, T0 + 49 * MINUTE, "/feed"));
            events.add(page(events.size(), visitor, T0 + 50 * MINUTE, "/feed"));
        }
        // Clients resent ten events whose answers were lost.
        events.addAll(events.subList(0, 10));

        try (CollectingSink<SessionRow> sink = new CollectingSink<>()) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            new SessionAnalyzerJob(
                            TestSources.fromElements(
                                    TypeInformation.of(SessionEvent.class), events),
                            sink,
                            SETTINGS)
                    .buildPipeline(env);
            env.execute();

            List<SessionRow> visible = SessionTable.visible(sink.getRecords());
            assertThat(visible).hasSize(40);
            assertThat(visible).extracting(SessionRow::status).containsOnly(SessionRow.SEALED);
            assertThat(visible)
                    .filteredOn(row -> row.userId().equals("u-0"))
                    .extracting(
                            SessionRow::start,
                            SessionRow::events,
                            SessionRow::distinctPages,
                            SessionRow::entryPage,
                            SessionRow::exitPage)
                    .containsExactly(
                            tuple(T0, 5, 5, "/p0", "/p4"),
                            tuple(T0 + 49 * MINUTE, 2, 1, "/feed", "/feed"));
            assertThat(visible).extracting(SessionRow::sessionId).doesNotHaveDuplicates();
        }
    }

    @Test
    void shouldSessionizeTheCanarysEventsUnderItsOwnVisitorsBesideTheUsers() throws Exception {
        SessionEventParser parser = new SessionEventParser();
        List<SessionEvent> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            events.add(page(i, "u-" + i, T0 + i * MINUTE, "/feed"));
            // The canary's page view, one visitor per canary, under the same id as a user's.
            events.add(
                    parser.parse(
                            String.format(
                                            "{\"event_id\":\"0190f1c2-7a3b-7cde-8f02-%012d\","
                                                + "\"event_type\":\"user.page_viewed\","
                                                + "\"canary\":true,\"user_id\":\"u-%d\","
                                                + "\"event_time\":\"%s\","
                                                + "\"context\":{\"page\":{\"path\":\"/canary\"}}}",
                                            i, i, Instant.ofEpochMilli(T0 + i * MINUTE))
                                    .getBytes(StandardCharsets.UTF_8)));
        }

        try (CollectingSink<SessionRow> sink = new CollectingSink<>()) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            new SessionAnalyzerJob(
                            TestSources.fromElements(
                                    TypeInformation.of(SessionEvent.class), events),
                            sink,
                            SETTINGS)
                    .buildPipeline(env);
            env.execute();

            List<SessionRow> visible = SessionTable.visible(sink.getRecords());
            // Each canary a session of its own, reported and sealed like a user's, apart from it.
            assertThat(visible)
                    .extracting(SessionRow::userId, SessionRow::events, SessionRow::entryPage)
                    .containsExactlyInAnyOrder(
                            tuple("u-0", 1, "/feed"),
                            tuple("u-1", 1, "/feed"),
                            tuple("u-2", 1, "/feed"),
                            tuple("CANARY:u-0", 1, "/canary"),
                            tuple("CANARY:u-1", 1, "/canary"),
                            tuple("CANARY:u-2", 1, "/canary"));
            assertThat(visible).extracting(SessionRow::status).containsOnly(SessionRow.SEALED);
        }
    }

    @Test
    void shouldTakeItsSettingsFromFlagsAndRefuseBadOnes() {
        SessionSettings settings =
                SessionAnalyzerJob.settings(
                        JobFlags.parse(
                                new String[] {"--gap-ms", "60000", "--allowed-lateness-ms", "0"},
                                SessionAnalyzerJob.OPTIONS));
        assertThat(settings.gap()).isEqualTo(Duration.ofMinutes(1));
        assertThat(settings.allowedLateness()).isZero();
        assertThat(settings.maxLength()).isEqualTo(SessionSettings.DEFAULT_MAX_LENGTH);

        assertThatThrownBy(
                        () ->
                                SessionAnalyzerJob.settings(
                                        JobFlags.parse(
                                                new String[] {"--gap-ms", "soon"},
                                                SessionAnalyzerJob.OPTIONS)))
                .hasMessageContaining("gap-ms");
        assertThatThrownBy(
                        () ->
                                SessionAnalyzerJob.settings(
                                        JobFlags.parse(
                                                new String[] {"--max-length-ms", "60000"},
                                                SessionAnalyzerJob.OPTIONS)))
                .hasMessageContaining("maxLength");
    }

    @Test
    void shouldGiveEveryOperatorAUid() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new SessionAnalyzerJob(
                        TestSources.fromElements(TypeInformation.of(SessionEvent.class), List.of()),
                        new CollectingSink<>(),
                        SETTINGS)
                .buildPipeline(env);

        assertThat(env.getStreamGraph().getStreamNodes())
                .extracting(StreamNode::getTransformationUID)
                .contains(
                        SessionAnalyzerJob.SOURCE_UID,
                        SessionAnalyzerJob.SESSIONIZE_UID,
                        SessionAnalyzerJob.SINK_UID);
    }

    private static SessionEvent page(int id, String visitor, long time, String path) {
        return new SessionEvent(
                String.format("0190f1c2-7a3b-7cde-8f01-%012d", id),
                visitor,
                "",
                time,
                "user.page_viewed",
                path,
                "desktop",
                "Linux",
                "FR");
    }
}
