import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { API_CONFIG, type ApiConfig } from '../config';
import type { TrendingResponseDto, TrendingWindow } from '../dtos/trending.dto';

const trendingKey = (window: TrendingWindow) => `pulse:trending:${window}`;

/** The API's one Redis connection; commands wait in a queue while Redis reconnects. */
@Injectable()
export class RedisRepository implements OnModuleDestroy {
  private readonly client: Redis;

  constructor(@Inject(API_CONFIG) config: ApiConfig) {
    this.client = new Redis(config.REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 2 });
    // Errors surface through readiness and failed requests; without a listener ioredis logs each retry.
    this.client.on('error', () => undefined);
  }

  /** The cached trending answer of a window, or null when the key is cold. Rejects when Redis fails. */
  async getTrending(window: TrendingWindow): Promise<TrendingResponseDto | null> {
    const cached = await this.client.get(trendingKey(window));
    return cached ? (JSON.parse(cached) as TrendingResponseDto) : null;
  }

  /** Stores a window's trending answer for ttlSeconds. Rejects when Redis fails. */
  async setTrending(window: TrendingWindow, answer: TrendingResponseDto, ttlSeconds: number): Promise<void> {
    await this.client.set(trendingKey(window), JSON.stringify(answer), 'EX', ttlSeconds);
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.client.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.client.disconnect();
  }
}
