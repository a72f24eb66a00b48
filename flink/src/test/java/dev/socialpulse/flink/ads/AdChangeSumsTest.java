package dev.socialpulse.flink.ads;

import static dev.socialpulse.flink.ads.AdFixtures.SETTINGS;
import static dev.socialpulse.flink.ads.AdFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Stage 4: changes summed per row and emitted every flush interval ({@link SumChanges}). */
@Tag("component")
class AdChangeSumsTest {

    private static final AdRow ROW =
            new AdRow(T0, "c-1", "ad-1", "mobile", "iOS", "DE", "25-34", "female", "EUR");
    private static final AdRow OTHER_ROW = ROW.withCurrency("USD");

    private KeyedOneInputStreamOperatorTestHarness<AdRow, AdChange, AdChange> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new SumChanges(SETTINGS), AdChange::row, TypeInformation.of(AdRow.class));
        harness.setProcessingTime(10_250);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void shouldSumEachRowsChangesAndEmitThemAtTheNextFlushBoundary() throws Exception {
        send(AdChange.impression(ROW, "u-2", 1_500));
        send(AdChange.impression(ROW, "u-1", 1_500));
        send(AdChange.impression(ROW, "u-2", 2_000));
        send(AdChange.click(ROW, 40_000, false));
        send(AdChange.attributedClick(ROW));
        send(AdChange.conversion(OTHER_ROW, 25_000_000));
        send(AdChange.unattributedConversion(OTHER_ROW, 7_000_000, 1));
        harness.setProcessingTime(10_999);
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.setProcessingTime(11_000);

        assertThat(harness.extractOutputValues())
                .containsExactlyInAnyOrder(
                        new AdChange(
                                ROW,
                                3,
                                1,
                                1,
                                0,
                                0,
                                45_000,
                                0,
                                0,
                                new String[] {"u-1", "u-2"},
                                11_000),
                        new AdChange(
                                OTHER_ROW,
                                0,
                                0,
                                0,
                                1,
                                1,
                                0,
                                25_000_000,
                                7_000_000,
                                new String[0],
                                11_000));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldStartEachFlushIntervalFromNothing() throws Exception {
        send(AdChange.impression(ROW, "u-1", 1_500));
        harness.setProcessingTime(11_000);
        send(AdChange.impression(ROW, "u-1", 1_500));
        harness.setProcessingTime(12_000);

        assertThat(harness.extractOutputValues())
                .extracting(AdChange::impressions, AdChange::spendMicros, AdChange::changedAt)
                .containsExactly(tuple(1L, 1_500L, 11_000L), tuple(1L, 1_500L, 12_000L));
    }

    @Test
    void shouldNotEmitARowWhoseChangesCancelOut() throws Exception {
        send(AdChange.unattributedConversion(ROW, 25_000_000, 1));
        send(AdChange.unattributedConversion(ROW, 25_000_000, -1));
        harness.setProcessingTime(11_000);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void shouldEmitWhatIsLeftWhenTheInputEnds() throws Exception {
        send(AdChange.impression(ROW, "a:v-1", 1_500));
        harness.processWatermark(Long.MAX_VALUE);

        assertThat(harness.extractOutputValues())
                .containsExactly(
                        new AdChange(
                                ROW, 1, 0, 0, 0, 0, 1_500, 0, 0, new String[] {"a:v-1"}, 10_250));
    }

    private void send(AdChange change) throws Exception {
        harness.processElement(change, 0);
    }
}
