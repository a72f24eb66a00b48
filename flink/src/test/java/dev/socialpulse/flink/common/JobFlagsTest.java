package dev.socialpulse.flink.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class JobFlagsTest {

    @Test
    void shouldReadACommaSeparatedListStrippedOfBlanks() {
        JobFlags flags = JobFlags.parse(new String[] {"--topics", " a, b ,,c "}, List.of("topics"));
        assertThat(flags.list("topics", "x")).containsExactly("a", "b", "c");
        assertThat(JobFlags.parse(new String[] {}, List.of("topics")).list("topics", "x,y"))
                .containsExactly("x", "y");
    }

    @Test
    void shouldRefuseAListThatNamesNothing() {
        JobFlags flags = JobFlags.parse(new String[] {"--topics", ", ,"}, List.of("topics"));
        assertThatThrownBy(() -> flags.list("topics", "x")).hasMessageContaining("--topics");
    }
}
