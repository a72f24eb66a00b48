package dev.socialpulse.flink.ads;

import java.util.Arrays;

/**
 * One row's changes summed since its last emission, kept in keyed state by {@link SumChanges}. A
 * Flink POJO (public fields, no-argument constructor) so that state is written field by field, not
 * by Kryo.
 */
public class AdChangeSum {

    public long impressions;
    public long clicks;
    public long attributedClicks;
    public long conversions;
    public long unattributedConversions;
    public long spendMicros;
    public long revenueMicros;
    public long unattributedRevenueMicros;

    /** The visitors reached, sorted, each once. */
    public String[] reached = new String[0];

    public AdChangeSum() {}

    public void add(AdChange change) {
        impressions += change.impressions();
        clicks += change.clicks();
        attributedClicks += change.attributedClicks();
        conversions += change.conversions();
        unattributedConversions += change.unattributedConversions();
        spendMicros += change.spendMicros();
        revenueMicros += change.revenueMicros();
        unattributedRevenueMicros += change.unattributedRevenueMicros();
        for (String visitor : change.reached()) {
            int at = Arrays.binarySearch(reached, visitor);
            if (at < 0) {
                int insert = -at - 1;
                String[] grown = new String[reached.length + 1];
                System.arraycopy(reached, 0, grown, 0, insert);
                grown[insert] = visitor;
                System.arraycopy(reached, insert, grown, insert + 1, reached.length - insert);
                reached = grown;
            }
        }
    }

    /** Nothing to write: every measure summed to zero and nobody was reached. */
    public boolean isEmpty() {
        return impressions == 0
                && clicks == 0
                && attributedClicks == 0
                && conversions == 0
                && unattributedConversions == 0
                && spendMicros == 0
                && revenueMicros == 0
                && unattributedRevenueMicros == 0
                && reached.length == 0;
    }

    public AdChange toChange(AdRow row, long changedAt) {
        return new AdChange(
                row,
                impressions,
                clicks,
                attributedClicks,
                conversions,
                unattributedConversions,
                spendMicros,
                revenueMicros,
                unattributedRevenueMicros,
                reached,
                changedAt);
    }
}
