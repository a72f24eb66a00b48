package dev.socialpulse.flink.trending.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.socialpulse.flink.trending.TrendingHorizon;
import dev.socialpulse.flink.trending.records.HorizonWindow;
import dev.socialpulse.flink.trending.records.Mention;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The score with hand-computed expectations, and the contract's worked checks (per minute, the 1m
 * horizon) as ranking assertions. W is computed from real author counts through {@link
 * HorizonWindow}, as the job does.
 */
@Tag("unit")
class TrendingScoreTest {

    private static final TrendingScore SCORE = TrendingScore.DEFAULTS;
    private static final TrendingHorizon ONE_MINUTE =
            new TrendingHorizon("1m", Duration.ofSeconds(60), Duration.ofSeconds(2));

    @ParameterizedTest(name = "f({0}) = {1}")
    @CsvSource({
        "0, 0.0",
        "1, 1.0",
        // 1 + ln 2
        "2, 1.6931472",
        // 1 + ln 20: just under the cap
        "20, 3.9957323",
        // 1 + ln 21 > 4: capped
        "21, 4.0",
        "1000, 4.0"
    })
    void shouldWeighAnAuthorWithDiminishingReturnsUpToTheCap(long mentions, double weight) {
        assertThat(SCORE.authorWeight(mentions)).isCloseTo(weight, within(1e-6));
    }

    @Test
    void shouldSaturateAtTheSmallestCountReachingTheCap() {
        assertThat(SCORE.saturation()).isEqualTo(21);
        assertThat(new TrendingScore(1.0, 10.0, 4.0).saturation()).isEqualTo(1);
        // 1 + ln 3 = 2.0986
        assertThat(new TrendingScore(2.0, 10.0, 4.0).saturation()).isEqualTo(3);
    }

    @Test
    void shouldComputeVelocityAndScoreWithThePrior() {
        // V = (114 + 10) / (30 + 10) = 3.1; score = ln(115) * 3.1 = 4.7449 * 3.1
        assertThat(SCORE.velocity(114.0, 30.0)).isCloseTo(3.1, within(1e-12));
        assertThat(SCORE.score(114.0, 30.0)).isCloseTo(14.7092, within(1e-4));
        // A new topic: B = 0, so V = (W + 10) / 10.
        assertThat(SCORE.velocity(5.0, 0.0)).isCloseTo(1.5, within(1e-12));
        assertThat(SCORE.score(0.0, 50.0)).isZero();
    }

    @Test
    void shouldHalveTheBaselineWeightEveryFourWindowLengths() {
        double decay = SCORE.baselineDecayPerSlide(ONE_MINUTE);

        // 4 minutes at one step per 2 s: 120 steps.
        assertThat(Math.pow(decay, 120)).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void workedCheckSteadyThousandFromThousandAuthors() {
        double w = weighted(1000, 1);
        assertThat(w).isEqualTo(1000.0);
        assertThat(SCORE.velocity(w, 1000.0)).isEqualTo(1.0);
        assertThat(SCORE.score(w, 1000.0)).isCloseTo(6.9088, within(1e-4));
    }

    @Test
    void workedCheckThirtyToHundredTwentyFromHundredAuthors() {
        // 120 mentions from 100 authors: 80 post once, 20 twice.
        double w = weighted(80, 1) + weighted(20, 2);
        assertThat(w).isCloseTo(80 + 20 * 1.6931472, within(1e-6)).isCloseTo(114, within(0.2));
        assertThat(SCORE.velocity(w, 30.0)).isCloseTo(3.0966, within(1e-4));
        assertThat(SCORE.score(w, 30.0)).isCloseTo(14.689, within(1e-3));
    }

    @Test
    void workedCheckTwoToSixFromThreeAuthors() {
        double w = weighted(3, 2);
        assertThat(w).isCloseTo(5.0794, within(1e-4));
        assertThat(SCORE.velocity(w, 2.0)).isCloseTo(1.2566, within(1e-4));
        assertThat(SCORE.score(w, 2.0)).isCloseTo(2.268, within(1e-3));
    }

    @Test
    void workedCheckSteadyThousandDoublingToTwoThousand() {
        double w = weighted(2000, 1);
        assertThat(SCORE.velocity(w, 1000.0)).isCloseTo(1.9901, within(1e-4));
        assertThat(SCORE.score(w, 1000.0)).isCloseTo(15.128, within(1e-3));
    }

    @Test
    void shouldRankTheWorkedChecksAsTheIssueRequires() {
        double steady = SCORE.score(weighted(1000, 1), 1000.0);
        double surge = SCORE.score(weighted(80, 1) + weighted(20, 2), 30.0);
        double small = SCORE.score(weighted(3, 2), 2.0);
        double doubled = SCORE.score(weighted(2000, 1), 1000.0);

        assertThat(surge).isGreaterThan(steady);
        assertThat(small).isLessThan(surge);
        assertThat(doubled).isGreaterThan(steady);
    }

    @Test
    void shouldDampOneAccountPostingATagAThousandTimesBelowFiveOneOffAuthors() {
        double spammer = SCORE.score(weighted(1, 1000), 0.0);
        double fiveAuthors = SCORE.score(weighted(5, 1), 0.0);

        // W = 4: ln 5 * 14 / 10 = 2.2532, against ln 6 * 15 / 10 = 2.6876.
        assertThat(spammer).isCloseTo(2.2532, within(1e-4));
        assertThat(fiveAuthors).isCloseTo(2.6876, within(1e-4));
        assertThat(spammer).isLessThan(fiveAuthors);
    }

    @ParameterizedTest(name = "{0}, {1}, {2}")
    @CsvSource({"0.5, 10, 4", "6.5, 10, 4", "4, 0, 4", "4, 10, 0", "4, NaN, 4"})
    void shouldRejectParametersOutOfRange(double cap, double prior, double halfLife) {
        assertThatThrownBy(() -> new TrendingScore(cap, prior, halfLife))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** W of {@code authors} authors with {@code each} mentions each. */
    private static double weighted(int authors, int each) {
        HorizonWindow window = new HorizonWindow(SCORE.saturation());
        for (int a = 0; a < authors; a++) {
            for (int m = 0; m < each; m++) {
                window.add(Mention.of("t", "u:" + a, false));
            }
        }
        assertThat(window.mentions).isEqualTo((long) authors * each);
        assertThat(window.uniqueAuthors()).isEqualTo(authors);
        return window.weightedMentions(SCORE);
    }
}
