import { TRENDING_HORIZONS } from './trending-horizons';

/**
 * The dashboard answers that refresh workflows compute ahead of requests, and how often each is
 * refreshed: well inside the age at which the API calls it stale, and no more often than its data
 * moves. The API knows how to compute each (apps/api/src/answers/precomputed-answers.ts); the
 * schedules run each at its cadence (activities/src/schedules/platform-schedules.ts).
 */
export const PRECOMPUTED_ANSWERS: Readonly<Record<string, { refreshEveryMs: number; description: string }>> =
  Object.freeze({
    // A horizon's list changes once per slide: refreshed twice per slide, so it is at most half a
    // slide (plus the refresh's own time) behind the job; never more often than twice a second.
    ...Object.fromEntries(
      TRENDING_HORIZONS.map(({ label, slideSeconds }) => [
        `trending-${label}`,
        { refreshEveryMs: Math.max(500, slideSeconds * 500), description: `top topics of the ${label} horizon` },
      ]),
    ),
    'engagement-live': { refreshEveryMs: 1_000, description: 'sessions in progress and recent visitors' },
    'engagement-last-hour': { refreshEveryMs: 2_000, description: 'engagement per minute, last hour' },
    'engagement-last-day': {
      refreshEveryMs: 30_000,
      description: 'engagement per hour, last 24 hours, overall and by device and country',
    },
    'ads-last-hour': { refreshEveryMs: 1_000, description: 'ad performance per minute, last hour' },
    'ads-last-day': {
      refreshEveryMs: 30_000,
      description: 'ad performance per hour, last 24 hours, overall and by device',
    },
    'ads-campaigns': { refreshEveryMs: 30_000, description: 'top campaigns by spend, last 24 hours' },
  });

export type PrecomputedAnswerName = string;

export const PRECOMPUTED_ANSWER_NAMES: readonly PrecomputedAnswerName[] = Object.keys(PRECOMPUTED_ANSWERS);

/**
 * Answers refreshed more often than this run in one long-running refresher workflow, not on a
 * Schedule: a Schedule starts a workflow per run (a few hundred ms of Temporal round trips and a
 * history each), which is too coarse and too costly twice a second.
 */
export const LIVE_REFRESH_BELOW_MS = 5_000;

/** Published (Redis pub/sub) after each refreshed answer: `{ answer, key, data_time, computed_at }`. */
export const ANSWER_UPDATES_CHANNEL = 'pulse:answers:updated';

/**
 * How long an answer's last good copy may be served, marked stale, when ClickHouse cannot recompute
 * it (ANSWER_MAX_STALE_SECONDS of the API, and of the worker, which writes the copies too).
 */
export const DEFAULT_ANSWER_MAX_STALE_SECONDS = 900;
