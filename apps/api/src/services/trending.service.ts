import { Inject, Injectable } from '@nestjs/common';
import { createLogger } from '@social-pulse/observability';
import { answerEnvelope, type AnswerEnvelope, type AnswerSource } from '@social-pulse/shared';
import { trendingAnswer } from '../answers/dashboard-answers';
import { API_CONFIG, type ApiConfig } from '../config';
import {
  mapTopicHistoryRows,
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
 * Trending topics from Redis first. The answer refresh workflows recompute each window's top list
 * from ClickHouse and rewrite its key (precomputed-answers.ts), so a request reads Redis and never
 * waits for ClickHouse; only a cold key (first start, Redis flushed, refresher down) falls through
 * to ClickHouse. Redis keeps the snapshot; its age, source and staleness are decided per request.
 */
@Injectable()
export class TrendingService {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly redis: RedisRepository,
    private readonly clickhouse: ClickHouseRepository,
  ) {}

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

  /** Recomputes one window's list on a cold key and caches it for TRENDING_CACHE_TTL_SECONDS. */
  async refresh(window: TrendingWindow): Promise<TrendingSnapshot> {
    const snapshot = await trendingAnswer(this.clickhouse, window);
    await this.redis
      .setTrending(window, snapshot, this.config.TRENDING_CACHE_TTL_SECONDS)
      .catch((error: Error) => logger.warn({ error: error.message }, 'could not cache trending topics'));
    return snapshot;
  }
}

function slice(snapshot: TrendingSnapshot, limit: number): TrendingSnapshot {
  return { ...snapshot, data: { ...snapshot.data, topics: snapshot.data.topics.slice(0, limit) } };
}

function envelope(window: TrendingWindow, snapshot: TrendingSnapshot, source: AnswerSource) {
  return answerEnvelope(snapshot, { source, staleAfterMs: trendingStaleAfterMs(window) });
}
