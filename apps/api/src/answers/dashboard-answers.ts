import { mapAdsCampaigns, type AdsCampaignsQuery, type AdsCampaignsSnapshot } from '../dtos/ads-campaigns.dto';
import { mapAdsPerformance, type AdsPerformanceQuery, type AdsPerformanceSnapshot } from '../dtos/ads-performance.dto';
import {
  MAX_CANARY_ROWS,
  mapCanaryAds,
  mapCanarySessions,
  type CanaryAdsSnapshot,
  type CanarySessionsSnapshot,
} from '../dtos/canary.dto';
import { mapLiveEngagement, type LiveEngagementSnapshot } from '../dtos/engagement-live.dto';
import {
  mapEngagementSummary,
  type EngagementSummaryQuery,
  type EngagementSummarySnapshot,
} from '../dtos/engagement-summary.dto';
import { MAX_TRENDING_LIMIT, mapTrendingRows, type TrendingSnapshot, type TrendingWindow } from '../dtos/trending.dto';
import { mapUserSessions, type UserSessionsQuery, type UserSessionsSnapshot } from '../dtos/user-sessions.dto';
import type { ClickHouseRepository } from '../repositories/clickhouse.repository';

/**
 * How each dashboard answer is computed from ClickHouse: one place for the request path (on a cache
 * miss) and the refresh workflows (ahead of requests), so a pre-computed answer is the answer a
 * request would have computed. data_time and computed_at are the time ClickHouse was read, taken
 * before the query.
 */
export type AnswerQueries = Pick<
  ClickHouseRepository,
  | 'latestTrending'
  | 'engagementSummary'
  | 'sessionSummary'
  | 'liveEngagement'
  | 'userSessions'
  | 'adsPerformance'
  | 'adsCampaigns'
>;

/** More than the canaries of a 15-minute window at one every 5 s (180). */
const MAX_CANARY_TOPICS = 1000;

/** A horizon's whole top list (the request slices it to its limit). */
export async function trendingAnswer(clickhouse: AnswerQueries, window: TrendingWindow): Promise<TrendingSnapshot> {
  return mapTrendingRows(window, await clickhouse.latestTrending(window, MAX_TRENDING_LIMIT));
}

/**
 * The canary's topics of a horizon's latest window that has any, mapped as the dashboard's list is:
 * the same query with the topic filter reversed (repositories/trending-queries.ts), so what the
 * canary sees, the dashboard's read path would have read.
 */
export async function canaryTrendingAnswer(
  clickhouse: Pick<ClickHouseRepository, 'latestCanaryTopics'>,
  window: TrendingWindow,
): Promise<TrendingSnapshot> {
  return mapTrendingRows(window, await clickhouse.latestCanaryTopics(window, MAX_CANARY_TOPICS));
}

/**
 * The canary's sessions of the last minutes: `sessions` FINAL as the live engagement query reads it,
 * the canary's visitors instead of the users' (repositories/engagement-queries.ts).
 */
export async function canarySessionsAnswer(
  clickhouse: Pick<ClickHouseRepository, 'latestCanarySessions'>,
): Promise<CanarySessionsSnapshot> {
  const readAt = new Date();
  return mapCanarySessions(await clickhouse.latestCanarySessions(MAX_CANARY_ROWS), readAt);
}

/**
 * The canary campaigns' ads of the last minutes: the minute facts the ads answers read, the canary's
 * campaigns instead of the advertisers' (repositories/ads-queries.ts).
 */
export async function canaryAdsAnswer(
  clickhouse: Pick<ClickHouseRepository, 'latestCanaryAds'>,
): Promise<CanaryAdsSnapshot> {
  const readAt = new Date();
  return mapCanaryAds(await clickhouse.latestCanaryAds(MAX_CANARY_ROWS), readAt);
}

export async function engagementSummaryAnswer(
  clickhouse: AnswerQueries,
  query: EngagementSummaryQuery,
): Promise<EngagementSummarySnapshot> {
  const readAt = new Date();
  // Session metrics are per session, never per event type: that breakdown has none.
  const [engagement, sessions] = await Promise.all([
    clickhouse.engagementSummary(query),
    query.group_by === 'event_type' ? [] : clickhouse.sessionSummary(query, readAt),
  ]);
  return mapEngagementSummary(query, engagement, sessions, readAt);
}

export async function liveEngagementAnswer(clickhouse: AnswerQueries): Promise<LiveEngagementSnapshot> {
  const readAt = new Date();
  return mapLiveEngagement(await clickhouse.liveEngagement(readAt), readAt);
}

export async function userSessionsAnswer(
  clickhouse: AnswerQueries,
  query: UserSessionsQuery,
): Promise<UserSessionsSnapshot> {
  const readAt = new Date();
  return mapUserSessions(query, await clickhouse.userSessions(query), readAt);
}

export async function adsPerformanceAnswer(
  clickhouse: AnswerQueries,
  query: AdsPerformanceQuery,
): Promise<AdsPerformanceSnapshot> {
  const readAt = new Date();
  return mapAdsPerformance(query, await clickhouse.adsPerformance(query), readAt);
}

export async function adsCampaignsAnswer(
  clickhouse: AnswerQueries,
  query: AdsCampaignsQuery,
): Promise<AdsCampaignsSnapshot> {
  const readAt = new Date();
  return mapAdsCampaigns(query, await clickhouse.adsCampaigns(query), readAt);
}
