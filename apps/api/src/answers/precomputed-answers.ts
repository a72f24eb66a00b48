import {
  PRECOMPUTED_ANSWERS,
  TRENDING_HORIZON_LABELS,
  type AnswerSnapshot,
  type PrecomputedAnswerName,
} from '@social-pulse/shared';
import { adsCampaignsQuerySchema } from '../dtos/ads-campaigns.dto';
import { ADS_INTERVAL_RULES, adsPerformanceQuerySchema, type AdsGroupBy } from '../dtos/ads-performance.dto';
import { LIVE_CACHE_TTL_SECONDS } from '../dtos/engagement-live.dto';
import {
  ENGAGEMENT_INTERVAL_RULES,
  engagementSummaryQuerySchema,
  type EngagementGroupBy,
} from '../dtos/engagement-summary.dto';
import { trendingStaleAfterMs, type TrendingWindow } from '../dtos/trending.dto';
import {
  adsCampaignsKey,
  adsPerformanceKey,
  engagementSummaryKey,
  liveEngagementKey,
  trendingKey,
  type AnswerKey,
} from '../repositories/redis.repository';
import { cachePolicy } from '../services/answer-cache';
import {
  adsCampaignsAnswer,
  adsPerformanceAnswer,
  engagementSummaryAnswer,
  liveEngagementAnswer,
  trendingAnswer,
  type AnswerQueries,
} from './dashboard-answers';

export type { AnswerQueries };

/** One request shape of a pre-computed answer: the key a request of that shape reads, and its answer. */
export interface PlannedAnswer {
  key: AnswerKey;
  /**
   * How long the written answer is kept: twice the age at which the API calls it stale, so when
   * refreshes fail the last answer is still served, marked stale, before the key goes cold.
   */
  keepSeconds: number;
  compute: (clickhouse: AnswerQueries) => Promise<AnswerSnapshot<unknown>>;
}

const keepFor = (staleAfterMs: number) => Math.ceil((2 * staleAfterMs) / 1000);

/** A request's query string as the dashboard sends it, `to` pinned to `now` (the API's default). */
const at = (now: number, params: Record<string, string> = {}) => ({ to: new Date(now).toISOString(), ...params });

function trending(window: TrendingWindow): PlannedAnswer[] {
  return [
    {
      key: trendingKey(window),
      keepSeconds: keepFor(trendingStaleAfterMs(window)),
      compute: (clickhouse) => trendingAnswer(clickhouse, window),
    },
  ];
}

function engagementSummaries(now: number, interval: 'minute' | 'hour', groups: (EngagementGroupBy | null)[]) {
  const { staleAfterMs } = cachePolicy(ENGAGEMENT_INTERVAL_RULES[interval].cacheTtlSeconds);
  return groups.map((group_by): PlannedAnswer => {
    const query = engagementSummaryQuerySchema.parse(at(now, { interval, ...(group_by ? { group_by } : {}) }));
    return {
      key: engagementSummaryKey(query),
      keepSeconds: keepFor(staleAfterMs),
      compute: (clickhouse) => engagementSummaryAnswer(clickhouse, query),
    };
  });
}

function adsSeries(now: number, interval: 'minute' | 'hour', groups: AdsGroupBy[][]) {
  const { staleAfterMs } = cachePolicy(ADS_INTERVAL_RULES[interval].cacheTtlSeconds);
  return groups.map((groupBy): PlannedAnswer => {
    const params: Record<string, string> =
      groupBy.length > 0 ? { interval, group_by: groupBy.join(',') } : { interval };
    const query = adsPerformanceQuerySchema.parse(at(now, params));
    return {
      key: adsPerformanceKey(query),
      keepSeconds: keepFor(staleAfterMs),
      compute: (clickhouse) => adsPerformanceAnswer(clickhouse, query),
    };
  });
}

/**
 * What each pre-computed answer is, as the request shapes the dashboard sends at `now`. Its keys are
 * the keys those requests read, made by the same parsers and key functions, so a request finds them.
 */
const PLANS: Record<PrecomputedAnswerName, (now: number) => PlannedAnswer[]> = {
  ...Object.fromEntries(TRENDING_HORIZON_LABELS.map((window) => [`trending-${window}`, () => trending(window)])),
  'engagement-live': () => [
    {
      key: liveEngagementKey(),
      keepSeconds: keepFor(cachePolicy(LIVE_CACHE_TTL_SECONDS).staleAfterMs),
      compute: liveEngagementAnswer,
    },
  ],
  'engagement-last-hour': (now) => engagementSummaries(now, 'minute', [null]),
  'engagement-last-day': (now) => engagementSummaries(now, 'hour', [null, 'device', 'country']),
  'ads-last-hour': (now) => adsSeries(now, 'minute', [[]]),
  'ads-last-day': (now) => adsSeries(now, 'hour', [[], ['device']]),
  'ads-campaigns': (now) => {
    const query = adsCampaignsQuerySchema.parse(at(now));
    const { staleAfterMs } = cachePolicy(ADS_INTERVAL_RULES[query.grain].cacheTtlSeconds);
    return [
      {
        key: adsCampaignsKey(query),
        keepSeconds: keepFor(staleAfterMs),
        compute: (clickhouse) => adsCampaignsAnswer(clickhouse, query),
      },
    ];
  },
};

for (const name of Object.keys(PRECOMPUTED_ANSWERS)) {
  if (!Object.hasOwn(PLANS, name)) throw new Error(`pre-computed answer ${name} has no plan in the API`);
}

/**
 * The answers of `name` to write at `now`: the shapes requested now and, when a period turns before
 * the next refresh, those of the next period too, so a dashboard's request at the turn finds its key.
 */
export function plannedAnswers(name: PrecomputedAnswerName, now: number): PlannedAnswer[] {
  const plan = PLANS[name];
  if (!plan || !Object.hasOwn(PLANS, name)) throw new Error(`unknown pre-computed answer: ${name}`);
  const next = plan(now + PRECOMPUTED_ANSWERS[name].refreshEveryMs);
  const current = plan(now);
  const keys = new Set(current.map((answer) => answer.key));
  return [...current, ...next.filter((answer) => !keys.has(answer.key))];
}
