package dev.socialpulse.flink.ads;

import static dev.socialpulse.flink.ads.AdFixtures.SETTINGS;
import static dev.socialpulse.flink.ads.AdFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Stage 3, before the shuffle: a join's changes summed per row in memory ({@link
 * SumChangesLocally}), on the operator harness.
 */
@Tag("component")
class AdLocalSumsTest {

    private static final AdRow ROW =
            new AdRow(T0, "c-1", "ad-1", "mobile", "iOS", "DE", "25-34", "female", "EUR");
    private static final AdRow OTHER_ROW = ROW.withCurrency("USD");

    private OneInputStreamOperatorTestHarness<AdChange, AdChange> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = new OneInputStreamOperatorTestHarness<>(new SumChangesLocally(SETTINGS));
        harness.setProcessingTime(10_250);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void shouldSumEachRowsChangesAndSendThemHalfAFlushIntervalBeforeSumChangesEmits()
            throws Exception {
        send(AdChange.impression(ROW, "u-2", 1_500));
        send(AdChange.impression(ROW, "u-1", 1_500));
        send(AdChange.impression(ROW, "u-2", 2_000));
        send(AdChange.click(ROW, 40_000, false));
        send(AdChange.attributedClick(ROW));
        send(AdChange.conversion(OTHER_ROW, 25_000_000));
        send(AdChange.unattributedConversion(OTHER_ROW, 7_000_000, 1));
        harness.setProcessingTime(10_499);
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.setProcessingTime(10_500);

        assertThat(harness.extractOutputValues())
                .containsExactlyInAnyOrder(
                        new AdChange(
                                ROW, 3, 1, 1, 0, 0, 45_000, 0, 0, new String[] {"u-1", "u-2"}, 0),
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
                                0));
    }

    @Test
    void shouldStartEachFlushIntervalFromNothing() throws Exception {
        send(AdChange.impression(ROW, "u-1", 1_500));
        harness.setProcessingTime(10_500);
        send(AdChange.impression(ROW, "u-1", 1_500));
        harness.setProcessingTime(11_500);

        assertThat(harness.extractOutputValues())
                .extracting(AdChange::impressions, AdChange::spendMicros)
                .containsExactly(tuple(1L, 1_500L), tuple(1L, 1_500L));
    }

    @Test
    void shouldSendItsSumsBeforeACheckpointBarrierAndKeepNoState() throws Exception {
        send(AdChange.impression(ROW, "u-1", 1_500));
        send(AdChange.impression(ROW, "u-2", 1_500));

        harness.prepareSnapshotPreBarrier(1);
        OperatorSubtaskState snapshot = harness.snapshot(1, 10_300);

        assertThat(harness.extractOutputValues())
                .containsExactly(
                        new AdChange(
                                ROW, 2, 0, 0, 0, 0, 3_000, 0, 0, new String[] {"u-1", "u-2"}, 0));
        assertThat(snapshot.getManagedOperatorState()).isEmpty();
        assertThat(snapshot.getManagedKeyedState()).isEmpty();
        // Nothing is held after the barrier: the timer finds nothing to send.
        harness.setProcessingTime(10_500);
        assertThat(harness.extractOutputValues()).hasSize(1);
    }

    @Test
    void shouldSendItsSumsBeforeTheFinalWatermark() throws Exception {
        send(AdChange.impression(ROW, "u-1", 1_500));

        harness.processWatermark(Long.MAX_VALUE);

        assertThat(harness.getOutput())
                .containsExactly(
                        new StreamRecord<>(
                                new AdChange(
                                        ROW, 1, 0, 0, 0, 0, 1_500, 0, 0, new String[] {"u-1"}, 0)),
                        Watermark.MAX_WATERMARK);
    }

    @Test
    void shouldHoldItsSumsAcrossOtherWatermarks() throws Exception {
        send(AdChange.impression(ROW, "u-1", 1_500));

        harness.processWatermark(T0);

        assertThat(harness.getOutput()).containsExactly(new Watermark(T0));
    }

    @Test
    void shouldSendWhatIsLeftWhenItFinishes() throws Exception {
        send(AdChange.click(ROW, 40_000, true));

        harness.getOneInputOperator().finish();

        assertThat(harness.extractOutputValues())
                .containsExactly(new AdChange(ROW, 0, 1, 1, 0, 0, 40_000, 0, 0, new String[0], 0));
    }

    @Test
    void shouldSendNothingWhenItHoldsNothing() throws Exception {
        harness.setProcessingTime(12_500);
        harness.prepareSnapshotPreBarrier(1);
        harness.processWatermark(Long.MAX_VALUE);
        harness.getOneInputOperator().finish();

        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void shouldNotSendARowWhoseChangesCancelOut() throws Exception {
        send(AdChange.unattributedConversion(ROW, 25_000_000, 1));
        send(AdChange.unattributedConversion(ROW, 25_000_000, -1));

        harness.setProcessingTime(10_500);

        assertThat(harness.extractOutputValues()).isEmpty();
    }

    private void send(AdChange change) throws Exception {
        harness.processElement(change, 0);
    }
}
