import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_TRENDING_LIMIT } from '../dtos/trending.dto';
import { startApiTestApp, TEST_CACHE_TTL_SECONDS, type ApiTestApp } from '../testing/api-test-app';
import type { LogRecord } from '../testing/recording-logger';
import { trendingRow, trendingSnapshot } from '../testing/trending.fixtures';
import { TrendingService } from './trending.service';

const logs = vi.hoisted(() => [] as LogRecord[]);
vi.mock('@social-pulse/observability', async (importOriginal) => {
  const { recordingLogger } = await import('../testing/recording-logger');
  return {
    ...(await importOriginal<typeof import('@social-pulse/observability')>()),
    createLogger: (service: string) => recordingLogger(service, logs),
  };
});

const START = new Date('2025-06-01T12:00:00.000Z');

/** Lets the promise chains a timer callback started settle, without waiting on the clock. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe(TrendingService.name, () => {
  let api: ApiTestApp;

  beforeEach(() => {
    logs.length = 0;
  });

  afterEach(async () => {
    await api.close();
    vi.useRealTimers();
  });

  describe('refresh', () => {
    beforeEach(async () => {
      api = await startApiTestApp();
    });

    it('should rewrite the cached key with the latest answer from ClickHouse', async () => {
      api.redis.seedTrending('5m', trendingSnapshot(2, '5m'));
      api.clickhouse.withTrending('5m', [trendingRow({ topic: 'fresh', mentions: '7', rank: 1 })]);

      const snapshot = await api.trending.refresh('5m');

      expect(snapshot.data.topics).toEqual([expect.objectContaining({ topic: 'fresh', mentions: 7, rank: 1 })]);
      expect(snapshot.computed_at).toBe('2025-06-01T12:01:01.250Z');
      expect(api.clickhouse.queries).toEqual([{ window: '5m', limit: MAX_TRENDING_LIMIT }]);
      expect(api.redis.writes).toEqual([{ window: '5m', snapshot, ttlSeconds: TEST_CACHE_TTL_SECONDS }]);
      const response = await api.get('/v1/trending?window=5m');
      expect(response.json()).toMatchObject({ source: 'redis', data: { topics: [{ topic: 'fresh', mentions: 7 }] } });
    });

    it('should reject and leave the cached key alone when ClickHouse fails', async () => {
      const cached = trendingSnapshot(2);
      api.redis.seedTrending('1m', cached);
      api.clickhouse.failWith(new Error('TIMEOUT'));

      await expect(api.trending.refresh('1m')).rejects.toThrow('TIMEOUT');

      expect(api.redis.writes).toEqual([]);
      expect(api.redis.store.get('1m')).toEqual(cached);
    });
  });

  describe('without requests', () => {
    beforeEach(async () => {
      vi.useFakeTimers({ toFake: ['setInterval', 'setTimeout', 'Date'], now: START });
      api = await startApiTestApp();
    });

    it('should never query ClickHouse on its own: the refresh workflows keep the keys warm', async () => {
      await vi.advanceTimersByTimeAsync(60_000);
      await settle();

      expect(api.clickhouse.queries).toEqual([]);
      expect(api.redis.writes).toEqual([]);
    });
  });
});
