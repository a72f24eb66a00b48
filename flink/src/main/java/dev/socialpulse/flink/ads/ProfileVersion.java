package dev.socialpulse.flink.ads;

import java.util.List;

/**
 * A user's demographics from a {@code user.identified} event on, until a later one replaces them
 * (every trait: one absent there is unknown from then on). Absent traits are empty.
 *
 * @param country where the user says they live ({@code traits.country})
 */
public record ProfileVersion(long validFrom, String ageBand, String gender, String country)
        implements Versioned<ProfileVersion> {

    /**
     * The age bands the collector accepts. A copy of {@code AGE_BANDS} in
     * packages/events/src/user-traits.ts, value for value: change both together.
     */
    public static final List<String> AGE_BANDS =
            List.of("13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+");

    /**
     * The genders the collector accepts. A copy of {@code GENDERS} in
     * packages/events/src/user-traits.ts, value for value: change both together.
     */
    public static final List<String> GENDERS =
            List.of("female", "male", "non_binary", "undisclosed");

    public static ProfileVersion of(AdEvent identify) {
        return new ProfileVersion(
                identify.eventTime(),
                identify.ageBand(),
                identify.gender(),
                identify.profileCountry());
    }

    @Override
    public boolean sameValueAs(ProfileVersion other) {
        return ageBand.equals(other.ageBand)
                && gender.equals(other.gender)
                && country.equals(other.country);
    }
}
