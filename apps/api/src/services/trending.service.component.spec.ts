import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TRENDING_HORIZON_LABELS } from '@social-pulse/shared';
import { MAX_TRENDING_LIMIT } from '../dtos/trending.dto';
import { startApiTestApp, TEST_CACHE_TTL_SECONDS, type ApiTestApp } from '../testing/api-test-app';
import type { LogRecord } from '../testing/recording-logger';
import { trendingRow, trendingRows, trendingSnapshot } from '../testing/trending.fixtures';
import { TrendingService } from './trending.service';

const logs = vi.hoisted(() => [] as LogRecord[]);
vi.mock('@social-pulse/observability', async (importOriginal) => {
  const { recordingLogger } = await import('../testing/recording-logger');
  return {
    ...(await importOriginal<typeof import('@social-pulse/observability')>()),
    createLogger: (service: string) => recordingLogger(service, logs),
  };
});

const REFRESH_MS = 500;
const START = new Date('2025-06-01T12:00:00.000Z');
const REFRESH_FAILURES = 'api_background_refresh_failures_total';

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

  describe('background refresh', () => {
    beforeEach(async () => {
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'], now: START });
      api = await startApiTestApp({ env: { TRENDING_REFRESH_INTERVAL_MS: String(REFRESH_MS) } });
    });

    it('should not query ClickHouse before the first period', async () => {
      await vi.advanceTimersByTimeAsync(REFRESH_MS - 1);
      await settle();

      expect(api.clickhouse.queries).toEqual([]);
      expect(api.redis.writes).toEqual([]);
    });

    it('should rewrite every window each period', async () => {
      for (const window of TRENDING_HORIZON_LABELS) api.clickhouse.withTrending(window, trendingRows(3));

      await vi.advanceTimersByTimeAsync(REFRESH_MS);
      await settle();

      expect(api.clickhouse.queries).toEqual(
        TRENDING_HORIZON_LABELS.map((window) => ({ window, limit: MAX_TRENDING_LIMIT })),
      );
      expect(api.redis.writes.map(({ window, ttlSeconds }) => ({ window, ttlSeconds }))).toEqual(
        TRENDING_HORIZON_LABELS.map((window) => ({ window, ttlSeconds: TEST_CACHE_TTL_SECONDS })),
      );
      expect(api.redis.store.get('1m')?.computed_at).toBe('2025-06-01T12:01:01.250Z');

      api.clickhouse.withTrending('1m', [
        trendingRow({ topic: 'newer', window_end: '2025-06-01 12:01:02.000', computed_at: '2025-06-01 12:01:02.400' }),
      ]);
      await vi.advanceTimersByTimeAsync(REFRESH_MS);
      await settle();

      expect(api.redis.writes).toHaveLength(2 * TRENDING_HORIZON_LABELS.length);
      expect(api.redis.store.get('1m')).toMatchObject({
        data_time: '2025-06-01T12:01:02.000Z',
        computed_at: '2025-06-01T12:01:02.400Z',
        data: { topics: [{ topic: 'newer' }] },
      });
      const response = await api.get('/v1/trending');
      expect(response.json()).toMatchObject({ source: 'redis', data: { topics: [{ topic: 'newer' }] } });
    });

    it('should keep serving the cached answer and count the failure when ClickHouse fails', async () => {
      const cached = trendingSnapshot(4);
      api.redis.seedTrending('1m', cached);
      api.clickhouse.failWith(new Error('Code: 241. MEMORY_LIMIT_EXCEEDED'));
      const failuresBefore = await api.metric(REFRESH_FAILURES);

      await vi.advanceTimersByTimeAsync(REFRESH_MS);
      await settle();

      expect(api.clickhouse.queries.length).toBeGreaterThan(0);
      expect(await api.metric(REFRESH_FAILURES)).toBe(failuresBefore + 1);
      expect(logs).toContainEqual(
        expect.objectContaining({
          level: 'warn',
          msg: 'trending refresh failed; serving the cached answer',
          error: 'Code: 241. MEMORY_LIMIT_EXCEEDED',
        }),
      );
      const response = await api.get('/v1/trending');
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ ...cached, source: 'redis' });
    });

    it('should not start another refresh while one is still waiting for ClickHouse', async () => {
      api.clickhouse.hold();

      await vi.advanceTimersByTimeAsync(3 * REFRESH_MS);
      await settle();

      expect(api.clickhouse.queries).toHaveLength(TRENDING_HORIZON_LABELS.length);

      api.clickhouse.release();
      await settle();
      await vi.advanceTimersByTimeAsync(REFRESH_MS);
      await settle();

      expect(api.clickhouse.queries).toHaveLength(2 * TRENDING_HORIZON_LABELS.length);
    });

    it('should stop refreshing when the app closes', async () => {
      await api.close();

      await vi.advanceTimersByTimeAsync(3 * REFRESH_MS);
      await settle();

      expect(api.clickhouse.queries).toEqual([]);
    });
  });
});
