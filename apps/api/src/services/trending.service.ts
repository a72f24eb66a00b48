import { Inject, Injectable } from '@nestjs/common';
import { answerEnvelope, type AnswerEnvelope } from '@social-pulse/shared';
import { canaryTrendingAnswer, trendingAnswer } from '../answers/dashboard-answers';
import { API_CONFIG, type ApiConfig } from '../config';
import {
  mapTopicHistoryRows,
  trendingStaleAfterMs,
  type TopicHistoryDataDto,
  type TopicHistoryQuery,
  type TrendingDataDto,
  type TrendingQuery,
  type TrendingWindow,
} from '../dtos/trending.dto';
import { ClickHouseRepository } from '../repositories/clickhouse.repository';
import { trendingKey } from '../repositories/redis.repository';
import { AnswerCache, DependencyGuards } from './answer-cache';

/**
 * Trending topics from Redis first. The answer refresh workflows recompute each window's top list
 * from ClickHouse and rewrite its key (precomputed-answers.ts), so a request reads Redis and never
 * waits for ClickHouse; only a cold key (first start, Redis flushed, refresher down) falls through
 * to ClickHouse, and is cached for TRENDING_CACHE_TTL_SECONDS. Redis keeps the whole list; a request
 * takes its limit of it.
 */
@Injectable()
export class TrendingService {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly cache: AnswerCache,
    private readonly clickhouse: ClickHouseRepository,
    private readonly guards: DependencyGuards,
  ) {}

  async get({ window, limit }: TrendingQuery): Promise<AnswerEnvelope<TrendingDataDto>> {
    const policy = { ttlSeconds: this.config.TRENDING_CACHE_TTL_SECONDS, staleAfterMs: trendingStaleAfterMs(window) };
    const answer = await this.cache.answer(trendingKey(window), policy, () => trendingAnswer(this.clickhouse, window));
    return { ...answer, data: { ...answer.data, topics: answer.data.topics.slice(0, limit) } };
  }

  /**
   * The canary's topics of the latest window it reached, straight from ClickHouse through the guard
   * the dashboard's answers use. Not through Redis: the refresh copies the same query's answer there
   * on a schedule, so the canary would time the schedule, and its topics are never in that answer.
   */
  async canary(window: TrendingWindow): Promise<AnswerEnvelope<TrendingDataDto>> {
    const snapshot = await this.guards.clickhouse.call(() => canaryTrendingAnswer(this.clickhouse, window));
    return answerEnvelope(snapshot, { source: 'clickhouse', staleAfterMs: trendingStaleAfterMs(window) });
  }

  /** A topic's per-minute score and mentions in one horizon, straight from ClickHouse (not a hot key). */
  async history({ topic, window, minutes }: TopicHistoryQuery): Promise<AnswerEnvelope<TopicHistoryDataDto>> {
    const since = new Date(Date.now() - minutes * 60_000);
    const rows = await this.guards.clickhouse.call(() => this.clickhouse.topicHistory(window, topic, since));
    return answerEnvelope(mapTopicHistoryRows(topic, window, rows), {
      source: 'clickhouse',
      staleAfterMs: trendingStaleAfterMs(window),
    });
  }
}
