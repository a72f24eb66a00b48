package dev.socialpulse.flink.ads;

import java.util.Objects;

/**
 * What a change is summed under: the key of the {@code ad_performance_changes} rows and of the
 * facts fed from them. Every text is known or {@value #UNKNOWN}, never empty.
 *
 * @param minute the UTC minute start of the event's time (for an attributed conversion, of its
 *     click's), epoch milliseconds
 * @param currency ISO 4217 of the row's money
 */
public record AdRow(
        long minute,
        String campaignId,
        String adId,
        String deviceType,
        String os,
        String country,
        String ageBand,
        String gender,
        String currency) {

    /** A dimension that is not known: counted under this, never dropped. */
    public static final String UNKNOWN = "unknown";

    private static final long MINUTE_MS = 60_000;

    public static long minuteOf(long time) {
        return time - Math.floorMod(time, MINUTE_MS);
    }

    /** {@code value}, or {@value #UNKNOWN} when empty. */
    public static String known(String value) {
        return value == null || value.isEmpty() ? UNKNOWN : value;
    }

    public AdRow withCurrency(String other) {
        return new AdRow(minute, campaignId, adId, deviceType, os, country, ageBand, gender, other);
    }

    /**
     * Spelled out because rows are keys: Flink places a key by its hash code, which must not change
     * between JVMs or a restored savepoint's state would be looked for in the wrong place. A
     * record's generated hash code is unspecified; this one is {@link Objects#hash}'s.
     */
    @Override
    public int hashCode() {
        return Objects.hash(
                minute, campaignId, adId, deviceType, os, country, ageBand, gender, currency);
    }
}
