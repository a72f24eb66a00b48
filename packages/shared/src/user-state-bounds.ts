/**
 * How long the Flink jobs keep keyed state that can hold a user, after the user's last event: the
 * erasure cannot reach into running jobs' state, so it states when that state has aged out. The
 * values are the jobs' defaults (flink/, each named below; the worker passes no tuning flags, see
 * apps/worker/src/flink-job-arguments.ts); user-state-bounds.spec.ts reads them from the Java
 * sources, so a changed default fails the tests until it is changed here too.
 */
export interface UserStateBound {
  job: 'trending' | 'archive' | 'sessions' | 'ads';
  state: string;
  /** Milliseconds after the user's last event (or identify) by which the state is gone. */
  boundMs: number;
  /** Where the duration is defined: file under flink/src/main/java/dev/socialpulse/flink/ and constant(s). */
  source: string;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export const USER_STATE_BOUNDS: readonly UserStateBound[] = Object.freeze([
  {
    job: 'ads',
    state: 'profile (demographics from identify), state TTL in processing time from the last identify',
    boundMs: 30 * DAY_MS,
    source: 'ads/AdPerformanceSettings.java DEFAULT_PROFILE_TTL',
  },
  {
    job: 'ads',
    state: 'clicks awaiting conversions: the attribution window plus the allowed lateness',
    boundMs: 7 * DAY_MS + 5 * MINUTE_MS,
    source: 'ads/AdPerformanceSettings.java DEFAULT_ATTRIBUTION_WINDOW + DEFAULT_ALLOWED_LATENESS',
  },
  {
    job: 'sessions',
    state: 'open session windows: the maximum session length plus the allowed lateness (the gap is shorter)',
    boundMs: 4 * HOUR_MS + 5 * MINUTE_MS,
    source: 'sessions/SessionSettings.java DEFAULT_MAX_LENGTH + DEFAULT_ALLOWED_LATENESS',
  },
  {
    job: 'archive',
    state: 'event-id deduplication (event ids only), state TTL',
    boundMs: DAY_MS,
    source: 'archive/EventArchiveJob.java DEFAULT_DEDUP_TTL_MS',
  },
  {
    job: 'trending',
    state: 'event-id deduplication and per-author window state, state TTL',
    boundMs: 20 * MINUTE_MS,
    source: 'trending/TrendingTopicsJob.java DEFAULT_DEDUP_TTL_MS',
  },
]);

/** The longest of the bounds: after it, no job's keyed state holds the user. */
export const USER_STATE_MAX_BOUND_MS = Math.max(...USER_STATE_BOUNDS.map((b) => b.boundMs));
