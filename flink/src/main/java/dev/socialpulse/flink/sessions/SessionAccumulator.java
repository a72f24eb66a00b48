package dev.socialpulse.flink.sessions;

import dev.socialpulse.flink.common.StringHash;
import java.util.Arrays;

/**
 * One session's journey so far, kept in keyed state while the session can still change. A Flink
 * POJO (public fields, no-argument constructor) so that state is written field by field, not by
 * Kryo.
 */
public class SessionAccumulator {

    /** Distinct pages are counted exactly up to this many per session, then no further. */
    public static final int MAX_DISTINCT_PAGES = 500;

    public static final long NOT_REPORTED = Long.MIN_VALUE;

    /** The id of the event that opened the session: stable across replays of the same input. */
    public String id;

    public String clientSessionId;
    public long start = Long.MAX_VALUE;
    public long end = Long.MIN_VALUE;
    public int events;
    public int pageViews;
    public int postsCreated;
    public int likes;
    public int comments;
    public int shares;

    /** Hashes of the distinct pages, sorted. */
    public long[] pages = new long[0];

    /**
     * Hashes of the session's event ids, sorted: a resent event is dropped while the session it
     * belongs to can still change (once it is sealed, a resend is too late anyway). One array per
     * session is a fraction of the cost of a keyed state entry per id in every checkpoint.
     */
    public long[] eventIds = new long[0];

    public String entryPage = "";
    public long entryTime = Long.MAX_VALUE;
    public String exitPage = "";
    public long exitTime = Long.MIN_VALUE;

    /** Device, OS and country of the session's earliest event. */
    public String deviceType = "";

    public String os = "";
    public String country = "";
    public long contextTime = Long.MAX_VALUE;

    /** Incremented for every row reported: the sessions table keeps the highest. */
    public int revision;

    /** The start of the last reported row ({@link #NOT_REPORTED} if none): its key in the table. */
    public long reportedStart = NOT_REPORTED;

    /** Changed since it was last reported. */
    public boolean dirty;

    /** Reported as closed: later changes are reported at once, not by the early firings. */
    public boolean closed;

    public SessionAccumulator() {}

    public static SessionAccumulator open(SessionEvent first) {
        SessionAccumulator session = new SessionAccumulator();
        session.id = first.eventId();
        session.clientSessionId = first.clientSessionId();
        return session;
    }

    /**
     * Whether an event at {@code time} of this session's client session belongs here: less than
     * {@code gap} from the session, and the session would still span less than {@code maxLength}.
     */
    public boolean accepts(long time, long gapMs, long maxLengthMs) {
        return time > start - gapMs
                && time < end + gapMs
                && Math.max(end, time) - Math.min(start, time) < maxLengthMs;
    }

    /** Whether {@code other} can be merged into this one without breaking the gap or length. */
    public boolean canAbsorb(SessionAccumulator other, long gapMs, long maxLengthMs) {
        return other.start < end + gapMs
                && other.end > start - gapMs
                && Math.max(end, other.end) - Math.min(start, other.start) < maxLengthMs;
    }

    /** The session is over once the watermark reaches this: gap passed, or maximum length. */
    public long closeTime(long gapMs, long maxLengthMs) {
        return Math.min(end + gapMs, start + maxLengthMs);
    }

    /** Whether the event with this id hash ({@link #idHash}) is already in the session. */
    public boolean holds(long eventIdHash) {
        return Arrays.binarySearch(eventIds, eventIdHash) >= 0;
    }

    /** The 64-bit hash sessions keep of an event id. */
    public static long idHash(String eventId) {
        return StringHash.of(eventId);
    }

    public void add(SessionEvent event) {
        eventIds = insert(eventIds, idHash(event.eventId()), Integer.MAX_VALUE);
        long time = event.eventTime();
        start = Math.min(start, time);
        end = Math.max(end, time);
        events++;
        if (time < contextTime) {
            contextTime = time;
            deviceType = event.deviceType();
            os = event.os();
            country = event.country();
        }
        if (event.isPageView()) {
            pageViews++;
            addPage(event.pagePath());
            if (time < entryTime) {
                entryTime = time;
                entryPage = event.pagePath();
            }
            if (time >= exitTime) {
                exitTime = time;
                exitPage = event.pagePath();
            }
        }
        switch (event.eventType()) {
            case "content.post_created" -> postsCreated++;
            case "content.liked" -> likes++;
            case "content.commented" -> comments++;
            case "content.shared" -> shares++;
            default -> {}
        }
        dirty = true;
    }

    /** Takes in another session of the same visitor that an event has bridged to this one. */
    public void absorb(SessionAccumulator other) {
        start = Math.min(start, other.start);
        end = Math.max(end, other.end);
        events += other.events;
        pageViews += other.pageViews;
        postsCreated += other.postsCreated;
        likes += other.likes;
        comments += other.comments;
        shares += other.shares;
        for (long page : other.pages) {
            pages = insert(pages, page, MAX_DISTINCT_PAGES);
        }
        for (long id : other.eventIds) {
            eventIds = insert(eventIds, id, Integer.MAX_VALUE);
        }
        if (other.entryTime < entryTime) {
            entryTime = other.entryTime;
            entryPage = other.entryPage;
        }
        if (other.exitTime > exitTime) {
            exitTime = other.exitTime;
            exitPage = other.exitPage;
        }
        if (other.contextTime < contextTime) {
            contextTime = other.contextTime;
            deviceType = other.deviceType;
            os = other.os;
            country = other.country;
        }
        dirty = true;
    }

    private void addPage(String path) {
        pages = insert(pages, StringHash.of(path), MAX_DISTINCT_PAGES);
    }

    /**
     * {@code sorted} with {@code value} in its place, unless there or the array is at {@code max}.
     */
    private static long[] insert(long[] sorted, long value, int max) {
        int at = Arrays.binarySearch(sorted, value);
        if (at >= 0 || sorted.length >= max) {
            return sorted;
        }
        int insert = -at - 1;
        long[] grown = new long[sorted.length + 1];
        System.arraycopy(sorted, 0, grown, 0, insert);
        grown[insert] = value;
        System.arraycopy(sorted, insert, grown, insert + 1, sorted.length - insert);
        return grown;
    }
}
