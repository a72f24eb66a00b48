import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_TRENDING_LIMIT, TRENDING_WINDOWS } from '../dtos/trending.dto';
import { startApiTestApp, TEST_CACHE_TTL_SECONDS, type ApiTestApp } from '../testing/api-test-app';
import type { LogRecord } from '../testing/recording-logger';
import { trendingAnswer, trendingRow, trendingRows } from '../testing/trending.fixtures';
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
      api.redis.seedTrending('5m', trendingAnswer(2, { window: '5m' }));
      api.clickhouse.withTrending('5m', [trendingRow({ topic: '#fresh', mentions: '7', rank: 1 })]);

      const answer = await api.trending.refresh('5m');

      expect(answer.topics).toEqual([{ topic: '#fresh', mentions: 7, score: 98.5, rank: 1 }]);
      expect(api.clickhouse.queries).toEqual([{ window: '5m', limit: MAX_TRENDING_LIMIT }]);
      expect(api.redis.writes).toEqual([{ window: '5m', answer, ttlSeconds: TEST_CACHE_TTL_SECONDS }]);
      const response = await api.get('/v1/trending?window=5m');
      expect(response.json().topics).toEqual([{ topic: '#fresh', mentions: 7, score: 98.5, rank: 1 }]);
    });

    it('should reject and leave the cached key alone when ClickHouse fails', async () => {
      const cached = trendingAnswer(2);
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
      for (const window of TRENDING_WINDOWS) api.clickhouse.withTrending(window, trendingRows(3));

      await vi.advanceTimersByTimeAsync(REFRESH_MS);
      await settle();

      expect(api.clickhouse.queries).toEqual(TRENDING_WINDOWS.map((window) => ({ window, limit: MAX_TRENDING_LIMIT })));
      expect(api.redis.writes.map(({ window, ttlSeconds }) => ({ window, ttlSeconds }))).toEqual(
        TRENDING_WINDOWS.map((window) => ({ window, ttlSeconds: TEST_CACHE_TTL_SECONDS })),
      );
      expect(api.redis.store.get('1m')?.computed_at).toBe(new Date(START.getTime() + REFRESH_MS).toISOString());

      api.clickhouse.withTrending('1m', [trendingRow({ topic: '#newer' })]);
      await vi.advanceTimersByTimeAsync(REFRESH_MS);
      await settle();

      expect(api.redis.writes).toHaveLength(2 * TRENDING_WINDOWS.length);
      expect(api.redis.store.get('1m')).toMatchObject({
        computed_at: new Date(START.getTime() + 2 * REFRESH_MS).toISOString(),
        topics: [{ topic: '#newer' }],
      });
      const response = await api.get('/v1/trending');
      expect(response.json().topics.map((t: { topic: string }) => t.topic)).toEqual(['#newer']);
    });

    it('should keep serving the cached answer and count the failure when ClickHouse fails', async () => {
      const cached = trendingAnswer(4);
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
      expect(response.json()).toEqual(cached);
    });

    it('should not start another refresh while one is still waiting for ClickHouse', async () => {
      api.clickhouse.hold();

      await vi.advanceTimersByTimeAsync(3 * REFRESH_MS);
      await settle();

      expect(api.clickhouse.queries).toHaveLength(TRENDING_WINDOWS.length);

      api.clickhouse.release();
      await settle();
      await vi.advanceTimersByTimeAsync(REFRESH_MS);
      await settle();

      expect(api.clickhouse.queries).toHaveLength(2 * TRENDING_WINDOWS.length);
    });

    it('should stop refreshing when the app closes', async () => {
      await api.close();

      await vi.advanceTimersByTimeAsync(3 * REFRESH_MS);
      await settle();

      expect(api.clickhouse.queries).toEqual([]);
    });
  });
});
