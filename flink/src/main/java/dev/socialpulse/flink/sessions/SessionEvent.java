package dev.socialpulse.flink.sessions;

/**
 * What the Session Analyzer needs of one user or content event. Times are epoch milliseconds;
 * absent texts are empty.
 *
 * @param eventId the event's id (a UUID)
 * @param visitor whom the session belongs to: the user id, or {@code a:} and the anonymous id for a
 *     visitor who has not signed in (as the engagement rollups count visitors)
 * @param clientSessionId the SDK's session id, or empty
 * @param eventTime when it happened, as the collector corrected it
 * @param eventType e.g. {@code user.page_viewed}
 * @param pagePath {@code context.page.path}, or the screen name of {@code user.screen_viewed}
 */
public record SessionEvent(
        String eventId,
        String visitor,
        String clientSessionId,
        long eventTime,
        String eventType,
        String pagePath,
        String deviceType,
        String os,
        String country) {

    /** A page or app screen shown: what page views, entry and exit pages and bounces count. */
    public boolean isPageView() {
        return "user.page_viewed".equals(eventType) || "user.screen_viewed".equals(eventType);
    }
}
