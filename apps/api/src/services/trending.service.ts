import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { createLogger } from '@social-pulse/observability';
import { API_CONFIG, type ApiConfig } from '../config';
import {
  MAX_TRENDING_LIMIT,
  TRENDING_WINDOWS,
  mapTrendingRows,
  type TrendingQuery,
  type TrendingResponseDto,
  type TrendingWindow,
} from '../dtos/trending.dto';
import { ClickHouseRepository } from '../repositories/clickhouse.repository';
import { RedisRepository } from '../repositories/redis.repository';
import { apiMetrics } from './api.metrics';

const logger = createLogger('api');

/**
 * Trending topics from Redis first. A background loop recomputes each window's top list from
 * ClickHouse and rewrites its key, so a request reads Redis and never waits for ClickHouse;
 * only a cold key (first start, Redis flushed) falls through to ClickHouse.
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

  async get({ window, limit }: TrendingQuery): Promise<TrendingResponseDto> {
    const cached = await this.redis.getTrending(window).catch(() => null);
    if (cached) {
      apiMetrics.cacheLookups.inc({ result: 'hit' });
      return slice(cached, limit);
    }
    apiMetrics.cacheLookups.inc({ result: 'miss' });
    return slice(await this.refresh(window), limit);
  }

  /** Recomputes one window's list and stores it with a TTL that outlives a few refresh periods. */
  async refresh(window: TrendingWindow): Promise<TrendingResponseDto> {
    const rows = await this.clickhouse.latestTrending(window, MAX_TRENDING_LIMIT);
    const answer = mapTrendingRows(window, rows, new Date());
    await this.redis
      .setTrending(window, answer, this.config.TRENDING_CACHE_TTL_SECONDS)
      .catch((error: Error) => logger.warn({ error: error.message }, 'could not cache trending topics'));
    return answer;
  }

  private async refreshAll(): Promise<void> {
    if (this.refreshing) return; // a slow ClickHouse must not pile up refreshes
    this.refreshing = true;
    try {
      await Promise.all(TRENDING_WINDOWS.map((window) => this.refresh(window)));
    } catch (error) {
      apiMetrics.refreshFailures.inc();
      logger.warn({ error: (error as Error).message }, 'trending refresh failed; serving the cached answer');
    } finally {
      this.refreshing = false;
    }
  }
}

function slice(answer: TrendingResponseDto, limit: number): TrendingResponseDto {
  return { ...answer, topics: answer.topics.slice(0, limit) };
}
