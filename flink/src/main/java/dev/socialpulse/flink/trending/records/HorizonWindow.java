package dev.socialpulse.flink.trending.records;

import dev.socialpulse.flink.trending.functions.TrendingScore;
import java.util.ArrayList;
import java.util.List;

/**
 * A topic's running sliding window in one horizon, and the topic's baseline there. Kept in keyed
 * state, one per topic and horizon; a POJO so that Flink serialises it without Kryo.
 *
 * <p>The window {@code [nextEnd - H, nextEnd)} is the sum of its panes, kept incrementally: a
 * mention in it is added as it arrives, and when the window slides the expiring pane is subtracted
 * and the entering one added. W is kept exact and independent of the order of the mentions: a
 * histogram counts the authors per mention count (the last slot holds every author at or above the
 * cap's saturation), and W is summed from it in a fixed order when the window fires.
 *
 * <p>The baseline B is valid for the window ending at {@code baselineEnd}; the W of the windows
 * fired since and not yet folded into it wait in {@code firedEnds}/{@code firedWeights} (at most
 * one window length of them, only those with W > 0), because the window ending at t folds in the W
 * of the window ending at t - H.
 */
public class HorizonWindow {

    /** No window pending / no baseline yet / no clean-up scheduled. */
    public static final long NONE = Long.MIN_VALUE;

    /** End of the next window to fire, exclusive; {@link #NONE} while the topic is idle. */
    public long nextEnd = NONE;

    /** Counted mentions per author in the window. */
    public AuthorTally authors = new AuthorTally();

    /** {@code authorsAtCount[c - 1]}: authors with c mentions; the last slot: c ≥ saturation. */
    public int[] authorsAtCount = new int[0];

    public long mentions;
    public long botMentions;

    public double baseline;
    public long baselineEnd = NONE;
    public List<Long> firedEnds = new ArrayList<>();
    public List<Double> firedWeights = new ArrayList<>();

    /** The event time at which an idle topic's state for this horizon is dropped. */
    public long cleanupAt = NONE;

    public HorizonWindow() {}

    /**
     * @param saturation {@link TrendingScore#saturation()}: the histogram's size
     */
    public HorizonWindow(int saturation) {
        this.authorsAtCount = new int[saturation];
    }

    /** True when the window holds no mention at all, counted or bot-flagged. */
    public boolean isEmpty() {
        return mentions == 0 && botMentions == 0;
    }

    /** Empties the window's counts (not the baseline), to sum it again from its panes. */
    public void clearCounts() {
        authors.clear();
        java.util.Arrays.fill(authorsAtCount, 0);
        mentions = 0;
        botMentions = 0;
    }

    /** Adds one mention. */
    public void add(Mention mention) {
        if (mention.bot()) {
            botMentions++;
        } else {
            addAuthor(mention.author(), 1);
        }
    }

    /** Adds a pane entering the window. */
    public void add(AuthorCounts pane) {
        botMentions += pane.botMentions;
        pane.authors.forEach(this::addAuthor);
    }

    /** Subtracts a pane leaving the window. */
    public void subtract(AuthorCounts pane) {
        botMentions -= pane.botMentions;
        pane.authors.forEach((author, count) -> addAuthor(author, -count));
    }

    private void addAuthor(long author, int delta) {
        int before = authors.add(author, delta);
        int after = before + delta;
        if (before > 0) {
            authorsAtCount[slot(before)]--;
        }
        if (after > 0) {
            authorsAtCount[slot(after)]++;
        }
        mentions += delta;
    }

    private int slot(int count) {
        return Math.min(count, authorsAtCount.length) - 1;
    }

    /** Distinct authors of the counted mentions. */
    public int uniqueAuthors() {
        int authors = 0;
        for (int n : authorsAtCount) {
            authors += n;
        }
        return authors;
    }

    /** W = Σ f(c_a), summed per mention count in a fixed order: exact for any arrival order. */
    public double weightedMentions(TrendingScore score) {
        double weighted = 0.0;
        for (int i = 0; i < authorsAtCount.length; i++) {
            if (authorsAtCount[i] > 0) {
                weighted += authorsAtCount[i] * score.authorWeight(i + 1);
            }
        }
        return weighted;
    }

    /**
     * Moves the baseline to the window ending at {@code end}: one step {@code B ← d·B + (1 - d)·W(t
     * - H)} per slide, the steps whose W(t - H) is 0 in closed form (so an idle gap costs one
     * {@code pow}, not one step per slide).
     *
     * @return B for the window ending at {@code end}
     */
    public double advanceBaseline(long end, long slideMillis, long windowMillis, double decay) {
        if (baselineEnd == NONE) {
            // A new topic: every earlier window held nothing.
            baselineEnd = end - slideMillis;
            baseline = 0.0;
        }
        while (!firedEnds.isEmpty() && firedEnds.get(0) + windowMillis <= end) {
            long step = firedEnds.get(0) + windowMillis;
            baseline *= decayOver(decay, (step - slideMillis - baselineEnd) / slideMillis);
            baseline = decay * baseline + (1.0 - decay) * firedWeights.get(0);
            baselineEnd = step;
            firedEnds.remove(0);
            firedWeights.remove(0);
        }
        baseline *= decayOver(decay, (end - baselineEnd) / slideMillis);
        baselineEnd = end;
        return baseline;
    }

    /** d^steps; a window sliding by one step, the common case, costs no {@code pow}. */
    private static double decayOver(double decay, long steps) {
        return steps == 0 ? 1.0 : steps == 1 ? decay : Math.pow(decay, steps);
    }

    /** Remembers a fired window's W, to fold into the baseline one window length later. */
    public void recordFired(long end, double weightedMentions) {
        if (weightedMentions > 0.0) {
            firedEnds.add(end);
            firedWeights.add(weightedMentions);
        }
    }

    /** An upper bound of the baseline from now on while no mention comes: B and the W to fold. */
    public double baselineBound() {
        double bound = baseline;
        for (double weighted : firedWeights) {
            bound = Math.max(bound, weighted);
        }
        return bound;
    }
}
