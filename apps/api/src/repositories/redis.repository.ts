import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { API_CONFIG, type ApiConfig } from '../config';
import type { TrendingSnapshot, TrendingWindow } from '../dtos/trending.dto';

/** v2: the snapshot of issue 10 (score parts, data time, generation); a v1 answer is never misread. */
const trendingKey = (window: TrendingWindow) => `pulse:trending:v2:${window}`;

/** The API's one Redis connection; commands wait in a queue while Redis reconnects. */
@Injectable()
export class RedisRepository implements OnModuleDestroy {
  private readonly client: Redis;

  constructor(@Inject(API_CONFIG) config: ApiConfig) {
    this.client = new Redis(config.REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 2 });
    // Errors surface through readiness and failed requests; without a listener ioredis logs each retry.
    this.client.on('error', () => undefined);
  }

  /** The cached trending snapshot of a window, or null when the key is cold. Rejects when Redis fails. */
  async getTrending(window: TrendingWindow): Promise<TrendingSnapshot | null> {
    const cached = await this.client.get(trendingKey(window));
    return cached ? (JSON.parse(cached) as TrendingSnapshot) : null;
  }

  /** Stores a window's trending snapshot for ttlSeconds. Rejects when Redis fails. */
  async setTrending(window: TrendingWindow, snapshot: TrendingSnapshot, ttlSeconds: number): Promise<void> {
    await this.client.set(trendingKey(window), JSON.stringify(snapshot), 'EX', ttlSeconds);
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
