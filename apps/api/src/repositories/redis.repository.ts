import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { API_CONFIG, type ApiConfig } from '../config';
import { ANSWER_UPDATES_CHANNEL, type AnswerSnapshot } from '@social-pulse/shared';
import type { AdsCampaignsQuery } from '../dtos/ads-campaigns.dto';
import type { AdsPerformanceQuery } from '../dtos/ads-performance.dto';
import type { EngagementSummaryQuery } from '../dtos/engagement-summary.dto';
import type { TrendingWindow } from '../dtos/trending.dto';
import type { UserSessionsQuery } from '../dtos/user-sessions.dto';
import { timeCommand } from './store.metrics';

/** The key of a cached answer, made only by the functions below: one request shape, one key. */
export type AnswerKey = string & { readonly __answerKey: unique symbol };

/** v2: the snapshot of issue 10 (score parts, data time, generation); a v1 answer is never misread. */
export const trendingKey = (window: TrendingWindow) => `pulse:trending:v2:${window}` as AnswerKey;

/** Where an answer's last good copy is kept, beyond its key's TTL, for when ClickHouse fails. */
export const lastGoodKey = (key: AnswerKey) => `pulse:last-good:${key}`;

/** v1 of the engagement answers (issue 11); bump it when a snapshot's shape changes. */
const ENGAGEMENT_PREFIX = 'pulse:engagement:v1';

/** The summary's resolved range (whole periods), so requests within one period share the key. */
export const engagementSummaryKey = (query: EngagementSummaryQuery) =>
  `${ENGAGEMENT_PREFIX}:summary:${query.interval}:${query.group_by ?? '-'}:${query.from.toISOString()}:${query.to.toISOString()}` as AnswerKey;

export const liveEngagementKey = () => `${ENGAGEMENT_PREFIX}:live` as AnswerKey;

/** The user id goes last and encoded: whatever it holds, it cannot run into the other fields. */
export const userSessionsKey = (query: UserSessionsQuery) =>
  `${ENGAGEMENT_PREFIX}:user-sessions:${query.from.toISOString()}:${query.to.toISOString()}:${query.limit}:${encodeURIComponent(query.user_id)}` as AnswerKey;

/** v1 of the ads answers (issue 12); bump it when a snapshot's shape changes. */
const ADS_PREFIX = 'pulse:ads:v1';

/**
 * The resolved range (whole periods) and the canonical group list; the ids go last and encoded, an
 * absent one as '' (an id is never empty), so that no id can pass for another request.
 */
export const adsPerformanceKey = (query: AdsPerformanceQuery) =>
  `${ADS_PREFIX}:performance:${query.interval}:${query.group_by.join(',') || '-'}:${query.from.toISOString()}:${query.to.toISOString()}:${encodeURIComponent(query.campaign_id ?? '')}:${encodeURIComponent(query.ad_id ?? '')}` as AnswerKey;

export const adsCampaignsKey = (query: AdsCampaignsQuery) =>
  `${ADS_PREFIX}:campaigns:${query.grain}:${query.from.toISOString()}:${query.to.toISOString()}:${query.limit}` as AnswerKey;

/**
 * The API's one Redis connection (the worker's refresh activities use it too). Commands fail
 * rather than queue while Redis is away, and, with REDIS_TIMEOUT_MS, when it does not answer: the
 * API then answers from ClickHouse. Every command is timed (pulse_redis_command_duration_seconds).
 */
@Injectable()
export class RedisRepository implements OnModuleDestroy {
  private readonly client: Redis;
  private readonly lastGoodSeconds: number;

  constructor(
    @Inject(API_CONFIG)
    config: Pick<ApiConfig, 'REDIS_URL' | 'ANSWER_MAX_STALE_SECONDS'> & Partial<Pick<ApiConfig, 'REDIS_TIMEOUT_MS'>>,
  ) {
    this.client = new Redis(config.REDIS_URL, {
      lazyConnect: false,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      commandTimeout: config.REDIS_TIMEOUT_MS,
    });
    this.lastGoodSeconds = config.ANSWER_MAX_STALE_SECONDS;
    // Errors surface through readiness and failed requests; without a listener ioredis logs each retry.
    this.client.on('error', () => undefined);
  }

  /** A cached answer, or null when the key is cold. Rejects when Redis fails. */
  async getAnswer<T>(key: AnswerKey): Promise<AnswerSnapshot<T> | null> {
    return parsed<T>(await timeCommand('get', () => this.client.get(key)));
  }

  /** An answer's last good copy, kept ANSWER_MAX_STALE_SECONDS past its key; null when there is none. */
  async getLastGoodAnswer<T>(key: AnswerKey): Promise<AnswerSnapshot<T> | null> {
    return parsed<T>(await timeCommand('get', () => this.client.get(lastGoodKey(key))));
  }

  /** Stores an answer for ttlSeconds, and its last good copy. Rejects when Redis fails. */
  async setAnswer<T>(key: AnswerKey, snapshot: AnswerSnapshot<T>, ttlSeconds: number): Promise<void> {
    await this.exec(this.write(key, JSON.stringify(snapshot), ttlSeconds));
  }

  /**
   * Stores a pre-computed answer for keepSeconds (and its last good copy) and announces it on
   * ANSWER_UPDATES_CHANNEL, in one MULTI: a subscriber told of an update always finds it.
   */
  async publishAnswer(answer: string, key: AnswerKey, snapshot: AnswerSnapshot<unknown>, keepSeconds: number) {
    const update = { answer, key, data_time: snapshot.data_time, computed_at: snapshot.computed_at };
    await this.exec(
      this.write(key, JSON.stringify(snapshot), keepSeconds).publish(ANSWER_UPDATES_CHANNEL, JSON.stringify(update)),
    );
  }

  async ping(): Promise<boolean> {
    try {
      return (await timeCommand('ping', () => this.client.ping())) === 'PONG';
    } catch {
      return false;
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.client.disconnect();
  }

  private write(key: AnswerKey, value: string, ttlSeconds: number) {
    return this.client
      .multi()
      .set(key, value, 'EX', ttlSeconds)
      .set(lastGoodKey(key), value, 'EX', Math.max(ttlSeconds, this.lastGoodSeconds));
  }

  private exec(multi: ReturnType<Redis['multi']>): Promise<void> {
    return timeCommand('multi', async () => {
      const results = await multi.exec();
      const failed = results?.find(([error]) => error)?.[0];
      if (!results || failed) throw failed ?? new Error('the MULTI was discarded');
    });
  }
}

function parsed<T>(value: string | null): AnswerSnapshot<T> | null {
  return value ? (JSON.parse(value) as AnswerSnapshot<T>) : null;
}
