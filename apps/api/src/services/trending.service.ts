import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { createLogger } from '@social-pulse/observability';
import { answerEnvelope, TRENDING_HORIZON_LABELS, type AnswerEnvelope, type AnswerSource } from '@social-pulse/shared';
import { API_CONFIG, type ApiConfig } from '../config';
import {
  MAX_TRENDING_LIMIT,
  mapTopicHistoryRows,
  mapTrendingRows,
  trendingStaleAfterMs,
  type TopicHistoryDataDto,
  type TopicHistoryQuery,
  type TrendingDataDto,
  type TrendingQuery,
  type TrendingSnapshot,
  type TrendingWindow,
} from '../dtos/trending.dto';
import { ClickHouseRepository } from '../repositories/clickhouse.repository';
import { RedisRepository } from '../repositories/redis.repository';
import { apiMetrics } from './api.metrics';

const logger = createLogger('api');

/**
 * Trending topics from Redis first. A background loop recomputes each window's top list from
 * ClickHouse and rewrites its key, so a request reads Redis and never waits for ClickHouse;
 * only a cold key (first start, Redis flushed) falls through to ClickHouse. Redis keeps the
 * snapshot; its age, source and staleness are decided per request (AnswerEnvelope).
 */
@Injectable()
export class TrendingService implements OnModuleInit, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private refreshing = false;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly redis: RedisRepository,
    private readonly clickhouse: ClickHouseRepository,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.refreshAll(), this.config.TRENDING_REFRESH_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async get({ window, limit }: TrendingQuery): Promise<AnswerEnvelope<TrendingDataDto>> {
    const cached = await this.redis.getTrending(window).catch(() => null);
    if (cached) {
      apiMetrics.cacheLookups.inc({ result: 'hit' });
      return envelope(window, slice(cached, limit), 'redis');
    }
    apiMetrics.cacheLookups.inc({ result: 'miss' });
    return envelope(window, slice(await this.refresh(window), limit), 'clickhouse');
  }

  /** A topic's per-minute score and mentions in one horizon, straight from ClickHouse (not a hot key). */
  async history({ topic, window, minutes }: TopicHistoryQuery): Promise<AnswerEnvelope<TopicHistoryDataDto>> {
    const since = new Date(Date.now() - minutes * 60_000);
    const rows = await this.clickhouse.topicHistory(window, topic, since);
    return answerEnvelope(mapTopicHistoryRows(topic, window, rows), {
      source: 'clickhouse',
      staleAfterMs: trendingStaleAfterMs(window),
    });
  }

  /** Recomputes one window's list and stores it with a TTL that outlives a few refresh periods. */
  async refresh(window: TrendingWindow): Promise<TrendingSnapshot> {
    const rows = await this.clickhouse.latestTrending(window, MAX_TRENDING_LIMIT);
    const snapshot = mapTrendingRows(window, rows);
    await this.redis
      .setTrending(window, snapshot, this.config.TRENDING_CACHE_TTL_SECONDS)
      .catch((error: Error) => logger.warn({ error: error.message }, 'could not cache trending topics'));
    return snapshot;
  }

  private async refreshAll(): Promise<void> {
    if (this.refreshing) return; // a slow ClickHouse must not pile up refreshes
    this.refreshing = true;
    try {
      await Promise.all(TRENDING_HORIZON_LABELS.map((window) => this.refresh(window)));
    } catch (error) {
      apiMetrics.refreshFailures.inc();
      logger.warn({ error: (error as Error).message }, 'trending refresh failed; serving the cached answer');
    } finally {
      this.refreshing = false;
    }
  }
}

function slice(snapshot: TrendingSnapshot, limit: number): TrendingSnapshot {
  return { ...snapshot, data: { ...snapshot.data, topics: snapshot.data.topics.slice(0, limit) } };
}

function envelope(window: TrendingWindow, snapshot: TrendingSnapshot, source: AnswerSource) {
  return answerEnvelope(snapshot, { source, staleAfterMs: trendingStaleAfterMs(window) });
}
