package dev.socialpulse.flink.archive;

/**
 * One accepted event of any family as the {@code events} table keeps it: typed fields for what
 * queries filter and group by, and the rest of the event as JSON text. Times are epoch
 * milliseconds; absent texts are empty, absent times 0.
 *
 * @param eventId the event's id (a UUID: the collector accepts nothing else)
 * @param eventType e.g. {@code user.page_viewed}
 * @param family the type's prefix: {@code user}, {@code content} or {@code ad}
 * @param schemaVersion the event schema's version
 * @param userId the signed-in user, or empty for an anonymous visitor
 * @param anonymousId the visitor's anonymous id, or empty
 * @param sessionId the client's session id, or empty
 * @param eventTime when it happened, corrected for the client's clock by the collector
 * @param clientTs the time the client stamped
 * @param receivedAt when the collector received it
 * @param deviceType from the collector's user-agent parsing
 * @param os from the collector's user-agent parsing
 * @param browser from the collector's user-agent parsing
 * @param country from the collector's address lookup
 * @param bot the collector flagged the sender as a bot
 * @param pagePath {@code context.page.path}
 * @param referrer {@code context.referrer}
 * @param properties the event's properties, as JSON
 * @param context the event's context, as JSON
 */
public record ArchivedEvent(
        String eventId,
        String eventType,
        String family,
        int schemaVersion,
        String userId,
        String anonymousId,
        String sessionId,
        long eventTime,
        long clientTs,
        long receivedAt,
        String deviceType,
        String os,
        String browser,
        String country,
        boolean bot,
        String pagePath,
        String referrer,
        String properties,
        String context) {}
