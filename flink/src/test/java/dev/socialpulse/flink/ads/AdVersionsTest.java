package dev.socialpulse.flink.ads;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link Versions}: the versions of a link or profile over event time. */
@Tag("unit")
class AdVersionsTest {

    private static final LinkVersion U1_AT_10 = new LinkVersion(10, "u-1");
    private static final LinkVersion U2_AT_20 = new LinkVersion(20, "u-2");

    @Test
    void shouldFindTheVersionHoldingAtATimeFromItsStartOn() {
        List<LinkVersion> versions = List.of(U1_AT_10, U2_AT_20);

        assertThat(Versions.inForceAt(versions, 9)).isNull();
        assertThat(Versions.inForceAt(versions, 10)).isEqualTo(U1_AT_10);
        assertThat(Versions.inForceAt(versions, 19)).isEqualTo(U1_AT_10);
        assertThat(Versions.inForceAt(versions, 20)).isEqualTo(U2_AT_20);
        assertThat(Versions.inForceAt(List.<LinkVersion>of(), 20)).isNull();
    }

    @Test
    void shouldInsertAVersionInTimeOrderWhateverOrderItArrivesIn() {
        List<LinkVersion> versions = Versions.with(List.of(U2_AT_20), U1_AT_10);

        assertThat(versions).containsExactly(U1_AT_10, U2_AT_20);
        assertThat(Versions.with(versions, new LinkVersion(15, "u-3")))
                .containsExactly(U1_AT_10, new LinkVersion(15, "u-3"), U2_AT_20);
    }

    @Test
    void shouldAddNothingForAVersionThatRepeatsTheValueHoldingAtItsTime() {
        List<LinkVersion> versions = List.of(U1_AT_10, U2_AT_20);

        assertThat(Versions.with(versions, new LinkVersion(15, "u-1"))).isSameAs(versions);
        assertThat(Versions.with(versions, new LinkVersion(25, "u-2"))).isSameAs(versions);
        // Reaching back over the next version with its value replaces it.
        assertThat(Versions.with(versions, new LinkVersion(18, "u-2")))
                .containsExactly(U1_AT_10, new LinkVersion(18, "u-2"));
        // Of two in the same millisecond, the later arrival wins.
        assertThat(Versions.with(versions, new LinkVersion(20, "u-3")))
                .containsExactly(U1_AT_10, new LinkVersion(20, "u-3"));
    }

    @Test
    void shouldDropOnlyVersionsSupersededByTheGivenTime() {
        List<LinkVersion> versions = List.of(U1_AT_10, U2_AT_20, new LinkVersion(30, "u-3"));

        assertThat(Versions.withoutSupersededBy(versions, 19)).isSameAs(versions);
        assertThat(Versions.withoutSupersededBy(versions, 20))
                .containsExactly(U2_AT_20, new LinkVersion(30, "u-3"));
        assertThat(Versions.withoutSupersededBy(versions, 1_000))
                .containsExactly(new LinkVersion(30, "u-3"));
    }
}
