/**
 * The closed lists of user.identified's demographic traits, so that dashboards group by a bounded
 * set. The Flink jobs and API code that read traits cite these; a Java copy must stay value for
 * value the same (say so where it is copied).
 */

/** Age in bands, never a birth date; none below 13, the youngest age the network admits. */
export const AGE_BANDS = ['13-17', '18-24', '25-34', '35-44', '45-54', '55-64', '65+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/**
 * Gender as the user states it. `undisclosed` is an answer the user chose ("prefer not to say"),
 * unlike an absent trait, which means the user was not asked.
 */
export const GENDERS = ['female', 'male', 'non_binary', 'undisclosed'] as const;
export type Gender = (typeof GENDERS)[number];
