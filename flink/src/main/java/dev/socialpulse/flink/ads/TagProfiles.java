package dev.socialpulse.flink.ads;

import dev.socialpulse.flink.common.StringHash;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.Collector;

/**
 * Keyed by visitor (after {@link ResolveVisitors}): tags each ad event with the demographics of the
 * user's profile that held at its time ({@link ProfileVersion}, from {@code user.identified}
 * events), its device and its row ({@link #tag}), and drops resent events.
 *
 * <p>A resent event (same id) is dropped while its first sighting can still be counted: ids are
 * kept until the watermark is the allowed lateness past the event's time, when a resend would be
 * too late anyway, plus {@link #RESEND_TIME_SHIFT_MS} (and at most until the visitor's next timer
 * after that, see {@link #onTime}). Keyed by visitor, the ids need no shuffle by event id, and only
 * live as long as they matter.
 */
public class TagProfiles extends AsOfLookup<ProfileVersion, TaggedAdEvent> {

    public static final String DUPLICATE_EVENTS_METRIC = "duplicateEvents";

    /**
     * The collector re-derives a resent event's time from the new batch's clock skew, so a resend
     * can be a little later than the first sighting; a minute covers any network delay.
     */
    public static final long RESEND_TIME_SHIFT_MS = 60_000;

    /** Hashes of the ids of the visitor's recent events, each with when it is forgotten. */
    private transient MapState<Long, Long> recentIds;

    private transient Counter duplicateEvents;

    public TagProfiles(AdPerformanceSettings settings) {
        super(settings, TypeInformation.of(ProfileVersion.class));
    }

    /**
     * An ad event with its row: its minute, campaign and ad, its own device and OS, and from the
     * profile age band, gender and country; {@value AdRow#UNKNOWN} for what is not known. The
     * country is the profile's when the user gave one (where they live), else the one the collector
     * derived from the request (where the event was sent from).
     *
     * @param profile the profile at the event's time, or {@code null}
     */
    public static TaggedAdEvent tag(AdEvent event, ProfileVersion profile) {
        String country =
                profile != null && !profile.country().isEmpty()
                        ? profile.country()
                        : event.country();
        AdRow row =
                new AdRow(
                        AdRow.minuteOf(event.eventTime()),
                        event.campaignId(),
                        event.adId(),
                        AdRow.known(event.deviceType()),
                        AdRow.known(event.os()),
                        AdRow.known(country),
                        AdRow.known(profile == null ? "" : profile.ageBand()),
                        AdRow.known(profile == null ? "" : profile.gender()),
                        AdRow.known(event.currency()));
        return new TaggedAdEvent(
                event.eventType(),
                event.eventId(),
                event.eventTime(),
                event.visitor(),
                event.impressionId(),
                event.clickId(),
                event.costMicros(),
                event.revenueMicros(),
                event.currency(),
                row);
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        recentIds =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "recent-event-ids", Types.LONG, Types.LONG));
        duplicateEvents = getRuntimeContext().getMetricGroup().counter(DUPLICATE_EVENTS_METRIC);
    }

    @Override
    protected ProfileVersion versionOf(AdEvent identify) {
        return ProfileVersion.of(identify);
    }

    @Override
    protected boolean admit(AdEvent event, TimerService timers) throws Exception {
        long idHash = StringHash.of(event.eventId());
        if (recentIds.contains(idHash)) {
            duplicateEvents.inc();
            return false;
        }
        long forgetAt = event.eventTime() + latenessMs + RESEND_TIME_SHIFT_MS;
        // One forget timer at a time (see onTime), not one per event: the first id sets it.
        if (recentIds.isEmpty()) {
            timers.registerEventTimeTimer(forgetAt);
        }
        recentIds.put(idHash, forgetAt);
        return true;
    }

    /**
     * Forgets the ids due by {@code time}, at every timer of the visitor (held events', profiles'
     * and the forget timer). The forget timer is set for when the first id is due, then, each time
     * it fires with ids left, for when the last of those is due: there is always one while ids are
     * kept, and a visitor's events do not each need one. An id may be kept after it is due until
     * the next timer, which changes nothing: a resend of it would be too late by then.
     */
    @Override
    protected void onTime(long time, TimerService timers) throws Exception {
        boolean forgetTimer = false;
        long lastDue = Long.MIN_VALUE;
        Iterator<Map.Entry<Long, Long>> ids = recentIds.iterator();
        while (ids.hasNext()) {
            long forgetAt = ids.next().getValue();
            if (forgetAt <= time) {
                // Only the forget timer is set for an id's time; another timer may share it.
                forgetTimer |= forgetAt == time;
                ids.remove();
            } else {
                lastDue = Math.max(lastDue, forgetAt);
            }
        }
        if (recentIds.isEmpty()) {
            // Removing through the iterator leaves an empty map behind on the heap backend.
            recentIds.clear();
        } else if (forgetTimer) {
            timers.registerEventTimeTimer(lastDue);
        }
    }

    @Override
    protected void emit(AdEvent event, ProfileVersion profile, Collector<TaggedAdEvent> out) {
        out.collect(tag(event, profile));
    }

    /** Resent events dropped by this instance (for tests). */
    long duplicateEventCount() {
        return duplicateEvents.getCount();
    }
}
