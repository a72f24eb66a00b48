import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { ClickHouseClient } from '@clickhouse/client';
import { createClickHouse } from '@social-pulse/clickhouse';
import { trendingHorizon } from '@social-pulse/shared';
import { API_CONFIG, type ApiConfig } from '../config';
import type { AdsCampaignRow, AdsCampaignsQuery } from '../dtos/ads-campaigns.dto';
import type { AdsPerformanceQuery, AdsPerformanceRow } from '../dtos/ads-performance.dto';
import { CANARY_LOOKBACK_MS, type CanaryAdRow, type CanarySessionRow } from '../dtos/canary.dto';
import type { LiveEngagementRow } from '../dtos/engagement-live.dto';
import type { EngagementRollupRow, EngagementSummaryQuery, SessionRollupRow } from '../dtos/engagement-summary.dto';
import type { UserSessionRow, UserSessionsQuery } from '../dtos/user-sessions.dto';
import type { TopicHistoryRow, TrendingRow, TrendingWindow } from '../dtos/trending.dto';
import { adsCampaignsStatement, adsPerformanceStatement, canaryAdsStatement } from './ads-queries';
import {
  canarySessionsStatement,
  engagementSummaryStatement,
  liveEngagementStatement,
  sessionSummaryStatement,
  userSessionsStatement,
  type ClickHouseStatement,
} from './engagement-queries';
import { timeQuery } from './store.metrics';
import { latestCanaryTopicsStatement, latestTrendingStatement, topicHistoryStatement } from './trending-queries';

/**
 * The API's ClickHouse queries; every value is a bound parameter. Each is timed under its statement's
 * name (pulse_clickhouse_query_duration_seconds), in the API and in the worker's answer refresh.
 */
@Injectable()
export class ClickHouseRepository implements OnModuleDestroy {
  private readonly client: ClickHouseClient;

  constructor(@Inject(API_CONFIG) config: ApiConfig) {
    // The API's timeout (a hung server costs a request no more); the worker's refreshes keep the default.
    this.client = createClickHouse(
      { url: config.CLICKHOUSE_URL, requestTimeoutMs: config.CLICKHOUSE_TIMEOUT_MS },
      'social-pulse-api',
    );
  }

  /**
   * The top topics of the latest window of a horizon, rank order. It looks one window length back
   * first (what a running job has just written: one or two partitions); only when that is empty,
   * a stalled job, does it search the whole horizon, so the dashboard shows the last list, stale.
   */
  async latestTrending(window: TrendingWindow, limit: number): Promise<TrendingRow[]> {
    const recent = new Date(Date.now() - trendingHorizon(window).windowSeconds * 1000);
    const rows = await this.rows<TrendingRow>(latestTrendingStatement(window, limit, recent));
    return rows.length > 0 ? rows : this.rows<TrendingRow>(latestTrendingStatement(window, limit, new Date(0)));
  }

  /**
   * The canary's topics in the latest window of a horizon that has any, looking one window length
   * back only: the canary asks whether its newest event arrived, not for the last list.
   */
  async latestCanaryTopics(window: TrendingWindow, limit: number): Promise<TrendingRow[]> {
    const recent = new Date(Date.now() - trendingHorizon(window).windowSeconds * 1000);
    return this.rows<TrendingRow>(latestCanaryTopicsStatement(window, limit, recent));
  }

  /** A topic's points, oldest first, of the minutes from `since` on. */
  async topicHistory(window: TrendingWindow, topic: string, since: Date): Promise<TopicHistoryRow[]> {
    return this.rows<TopicHistoryRow>(topicHistoryStatement(window, topic, since));
  }

  /** Events, visitors and sessions per period (and group) of the summary's range. */
  async engagementSummary(query: EngagementSummaryQuery): Promise<EngagementRollupRow[]> {
    return this.rows<EngagementRollupRow>(engagementSummaryStatement(query));
  }

  /** Session metrics per period (and group): sealed sessions from the rollup, the others from `sessions`. */
  async sessionSummary(query: EngagementSummaryQuery, now: Date): Promise<SessionRollupRow[]> {
    return this.rows<SessionRollupRow>(sessionSummaryStatement(query, now));
  }

  /** Sessions in progress at `now` and the last minutes' visitors: one row. */
  async liveEngagement(now: Date): Promise<LiveEngagementRow | undefined> {
    return (await this.rows<LiveEngagementRow>(liveEngagementStatement(now)))[0];
  }

  /** A user's sessions in the range, newest first, one more than the limit. */
  async userSessions(query: UserSessionsQuery): Promise<UserSessionRow[]> {
    return this.rows<UserSessionRow>(userSessionsStatement(query));
  }

  /** The canary's sessions of the last minutes (CANARY_LOOKBACK_MS), newest first. */
  async latestCanarySessions(limit: number): Promise<CanarySessionRow[]> {
    return this.rows<CanarySessionRow>(canarySessionsStatement(new Date(Date.now() - CANARY_LOOKBACK_MS), limit));
  }

  /** The canary campaigns' ads of the last minutes' facts (CANARY_LOOKBACK_MS), newest first. */
  async latestCanaryAds(limit: number): Promise<CanaryAdRow[]> {
    return this.rows<CanaryAdRow>(canaryAdsStatement(new Date(Date.now() - CANARY_LOOKBACK_MS), limit));
  }

  /** Ad measures per period (and group) of the range, money per currency. */
  async adsPerformance(query: AdsPerformanceQuery): Promise<AdsPerformanceRow[]> {
    return this.rows<AdsPerformanceRow>(adsPerformanceStatement(query));
  }

  /** The campaigns with the most spend in the range, per currency. */
  async adsCampaigns(query: AdsCampaignsQuery): Promise<AdsCampaignRow[]> {
    return this.rows<AdsCampaignRow>(adsCampaignsStatement(query));
  }

  /** Whether ClickHouse answers; timed as the query `ping`. */
  async ping(): Promise<boolean> {
    try {
      return await timeQuery('ping', async () => {
        const result = await this.client.ping();
        if (!result.success) throw result.error;
        return true;
      });
    } catch {
      return false;
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.client.close();
  }

  /** Runs a statement and reads its rows, timed under its name up to the last row. */
  private rows<T>({ name, query, query_params }: ClickHouseStatement): Promise<T[]> {
    return timeQuery(name, async () => {
      const result = await this.client.query({ query, query_params, format: 'JSONEachRow' });
      return result.json<T>();
    });
  }
}
