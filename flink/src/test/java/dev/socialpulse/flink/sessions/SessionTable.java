package dev.socialpulse.flink.sessions;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the sessions table shows for the rows a job reported: per (user, start, session id) the
 * highest revision, tombstones hiding their row (ReplacingMergeTree(revision, is_deleted) read with
 * FINAL).
 */
final class SessionTable {

    private SessionTable() {}

    static List<SessionRow> visible(List<SessionRow> reported) {
        Map<String, SessionRow> latest = new LinkedHashMap<>();
        for (SessionRow row : reported) {
            latest.merge(
                    row.userId() + "|" + row.start() + "|" + row.sessionId(),
                    row,
                    (kept, next) -> next.revision() > kept.revision() ? next : kept);
        }
        return latest.values().stream()
                .filter(row -> !row.deleted())
                .sorted(Comparator.comparing(SessionRow::userId).thenComparing(SessionRow::start))
                .toList();
    }
}
