package dev.socialpulse.flink.trending.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.socialpulse.flink.common.StringHash;
import dev.socialpulse.flink.trending.functions.TrendingScore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The running window's damping arithmetic and the baseline, by hand. */
@Tag("unit")
class HorizonWindowTest {

    private static final TrendingScore SCORE = TrendingScore.DEFAULTS;
    private static final long SLIDE = 2_000L;
    private static final long SIZE = 60_000L;

    /** 2^(-2 s / 4 min). */
    private static final double DECAY = Math.pow(2.0, -1.0 / 120);

    @Test
    void shouldCapEachAuthorAndCountBotsApart() {
        HorizonWindow window = new HorizonWindow(SCORE.saturation());
        mention(window, "u:a", 25);
        mention(window, "u:b", 1);
        mention(window, "u:c", 2);
        window.add(Mention.of("t", "u:bot", true));
        window.add(Mention.of("t", "u:bot", true));

        // a: capped at 4; b: 1; c: 1 + ln 2
        assertThat(window.weightedMentions(SCORE)).isCloseTo(6.6931472, within(1e-6));
        assertThat(window.mentions).isEqualTo(28);
        assertThat(window.uniqueAuthors()).isEqualTo(3);
        assertThat(window.botMentions).isEqualTo(2);
    }

    @Test
    void shouldSubtractAnExpiringPaneExactly() {
        HorizonWindow window = new HorizonWindow(SCORE.saturation());
        mention(window, "u:a", 25);
        mention(window, "u:b", 1);
        mention(window, "u:c", 2);
        AuthorCounts pane = new AuthorCounts();
        pane.authors.add(StringHash.of("u:a"), 5);
        pane.authors.add(StringHash.of("u:b"), 1);
        pane.botMentions = 0;

        window.subtract(pane);

        // a: 20 -> 1 + ln 20 (below the cap again); b gone; c: 1 + ln 2
        assertThat(window.weightedMentions(SCORE))
                .isCloseTo(1 + Math.log(20) + 1 + Math.log(2), within(1e-12));
        assertThat(window.mentions).isEqualTo(22);
        assertThat(window.uniqueAuthors()).isEqualTo(2);
        assertThat(window.authors.size()).isEqualTo(2);
        assertThat(window.authors.get(StringHash.of("u:a"))).isEqualTo(20);
        assertThat(window.authors.get(StringHash.of("u:c"))).isEqualTo(2);
    }

    @Test
    void shouldStartANewTopicsBaselineAtZeroAndFoldAWindowInOneWindowLengthLater() {
        HorizonWindow window = new HorizonWindow(SCORE.saturation());

        assertThat(window.advanceBaseline(100_000L, SLIDE, SIZE, DECAY)).isZero();
        window.recordFired(100_000L, 30.0);
        // Windows ending before 160 s overlap [100 s - 60 s, 100 s): not in their baseline.
        assertThat(window.advanceBaseline(158_000L, SLIDE, SIZE, DECAY)).isZero();
        assertThat(window.advanceBaseline(160_000L, SLIDE, SIZE, DECAY))
                .isCloseTo((1 - DECAY) * 30.0, within(1e-12));
        // Four minutes of nothing later: half of it.
        assertThat(window.advanceBaseline(400_000L, SLIDE, SIZE, DECAY))
                .isCloseTo((1 - DECAY) * 30.0 / 2, within(1e-12));
    }

    @Test
    void shouldSettleAtASteadyTopicsLevel() {
        HorizonWindow window = new HorizonWindow(SCORE.saturation());
        double baseline = 0;
        // An hour of windows with W = 30 every slide.
        for (long end = 0; end <= 3_600_000L; end += SLIDE) {
            baseline = window.advanceBaseline(end, SLIDE, SIZE, DECAY);
            window.recordFired(end, 30.0);
        }

        assertThat(baseline).isCloseTo(30.0, within(0.01));
    }

    @Test
    void shouldSkipAnIdleGapInClosedFormAsIfStepping() {
        HorizonWindow stepped = new HorizonWindow(SCORE.saturation());
        HorizonWindow jumped = new HorizonWindow(SCORE.saturation());
        for (long end = 0; end <= 20_000L; end += SLIDE) {
            stepped.advanceBaseline(end, SLIDE, SIZE, DECAY);
            jumped.advanceBaseline(end, SLIDE, SIZE, DECAY);
            stepped.recordFired(end, 10.0 + end / 1000.0);
            jumped.recordFired(end, 10.0 + end / 1000.0);
        }
        for (long end = 22_000L; end < 500_000L; end += SLIDE) {
            stepped.advanceBaseline(end, SLIDE, SIZE, DECAY);
        }

        assertThat(jumped.advanceBaseline(500_000L, SLIDE, SIZE, DECAY))
                .isCloseTo(stepped.advanceBaseline(500_000L, SLIDE, SIZE, DECAY), within(1e-9));
        assertThat(jumped.firedEnds).isEmpty();
    }

    private static void mention(HorizonWindow window, String author, int times) {
        for (int i = 0; i < times; i++) {
            window.add(Mention.of("t", author, false));
        }
    }
}
