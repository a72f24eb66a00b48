package dev.socialpulse.flink.ads;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;

/**
 * Keyed by anonymous id: counts each ad event of a visitor who had not signed in for the user the
 * anonymous id was linked to at the event's time ({@link LinkVersion}, from {@code user.identified}
 * events), so that the user's profile applies and the user is reached once, whatever device. An
 * anonymous id not yet linked at that time stays its own visitor ({@code a:} and the id). A link
 * holds from the identify's time on, not before it: an event before the sign-in stays the anonymous
 * visitor's, so what an event is counted for never depends on which topic was read first.
 */
public class ResolveVisitors extends AsOfLookup<LinkVersion, AdEvent> {

    public ResolveVisitors(AdPerformanceSettings settings) {
        super(settings, TypeInformation.of(LinkVersion.class));
    }

    @Override
    protected LinkVersion versionOf(AdEvent identify) {
        return new LinkVersion(identify.eventTime(), identify.userId());
    }

    @Override
    protected void emit(AdEvent event, LinkVersion link, Collector<AdEvent> out) {
        out.collect(link == null ? event : event.withVisitor(link.userId()));
    }
}
