package dev.socialpulse.flink.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Sessionization of scripted journeys, on Flink's operator test harness. */
@Tag("component")
class SessionizeTest {

    private static final long T0 = 1_795_000_000_000L;
    private static final long MINUTE = 60_000L;
    private static final long GAP = 30 * MINUTE;
    private static final long LATENESS = 5 * MINUTE;
    private static final SessionSettings SETTINGS =
            new SessionSettings(
                    Duration.ofMillis(GAP),
                    Duration.ofHours(4),
                    Duration.ofMillis(LATENESS),
                    Duration.ofSeconds(2),
                    Duration.ZERO,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(5));

    private Sessionize sessionize;
    private KeyedOneInputStreamOperatorTestHarness<String, SessionEvent, SessionRow> harness;
    private int ids;

    @BeforeEach
    void setUp() throws Exception {
        sessionize = new Sessionize(SETTINGS);
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        sessionize, SessionEvent::visitor, Types.STRING);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void shouldEndASessionWhenTheNextEventIsExactlyTheGapLater() throws Exception {
        send(page("u1", "", T0, "/a"));
        send(page("u1", "", T0 + GAP - 1, "/b"));
        send(page("u1", "", T0 + GAP - 1 + GAP, "/c"));
        harness.processWatermark(T0 + 10 * GAP);

        List<SessionRow> sessions = sealed();
        assertThat(sessions).hasSize(2);
        SessionRow first = sessions.get(0);
        assertThat(first.start()).isEqualTo(T0);
        assertThat(first.end()).isEqualTo(T0 + GAP - 1);
        assertThat(first.events()).isEqualTo(2);
        assertThat(first.pageViews()).isEqualTo(2);
        assertThat(first.distinctPages()).isEqualTo(2);
        assertThat(first.entryPage()).isEqualTo("/a");
        assertThat(first.exitPage()).isEqualTo("/b");
        assertThat(first.bounce()).isFalse();
        SessionRow second = sessions.get(1);
        assertThat(second.start()).isEqualTo(T0 + 2 * GAP - 1);
        assertThat(second.events()).isEqualTo(1);
        assertThat(second.bounce()).isTrue();
        assertThat(SessionTable.visible(harness.extractOutputValues())).isEqualTo(sessions);
    }

    @Test
    void shouldKeepTheClientsSessionsApartEvenWithinTheGap() throws Exception {
        send(page("u1", "c1", T0, "/a"));
        send(page("u1", "c2", T0 + MINUTE, "/b"));
        send(event("u1", "c1", T0 + 2 * MINUTE, "content.liked", "/a"));
        send(page("u1", "", T0 + 3 * MINUTE, "/c"));
        harness.processWatermark(T0 + 10 * GAP);

        assertThat(sealed())
                .extracting(SessionRow::clientSessionId, SessionRow::events, SessionRow::likes)
                .containsExactlyInAnyOrder(tuple("c1", 2, 1), tuple("c2", 1, 0), tuple("", 1, 0));
    }

    @Test
    void shouldCloseASessionAtItsMaximumLength() throws Exception {
        // An event every 20 minutes for 5 hours: never idle, but sessions end at 4 hours.
        for (long at = 0; at <= 300 * MINUTE; at += 20 * MINUTE) {
            send(page("bot", "", T0 + at, "/feed"));
        }
        harness.processWatermark(T0 + 20 * GAP);

        assertThat(sealed())
                .extracting(SessionRow::start, SessionRow::end, SessionRow::events)
                .containsExactly(
                        tuple(T0, T0 + 220 * MINUTE, 12),
                        tuple(T0 + 240 * MINUTE, T0 + 300 * MINUTE, 4));
    }

    @Test
    void shouldUpdateOneRowByEarlyFiringsThenCloseAndSealIt() throws Exception {
        send(page("u1", "", T0, "/a"));
        harness.setProcessingTime(2_000);
        send(event("u1", "", T0 + MINUTE, "content.post_created", "/a"));
        harness.setProcessingTime(4_000);
        // Nothing changed: no report.
        harness.setProcessingTime(6_000);
        harness.processWatermark(T0 + MINUTE + GAP);
        harness.processWatermark(T0 + MINUTE + GAP + LATENESS);

        List<SessionRow> reports = harness.extractOutputValues();
        assertThat(reports)
                .extracting(SessionRow::status, SessionRow::revision, SessionRow::events)
                .containsExactly(
                        tuple(SessionRow.ACTIVE, 1, 1),
                        tuple(SessionRow.ACTIVE, 2, 2),
                        tuple(SessionRow.CLOSED, 3, 2),
                        tuple(SessionRow.SEALED, 4, 2));
        assertThat(reports)
                .extracting(SessionRow::sessionId)
                .containsOnly(reports.get(0).sessionId());
        assertThat(reports).extracting(SessionRow::start).containsOnly(T0);
        assertThat(SessionTable.visible(reports)).containsExactly(reports.get(3));
        assertThat(reports.get(3).postsCreated()).isEqualTo(1);
    }

    @Test
    void shouldMoveTheRowWhenAnEarlierEventArrivesOutOfOrder() throws Exception {
        send(page("u1", "", T0 + 10 * MINUTE, "/b"));
        harness.setProcessingTime(2_000);
        send(page("u1", "", T0, "/a"));
        harness.setProcessingTime(4_000);

        List<SessionRow> visible = SessionTable.visible(harness.extractOutputValues());
        assertThat(visible).hasSize(1);
        assertThat(visible.get(0).start()).isEqualTo(T0);
        assertThat(visible.get(0).entryPage()).isEqualTo("/a");
        assertThat(visible.get(0).exitPage()).isEqualTo("/b");
        assertThat(harness.extractOutputValues())
                .filteredOn(SessionRow::deleted)
                .extracting(SessionRow::start)
                .containsExactly(T0 + 10 * MINUTE);
    }

    @Test
    void shouldMergeTwoSessionsWhenAnEventBridgesTheGap() throws Exception {
        send(page("u1", "", T0, "/a"));
        send(page("u1", "", T0 + 50 * MINUTE, "/c"));
        harness.setProcessingTime(2_000);
        assertThat(SessionTable.visible(harness.extractOutputValues())).hasSize(2);
        String firstId = SessionTable.visible(harness.extractOutputValues()).get(0).sessionId();

        send(page("u1", "", T0 + 25 * MINUTE, "/b"));
        harness.setProcessingTime(4_000);

        List<SessionRow> visible = SessionTable.visible(harness.extractOutputValues());
        assertThat(visible)
                .extracting(SessionRow::sessionId, SessionRow::events, SessionRow::distinctPages)
                .containsExactly(tuple(firstId, 3, 3));
    }

    @Test
    void shouldReviseAClosedSessionWithALateEventAndCountWhatComesTooLate() throws Exception {
        send(page("u1", "", T0, "/a"));
        send(page("u1", "", T0 + 5 * MINUTE, "/b"));
        harness.processWatermark(T0 + 5 * MINUTE + GAP);
        assertThat(harness.extractOutputValues())
                .extracting(SessionRow::status, SessionRow::events)
                .containsExactly(tuple(SessionRow.CLOSED, 2));

        // Late but within the allowed lateness: the closed row is revised at once.
        send(event("u1", "", T0 + 2 * MINUTE, "content.shared", "/a"));
        assertThat(harness.extractOutputValues())
                .last()
                .extracting(SessionRow::status, SessionRow::events, SessionRow::shares)
                .containsExactly(SessionRow.CLOSED, 3, 1);

        harness.processWatermark(T0 + 5 * MINUTE + GAP + LATENESS);
        // Too late: its session is sealed and a session of its own would be past the lateness.
        send(page("u1", "", T0 + 3 * MINUTE, "/c"));

        assertThat(sealed()).extracting(SessionRow::events).containsExactly(3);
        assertThat(sessionize.tooLateEventCount()).isEqualTo(1);
        // Sealed sessions are forgotten: once the pending early firing has run, no state is left.
        harness.setProcessingTime(10_000);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void shouldCountAResentEventOnceEvenAfterItsSessionWasMerged() throws Exception {
        SessionEvent first = page("u1", "", T0, "/a");
        SessionEvent second = page("u1", "", T0 + 50 * MINUTE, "/c");
        send(first);
        send(second);
        send(page("u1", "", T0 + 25 * MINUTE, "/b"));
        // The client lost the collector's answers and resent both (the collector's receive time
        // moved their event times by a few milliseconds).
        send(withTime(first, T0 + 3));
        send(withTime(second, T0 + 50 * MINUTE + 3));
        harness.processWatermark(T0 + 10 * GAP);

        assertThat(sealed()).extracting(SessionRow::events).containsExactly(3);
        assertThat(sessionize.duplicateEventCount()).isEqualTo(2);
    }

    private static SessionEvent withTime(SessionEvent event, long time) {
        return new SessionEvent(
                event.eventId(),
                event.visitor(),
                event.clientSessionId(),
                time,
                event.eventType(),
                event.pagePath(),
                event.deviceType(),
                event.os(),
                event.country());
    }

    private List<SessionRow> sealed() {
        return harness.extractOutputValues().stream()
                .filter(row -> row.status().equals(SessionRow.SEALED))
                .sorted(Comparator.comparingLong(SessionRow::start))
                .toList();
    }

    private void send(SessionEvent event) throws Exception {
        harness.processElement(event, event.eventTime());
    }

    private SessionEvent page(String visitor, String clientSession, long time, String path) {
        return event(visitor, clientSession, time, "user.page_viewed", path);
    }

    private SessionEvent event(
            String visitor, String clientSession, long time, String type, String path) {
        ids++;
        return new SessionEvent(
                String.format("0190f1c2-7a3b-7cde-8f01-%012d", ids),
                visitor,
                clientSession,
                time,
                type,
                path,
                "mobile",
                "iOS",
                "DE");
    }
}
