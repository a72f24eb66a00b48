package dev.socialpulse.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.socialpulse.flink.ads.AdEvent;
import dev.socialpulse.flink.ads.AdPerformanceJob;
import dev.socialpulse.flink.ads.AdPerformanceSettings;
import dev.socialpulse.flink.archive.ArchivedEvent;
import dev.socialpulse.flink.archive.DeadLetter;
import dev.socialpulse.flink.archive.EventArchiveJob;
import dev.socialpulse.flink.common.DropDuplicateEvents;
import dev.socialpulse.flink.common.EventTimeLag;
import dev.socialpulse.flink.sessions.SessionAnalyzerJob;
import dev.socialpulse.flink.sessions.SessionEvent;
import dev.socialpulse.flink.sessions.SessionSettings;
import dev.socialpulse.flink.testing.CollectingSink;
import dev.socialpulse.flink.testing.RecordingTaskMetricGroup;
import dev.socialpulse.flink.testing.TestSources;
import dev.socialpulse.flink.trending.TrendingTopicsJob;
import dev.socialpulse.flink.trending.records.ContentEvent;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every keyed operator of every job registers the {@value EventTimeLag#METRIC} gauge (so Prometheus
 * has {@code flink_taskmanager_job_task_operator_eventTimeLagMs} for each), found in the jobs' own
 * pipelines so that an operator added later without it fails here; and the gauge follows the
 * operator's processing time and watermark.
 */
@Tag("component")
class EventTimeLagOperatorsTest {

    private static final long NOW = 1_795_000_000_000L;

    static Stream<Arguments> jobs() {
        return Stream.of(
                job(
                        TrendingTopicsJob.JOB_NAME,
                        env ->
                                new TrendingTopicsJob(
                                                noEvents(ContentEvent.class),
                                                new CollectingSink<>(),
                                                TrendingTopicsJob.Flags.parse(new String[0])
                                                        .settings())
                                        .buildPipeline(env),
                        "drop-duplicate-events",
                        "aggregate-topic-windows",
                        "rank-top-topics"),
                job(
                        SessionAnalyzerJob.JOB_NAME,
                        env ->
                                new SessionAnalyzerJob(
                                                noEvents(SessionEvent.class),
                                                new CollectingSink<>(),
                                                SessionSettings.defaults())
                                        .buildPipeline(env),
                        "sessionize"),
                job(
                        AdPerformanceJob.JOB_NAME,
                        env ->
                                new AdPerformanceJob(
                                                noEvents(AdEvent.class),
                                                new CollectingSink<>(),
                                                AdPerformanceSettings.defaults())
                                        .buildPipeline(env),
                        "resolve-visitors",
                        "tag-profiles",
                        "join-clicks",
                        "join-conversions",
                        "sum-changes"),
                // No event time (its watermark never leaves Long.MIN_VALUE): its gauge reads 0.
                job(
                        EventArchiveJob.JOB_NAME,
                        env ->
                                new EventArchiveJob(
                                                noEvents(ArchivedEvent.class),
                                                noEvents(DeadLetter.class),
                                                new CollectingSink<>(),
                                                new CollectingSink<>(),
                                                new EventArchiveJob.Settings(
                                                        Duration.ofMinutes(20),
                                                        Duration.ofSeconds(10)))
                                        .buildPipeline(env),
                        "drop-duplicate-events"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobs")
    void shouldRegisterTheLagGaugeOnEveryKeyedOperator(
            String job, Consumer<StreamExecutionEnvironment> pipeline, List<String> keyedOperators)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        pipeline.accept(env);

        List<OneInputTransformation<?, ?>> keyed = keyedOperators(env);

        assertThat(keyed)
                .extracting(Transformation::getName)
                .containsExactlyInAnyOrderElementsOf(keyedOperators);
        for (OneInputTransformation<?, ?> operator : keyed) {
            RecordingTaskMetricGroup metrics = new RecordingTaskMetricGroup();
            try (KeyedOneInputStreamOperatorTestHarness<?, ?, ?> harness =
                    harness(operator, metrics)) {
                harness.open();

                assertThat(metrics.gaugeNames())
                        .as(operator.getName())
                        .contains(EventTimeLag.METRIC);
                assertThat(metrics.gaugeValue(EventTimeLag.METRIC)).isEqualTo(0L);
            }
        }
    }

    @Test
    void shouldReportTheLagOfTheLatestEventAndKeepItWhileNoneArrives() throws Exception {
        RecordingTaskMetricGroup metrics = new RecordingTaskMetricGroup();
        DropDuplicateEvents<String> dropDuplicates =
                new DropDuplicateEvents<>(Duration.ofMinutes(1), id -> id);
        try (KeyedOneInputStreamOperatorTestHarness<Tuple2<Long, Long>, String, String> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(dropDuplicates),
                        DropDuplicateEvents.byEventId(id -> id),
                        DropDuplicateEvents.KEY_TYPE,
                        metrics.environment())) {
            harness.open();
            harness.setProcessingTime(NOW);
            harness.processElement("e-1", NOW - 5_000);
            // No watermark yet: no event time to trail.
            assertThat(metrics.gaugeValue(EventTimeLag.METRIC)).isEqualTo(0L);

            harness.processWatermark(NOW - 4_000);
            harness.setProcessingTime(NOW + 1_000);
            harness.processElement("e-2", NOW - 3_000);
            assertThat(metrics.gaugeValue(EventTimeLag.METRIC)).isEqualTo(5_000L);

            // A quiet operator keeps its last lag rather than growing one no event suffers.
            harness.setProcessingTime(NOW + 60_000);
            assertThat(metrics.gaugeValue(EventTimeLag.METRIC)).isEqualTo(5_000L);
        }
    }

    private static Arguments job(
            String name, Consumer<StreamExecutionEnvironment> pipeline, String... keyed) {
        return Arguments.of(name, pipeline, List.of(keyed));
    }

    private static <T> Source<T, ?, ?> noEvents(Class<T> type) {
        return TestSources.fromElements(TypeInformation.of(type), List.of());
    }

    /** The keyed one-input operators of the pipeline, each once. */
    private static List<OneInputTransformation<?, ?>> keyedOperators(
            StreamExecutionEnvironment env) {
        Set<OneInputTransformation<?, ?>> keyed = new LinkedHashSet<>();
        for (Transformation<?> sink : env.getTransformations()) {
            for (Transformation<?> t : sink.getTransitivePredecessors()) {
                if (t instanceof OneInputTransformation<?, ?> operator
                        && operator.getStateKeySelector() != null) {
                    keyed.add(operator);
                }
            }
        }
        return List.copyOf(keyed);
    }

    /** The job's own operator instance on a harness keyed as in the job, with recorded gauges. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static KeyedOneInputStreamOperatorTestHarness<?, ?, ?> harness(
            OneInputTransformation<?, ?> operator, RecordingTaskMetricGroup metrics)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness(
                operator.getOperator(),
                operator.getStateKeySelector(),
                operator.getStateKeyType(),
                metrics.environment());
    }
}
