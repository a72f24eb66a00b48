package dev.socialpulse.flink.ads;

import java.util.Arrays;
import java.util.Objects;

/**
 * A change to one row's measures: from the joins, what one event (or one restatement) adds; from
 * {@link SumChanges}, their sum over about a second, one row of {@code ad_performance_changes}.
 * Measures are signed: a restatement takes back what was counted before. Money is integer micros in
 * the row's currency.
 *
 * @param reached the visitors whose impressions the change adds, sorted, each once
 * @param changedAt when the sum was emitted (processing time); 0 before {@link SumChanges}
 */
public record AdChange(
        AdRow row,
        long impressions,
        long clicks,
        long attributedClicks,
        long conversions,
        long unattributedConversions,
        long spendMicros,
        long revenueMicros,
        long unattributedRevenueMicros,
        String[] reached,
        long changedAt) {

    private static final String[] NOBODY = new String[0];

    /** An impression: counted, its cost spent, its visitor reached. */
    public static AdChange impression(AdRow row, String visitor, long costMicros) {
        return new AdChange(row, 1, 0, 0, 0, 0, costMicros, 0, 0, new String[] {visitor}, 0);
    }

    /** A click: counted and its cost spent, attributed to its impression or not (yet). */
    public static AdChange click(AdRow row, long costMicros, boolean attributed) {
        return new AdChange(row, 0, 1, attributed ? 1 : 0, 0, 0, costMicros, 0, 0, NOBODY, 0);
    }

    /** A click counted before its impression arrived, attributed now. */
    public static AdChange attributedClick(AdRow row) {
        return new AdChange(row, 0, 0, 1, 0, 0, 0, 0, 0, NOBODY, 0);
    }

    /** A conversion credited to its click's row. */
    public static AdChange conversion(AdRow row, long revenueMicros) {
        return new AdChange(row, 0, 0, 0, 1, 0, 0, revenueMicros, 0, NOBODY, 0);
    }

    /**
     * A conversion without a known click, in its own row ({@code sign} 1), or taken back from there
     * once its click is known ({@code sign} -1).
     */
    public static AdChange unattributedConversion(AdRow row, long revenueMicros, int sign) {
        return new AdChange(row, 0, 0, 0, 0, sign, 0, 0, sign * revenueMicros, NOBODY, 0);
    }

    // The reached array is compared by content.

    @Override
    public boolean equals(Object other) {
        return other instanceof AdChange change
                && Objects.equals(row, change.row)
                && impressions == change.impressions
                && clicks == change.clicks
                && attributedClicks == change.attributedClicks
                && conversions == change.conversions
                && unattributedConversions == change.unattributedConversions
                && spendMicros == change.spendMicros
                && revenueMicros == change.revenueMicros
                && unattributedRevenueMicros == change.unattributedRevenueMicros
                && Arrays.equals(reached, change.reached)
                && changedAt == change.changedAt;
    }

    @Override
    public int hashCode() {
        return Objects.hash(row, impressions, clicks, conversions, Arrays.hashCode(reached));
    }

    @Override
    public String toString() {
        return "AdChange["
                + row
                + ", impressions="
                + impressions
                + ", clicks="
                + clicks
                + ", attributedClicks="
                + attributedClicks
                + ", conversions="
                + conversions
                + ", unattributedConversions="
                + unattributedConversions
                + ", spendMicros="
                + spendMicros
                + ", revenueMicros="
                + revenueMicros
                + ", unattributedRevenueMicros="
                + unattributedRevenueMicros
                + ", reached="
                + Arrays.toString(reached)
                + ", changedAt="
                + changedAt
                + "]";
    }
}
