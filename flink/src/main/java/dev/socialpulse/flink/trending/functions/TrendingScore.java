package dev.socialpulse.flink.trending.functions;

import dev.socialpulse.flink.trending.TrendingHorizon;
import java.io.Serializable;

/**
 * The trending score of a topic in one window of a horizon H, and its parameters.
 *
 * <ul>
 *   <li>Each author with {@code c} counted mentions weighs {@code f(c) = min(1 + ln c, authorCap)}:
 *       diminishing returns, so unique authors weigh more than raw mentions.
 *   <li>{@code W = Σ f(c_a)} over the window's authors (100 authors × 1 mention = 100; 1 author ×
 *       1000 mentions = authorCap).
 *   <li>{@code B}, the baseline: an exponentially weighted average of W over the topic's earlier
 *       windows that do not overlap this one (ending at t-H, t-H-slide, ...), with a half-life of
 *       {@code baselineHalfLifeWindows} window lengths; 0 for a new topic.
 *   <li>{@code V = (W + k) / (B + k)}, {@code k = priorMentions}, and {@code score = ln(1 + W) ×
 *       V}: volume on a log scale times the velocity against the topic's own past.
 * </ul>
 *
 * @param authorCap the most one author weighs in a window; default {@value #DEFAULT_AUTHOR_CAP}: an
 *     account's weight saturates at about 20 mentions (e^3), so one account posting a tag a
 *     thousand times weighs what four one-off authors do
 * @param priorMentions k, pseudo-mentions added to W and B; default {@value
 *     #DEFAULT_PRIOR_MENTIONS}: a topic going 0 → 3 is not 3/0 = infinitely fast, small counts are
 *     not over-trusted
 * @param baselineHalfLifeWindows the baseline's half-life in window lengths of the horizon; default
 *     {@value #DEFAULT_BASELINE_HALF_LIFE_WINDOWS}: long enough that a surge does not become its
 *     own baseline within one window, short enough that a topic settled at a new level stops
 *     trending within minutes (1m horizon) to an hour (15m)
 */
public record TrendingScore(double authorCap, double priorMentions, double baselineHalfLifeWindows)
        implements Serializable {

    public static final double DEFAULT_AUTHOR_CAP = 4.0;
    public static final double DEFAULT_PRIOR_MENTIONS = 10.0;
    public static final double DEFAULT_BASELINE_HALF_LIFE_WINDOWS = 4.0;

    /**
     * The largest author cap: beyond it an account's weight saturates only after e^5 ≈ 150
     * mentions, which no longer damps, and the per-window histogram of authors grows with e^cap.
     */
    public static final double MAX_AUTHOR_CAP = 6.0;

    public static final TrendingScore DEFAULTS =
            new TrendingScore(
                    DEFAULT_AUTHOR_CAP, DEFAULT_PRIOR_MENTIONS, DEFAULT_BASELINE_HALF_LIFE_WINDOWS);

    public TrendingScore {
        if (!(authorCap >= 1.0 && authorCap <= MAX_AUTHOR_CAP)) {
            throw new IllegalArgumentException(
                    "authorCap must be between 1 and " + MAX_AUTHOR_CAP + ", got " + authorCap);
        }
        if (!(priorMentions > 0.0 && Double.isFinite(priorMentions))) {
            throw new IllegalArgumentException(
                    "priorMentions must be positive, got " + priorMentions);
        }
        if (!(baselineHalfLifeWindows > 0.0 && Double.isFinite(baselineHalfLifeWindows))) {
            throw new IllegalArgumentException(
                    "baselineHalfLifeWindows must be positive, got " + baselineHalfLifeWindows);
        }
    }

    /** f(c): the weight of one author with {@code mentions} counted mentions in the window. */
    public double authorWeight(long mentions) {
        return mentions <= 0 ? 0.0 : Math.min(1.0 + Math.log(mentions), authorCap);
    }

    /**
     * The smallest mention count at which an author's weight reaches the cap: authors at or above
     * it all weigh {@code authorCap} (21 for the default cap of 4).
     */
    public int saturation() {
        int c = 1;
        while (1.0 + Math.log(c) < authorCap) {
            c++;
        }
        return c;
    }

    /** V = (W + k) / (B + k). */
    public double velocity(double weightedMentions, double baseline) {
        return (weightedMentions + priorMentions) / (baseline + priorMentions);
    }

    /** ln(1 + W) × V. */
    public double score(double weightedMentions, double baseline) {
        return Math.log1p(weightedMentions) * velocity(weightedMentions, baseline);
    }

    /**
     * How much of the baseline is kept per slide of {@code horizon}: {@code 2^(-slide / (halfLife ×
     * window))}. One step of the baseline is {@code B ← d·B + (1 - d)·W(t - H)}.
     */
    public double baselineDecayPerSlide(TrendingHorizon horizon) {
        return Math.pow(
                2.0,
                -(double) horizon.slideMillis()
                        / (baselineHalfLifeWindows * horizon.windowMillis()));
    }
}
