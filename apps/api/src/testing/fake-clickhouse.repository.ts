import { CANARY_ID_PREFIX, CANARY_TOPIC_PREFIX } from '@social-pulse/events';
import type { AdsCampaignRow, AdsCampaignsQuery } from '../dtos/ads-campaigns.dto';
import type { AdsPerformanceQuery, AdsPerformanceRow } from '../dtos/ads-performance.dto';
import type { CanaryAdRow, CanarySessionRow } from '../dtos/canary.dto';
import type { LiveEngagementRow } from '../dtos/engagement-live.dto';
import type { EngagementRollupRow, EngagementSummaryQuery, SessionRollupRow } from '../dtos/engagement-summary.dto';
import type { TopicHistoryRow, TrendingRow, TrendingWindow } from '../dtos/trending.dto';
import type { UserSessionRow, UserSessionsQuery } from '../dtos/user-sessions.dto';
import type { ClickHouseRepository } from '../repositories/clickhouse.repository';
import type { PublicPort } from './ports';

export interface TrendingQueryCall {
  window: TrendingWindow;
  limit: number;
}

export interface HistoryQueryCall {
  window: TrendingWindow;
  topic: string;
  since: Date;
}

/** One engagement query, as the repository was asked it. */
export type EngagementQueryCall =
  | { kind: 'engagement-summary'; query: EngagementSummaryQuery }
  | { kind: 'session-summary'; query: EngagementSummaryQuery; now: Date }
  | { kind: 'live'; now: Date }
  | { kind: 'user-sessions'; query: UserSessionsQuery };

/** One ads query, as the repository was asked it. */
export type AdsQueryCall =
  { kind: 'ads-performance'; query: AdsPerformanceQuery } | { kind: 'ads-campaigns'; query: AdsCampaignsQuery };

/**
 * In-memory stand-in for ClickHouseRepository: answers each window with the rows it was given,
 * records every query, and fails on demand.
 */
export class FakeClickHouseRepository implements PublicPort<ClickHouseRepository> {
  /** Every latestTrending call, in order, whether or not it succeeded. */
  readonly queries: TrendingQueryCall[] = [];
  /** Every topicHistory call, in order. */
  readonly historyQueries: HistoryQueryCall[] = [];
  /** Every engagement query, in order. */
  readonly engagementQueries: EngagementQueryCall[] = [];
  /** Every ads query, in order. */
  readonly adsQueries: AdsQueryCall[] = [];
  /** How many times readiness asked ClickHouse. */
  pings = 0;

  private readonly rows = new Map<TrendingWindow, TrendingRow[]>();
  private readonly history = new Map<string, TopicHistoryRow[]>();
  private engagementRows: EngagementRollupRow[] = [];
  private sessionRows: SessionRollupRow[] = [];
  private liveRow: LiveEngagementRow | undefined;
  private readonly userSessionRows = new Map<string, UserSessionRow[]>();
  private adsPerformanceRows: AdsPerformanceRow[] = [];
  private adsCampaignRows: AdsCampaignRow[] = [];
  private sessionRowsOfTable: CanarySessionRow[] = [];
  private adRowsOfFacts: CanaryAdRow[] = [];
  private error: Error | null = null;
  private held: { promise: Promise<void>; release: () => void } | null = null;

  withTrending(window: TrendingWindow, rows: TrendingRow[]): this {
    this.rows.set(window, rows);
    return this;
  }

  /** The points of a topic in a window, oldest first; topicHistory answers those at or after its since. */
  withHistory(window: TrendingWindow, topic: string, rows: TopicHistoryRow[]): this {
    this.history.set(`${window}/${topic}`, rows);
    return this;
  }

  /** What engagementSummary answers, whatever the range (the real one filters in SQL). */
  withEngagementSummary(rows: EngagementRollupRow[]): this {
    this.engagementRows = rows;
    return this;
  }

  /** What sessionSummary answers, whatever the range. */
  withSessionSummary(rows: SessionRollupRow[]): this {
    this.sessionRows = rows;
    return this;
  }

  withLive(row: LiveEngagementRow | undefined): this {
    this.liveRow = row;
    return this;
  }

  /** A user's sessions, newest first; userSessions answers as many as the query's limit + 1. */
  withUserSessions(userId: string, rows: UserSessionRow[]): this {
    this.userSessionRows.set(userId, rows);
    return this;
  }

  /** What adsPerformance answers, whatever the query (the real one filters and groups in SQL). */
  withAdsPerformance(rows: AdsPerformanceRow[]): this {
    this.adsPerformanceRows = rows;
    return this;
  }

  /** What adsCampaigns answers, whatever the range and limit. */
  withAdsCampaigns(rows: AdsCampaignRow[]): this {
    this.adsCampaignRows = rows;
    return this;
  }

  /** The recent rows of `sessions` (users' and the canary's); latestCanarySessions answers the canary's. */
  withRecentSessions(rows: CanarySessionRow[]): this {
    this.sessionRowsOfTable = rows;
    return this;
  }

  /** The recent ad rows of the minute facts (users' and the canary's); latestCanaryAds answers the canary's. */
  withRecentAds(rows: CanaryAdRow[]): this {
    this.adRowsOfFacts = rows;
    return this;
  }

  /** Every query and ping fails with error until recover(). */
  failWith(error = new Error('ECONNREFUSED 127.0.0.1:8123')): this {
    this.error = error;
    return this;
  }

  recover(): this {
    this.error = null;
    return this;
  }

  /** A slow ClickHouse: queries wait (recorded, unanswered) until release(). */
  hold(): this {
    let release = () => {};
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.held = { promise, release };
    return this;
  }

  release(): this {
    this.held?.release();
    this.held = null;
    return this;
  }

  async latestTrending(window: TrendingWindow, limit: number): Promise<TrendingRow[]> {
    this.queries.push({ window, limit });
    if (this.held) await this.held.promise;
    if (this.error) throw this.error;
    return (this.rows.get(window) ?? []).slice(0, limit);
  }

  /** The canary's rows: those of the window's rows whose topic is a canary's (the real query's filter). */
  async latestCanaryTopics(window: TrendingWindow, limit: number): Promise<TrendingRow[]> {
    if (this.held) await this.held.promise;
    if (this.error) throw this.error;
    return (this.rows.get(window) ?? []).filter((row) => row.topic.startsWith(CANARY_TOPIC_PREFIX)).slice(0, limit);
  }

  /** The canary's sessions: those of the recent rows whose visitor is a canary's (the real query's filter). */
  async latestCanarySessions(limit: number): Promise<CanarySessionRow[]> {
    await this.respond();
    return structuredClone(this.sessionRowsOfTable.filter((row) => row.user_id.startsWith(CANARY_ID_PREFIX))).slice(
      0,
      limit,
    );
  }

  /** The canary's ads: those of the recent rows whose campaign is a canary's (the real query's filter). */
  async latestCanaryAds(limit: number): Promise<CanaryAdRow[]> {
    await this.respond();
    return structuredClone(this.adRowsOfFacts.filter((row) => row.campaign_id.startsWith(CANARY_ID_PREFIX))).slice(
      0,
      limit,
    );
  }

  async topicHistory(window: TrendingWindow, topic: string, since: Date): Promise<TopicHistoryRow[]> {
    this.historyQueries.push({ window, topic, since });
    if (this.held) await this.held.promise;
    if (this.error) throw this.error;
    const from = since.toISOString().slice(0, 19).replace('T', ' ');
    return (this.history.get(`${window}/${topic}`) ?? []).filter((row) => row.minute >= from);
  }

  async engagementSummary(query: EngagementSummaryQuery): Promise<EngagementRollupRow[]> {
    await this.answer({ kind: 'engagement-summary', query });
    return structuredClone(this.engagementRows);
  }

  async sessionSummary(query: EngagementSummaryQuery, now: Date): Promise<SessionRollupRow[]> {
    await this.answer({ kind: 'session-summary', query, now });
    return structuredClone(this.sessionRows);
  }

  async liveEngagement(now: Date): Promise<LiveEngagementRow | undefined> {
    await this.answer({ kind: 'live', now });
    return structuredClone(this.liveRow);
  }

  async userSessions(query: UserSessionsQuery): Promise<UserSessionRow[]> {
    await this.answer({ kind: 'user-sessions', query });
    return structuredClone((this.userSessionRows.get(query.user_id) ?? []).slice(0, query.limit + 1));
  }

  async adsPerformance(query: AdsPerformanceQuery): Promise<AdsPerformanceRow[]> {
    this.adsQueries.push({ kind: 'ads-performance', query });
    await this.respond();
    return structuredClone(this.adsPerformanceRows);
  }

  async adsCampaigns(query: AdsCampaignsQuery): Promise<AdsCampaignRow[]> {
    this.adsQueries.push({ kind: 'ads-campaigns', query });
    await this.respond();
    return structuredClone(this.adsCampaignRows);
  }

  async ping(): Promise<boolean> {
    this.pings += 1;
    if (this.held) await this.held.promise;
    return this.error === null;
  }

  async onModuleDestroy(): Promise<void> {}

  /** Records a call, then waits while held and fails while failing, like every query here. */
  private async answer(call: EngagementQueryCall): Promise<void> {
    this.engagementQueries.push(call);
    await this.respond();
  }

  /** Waits while held, and fails while failing. */
  private async respond(): Promise<void> {
    if (this.held) await this.held.promise;
    if (this.error) throw this.error;
  }
}
