package dev.socialpulse.flink.sessions;

/**
 * One row of the {@code sessions} table: a report of a session, or a tombstone that withdraws an
 * earlier report filed under another start (the session grew backwards or was merged into another).
 * The table keeps the highest revision per (user, start, session id).
 *
 * @param status {@code active} while in progress (early firings), {@code closed} once the gap or
 *     maximum length has passed (late events may still revise it), {@code sealed} when it can no
 *     longer change: only sealed rows feed the session rollups
 */
public record SessionRow(
        String userId,
        String sessionId,
        String clientSessionId,
        long start,
        long end,
        int events,
        int pageViews,
        int distinctPages,
        String entryPage,
        String exitPage,
        int postsCreated,
        int likes,
        int comments,
        int shares,
        String deviceType,
        String os,
        String country,
        boolean bounce,
        String status,
        int revision,
        boolean deleted) {

    public static final String ACTIVE = "active";
    public static final String CLOSED = "closed";
    public static final String SEALED = "sealed";

    public long durationMs() {
        return end - start;
    }

    /** The session as it stands, under its current start. */
    static SessionRow report(String userId, SessionAccumulator session, String status) {
        return new SessionRow(
                userId,
                session.id,
                session.clientSessionId,
                session.start,
                session.end,
                session.events,
                session.pageViews,
                session.pages.length,
                session.entryPage,
                session.exitPage,
                session.postsCreated,
                session.likes,
                session.comments,
                session.shares,
                session.deviceType,
                session.os,
                session.country,
                // A bounce: one page seen and nothing else done.
                session.pageViews == 1 && session.events == 1,
                status,
                session.revision,
                false);
    }

    /** Withdraws the row reported under {@code reportedStart}. */
    static SessionRow tombstone(
            String userId, SessionAccumulator session, long reportedStart, int revision) {
        return new SessionRow(
                userId,
                session.id,
                session.clientSessionId,
                reportedStart,
                reportedStart,
                0,
                0,
                0,
                "",
                "",
                0,
                0,
                0,
                0,
                "",
                "",
                "",
                false,
                ACTIVE,
                revision,
                true);
    }
}
