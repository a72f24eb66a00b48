package dev.socialpulse.flink.smoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class SumNumbersTest {

    private final SmokeJob.SumNumbers sum = new SmokeJob.SumNumbers();

    @Test
    void shouldAddTwoNumbers() {
        assertThat(sum.reduce(2L, 3L)).isEqualTo(5L);
    }

    @Test
    void shouldSumAllNumbers() {
        long total = LongStream.rangeClosed(1, 1000).boxed().reduce(sum::reduce).orElseThrow();

        assertThat(total).isEqualTo(500_500L);
    }

    @Test
    void shouldFailInsteadOfOverflowing() {
        assertThatThrownBy(() -> sum.reduce(Long.MAX_VALUE, 1L))
                .isInstanceOf(ArithmeticException.class);
    }
}
