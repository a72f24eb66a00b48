import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_TRENDING_LIMIT } from '../dtos/trending.dto';
import { startApiTestApp, TEST_CACHE_TTL_SECONDS, type ApiTestApp } from '../testing/api-test-app';
import type { LogRecord } from '../testing/recording-logger';
import { trendingAnswer, trendingRow, trendingRows } from '../testing/trending.fixtures';
import { TrendingController } from './trending.controller';

const logs = vi.hoisted(() => [] as LogRecord[]);
vi.mock('@social-pulse/observability', async (importOriginal) => {
  const { recordingLogger } = await import('../testing/recording-logger');
  return {
    ...(await importOriginal<typeof import('@social-pulse/observability')>()),
    createLogger: (service: string) => recordingLogger(service, logs),
  };
});

const NOW = new Date('2025-06-01T12:00:05.000Z');

describe(TrendingController.name, () => {
  let api: ApiTestApp;

  beforeEach(async () => {
    logs.length = 0;
    api = await startApiTestApp();
  });

  afterEach(async () => {
    vi.useRealTimers();
    await api.close();
  });

  describe('query validation', () => {
    it.each([
      ['an unknown window', '?window=1y', 'window must be one of 1m, 5m, 15m'],
      ['limit 0', '?limit=0', 'limit must be at least 1'],
      ['limit 101', '?limit=101', 'limit must be at most 100'],
      ['a limit that is not a number', '?limit=ten', 'limit must be a number'],
      ['a fractional limit', '?limit=2.5', 'limit must be a whole number'],
    ])('should answer 400 to %s, naming the problem', async (_, query, message) => {
      const response = await api.get(`/v1/trending${query}`);

      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ statusCode: 400, error: 'Bad Request', message });
      expect(api.redis.reads).toEqual([]);
      expect(api.clickhouse.queries).toEqual([]);
    });

    it('should name every problem of a request in one message', async () => {
      const response = await api.get('/v1/trending?window=2h&limit=500');

      expect(response.statusCode).toBe(400);
      expect(response.json().message).toBe('window must be one of 1m, 5m, 15m; limit must be at most 100');
    });

    it('should default to the 1m window and 20 topics', async () => {
      api.clickhouse.withTrending('1m', trendingRows(30));

      const response = await api.get('/v1/trending');

      expect(response.statusCode).toBe(200);
      expect(response.json().window).toBe('1m');
      expect(response.json().topics).toHaveLength(20);
      expect(api.redis.reads).toEqual(['1m']);
    });

    it('should accept the bounds of limit and every window', async () => {
      for (const window of ['1m', '5m', '15m'] as const) api.clickhouse.withTrending(window, trendingRows(120));

      const one = await api.get('/v1/trending?window=5m&limit=1');
      const hundred = await api.get('/v1/trending?window=15m&limit=100');

      expect(one.statusCode).toBe(200);
      expect(one.json()).toMatchObject({ window: '5m', topics: [{ rank: 1 }] });
      expect(hundred.statusCode).toBe(200);
      expect(hundred.json().topics).toHaveLength(100);
    });
  });

  describe('cache', () => {
    it('should answer a hit from Redis without querying ClickHouse', async () => {
      const cached = trendingAnswer(3, { window: '5m' });
      api.redis.seedTrending('5m', cached);
      const hitsBefore = await api.metric('api_cache_lookups_total', { result: 'hit' });

      const response = await api.get('/v1/trending?window=5m');

      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual(cached);
      expect(api.redis.reads).toEqual(['5m']);
      expect(api.clickhouse.queries).toEqual([]);
      expect(api.redis.writes).toEqual([]);
      expect(await api.metric('api_cache_lookups_total', { result: 'hit' })).toBe(hitsBefore + 1);
    });

    it('should slice a cached answer to the requested limit', async () => {
      api.redis.seedTrending('1m', trendingAnswer(50));

      const response = await api.get('/v1/trending?limit=3');

      expect(response.statusCode).toBe(200);
      expect(response.json().topics.map((t: { topic: string }) => t.topic)).toEqual([
        '#cached-1',
        '#cached-2',
        '#cached-3',
      ]);
      expect(api.redis.store.get('1m')?.topics).toHaveLength(50);
    });

    it('should compute a miss from ClickHouse and cache the full answer with the configured TTL', async () => {
      vi.useFakeTimers({ toFake: ['Date'], now: NOW });
      api.clickhouse.withTrending('15m', [
        trendingRow({ topic: '#a', mentions: '30', score: 9.5, rank: 1 }),
        trendingRow({ topic: '#b', mentions: '20', score: 7.25, rank: 2 }),
        trendingRow({ topic: '#c', mentions: '10', score: 3, rank: 3 }),
      ]);
      const missesBefore = await api.metric('api_cache_lookups_total', { result: 'miss' });

      const response = await api.get('/v1/trending?window=15m&limit=2');

      const full = {
        window: '15m',
        window_start: '2025-06-01T12:00:00.000Z',
        window_end: '2025-06-01T12:01:00.000Z',
        computed_at: NOW.toISOString(),
        topics: [
          { topic: '#a', mentions: 30, score: 9.5, rank: 1 },
          { topic: '#b', mentions: 20, score: 7.25, rank: 2 },
          { topic: '#c', mentions: 10, score: 3, rank: 3 },
        ],
      };
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ ...full, topics: full.topics.slice(0, 2) });
      expect(api.clickhouse.queries).toEqual([{ window: '15m', limit: MAX_TRENDING_LIMIT }]);
      expect(api.redis.writes).toEqual([{ window: '15m', answer: full, ttlSeconds: TEST_CACHE_TTL_SECONDS }]);
      expect(await api.metric('api_cache_lookups_total', { result: 'miss' })).toBe(missesBefore + 1);
    });

    it('should answer the second request from the answer the first one cached', async () => {
      api.clickhouse.withTrending('1m', trendingRows(5));

      const first = await api.get('/v1/trending');
      const second = await api.get('/v1/trending');

      expect(second.statusCode).toBe(200);
      expect(second.json()).toEqual(first.json());
      expect(api.clickhouse.queries).toHaveLength(1);
      expect(api.redis.reads).toEqual(['1m', '1m']);
    });

    it('should answer an empty list with null window bounds when ClickHouse has no rows yet', async () => {
      const response = await api.get('/v1/trending?window=5m');

      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ window: '5m', window_start: null, window_end: null, topics: [] });
    });
  });

  describe('failures', () => {
    it('should serve the answer from ClickHouse when Redis rejects reads', async () => {
      api.redis.seedTrending('1m', trendingAnswer(3)).failReads();
      api.clickhouse.withTrending('1m', trendingRows(4));

      const response = await api.get('/v1/trending');

      expect(response.statusCode).toBe(200);
      expect(response.json().topics.map((t: { topic: string }) => t.topic)).toEqual([
        '#topic-1',
        '#topic-2',
        '#topic-3',
        '#topic-4',
      ]);
      expect(api.clickhouse.queries).toEqual([{ window: '1m', limit: MAX_TRENDING_LIMIT }]);
    });

    it('should serve the answer and log the failure when Redis rejects writes', async () => {
      api.redis.failWrites(new Error('READONLY replica'));
      api.clickhouse.withTrending('1m', trendingRows(2));

      const response = await api.get('/v1/trending');

      expect(response.statusCode).toBe(200);
      expect(response.json().topics).toHaveLength(2);
      expect(api.redis.writes).toHaveLength(1);
      expect(api.redis.store.has('1m')).toBe(false);
      expect(logs).toContainEqual(
        expect.objectContaining({ level: 'warn', msg: 'could not cache trending topics', error: 'READONLY replica' }),
      );
    });

    it('should answer 500 without details when ClickHouse fails on a cold key', async () => {
      api.clickhouse.failWith(new Error('ECONNREFUSED 127.0.0.1:8123'));

      const response = await api.get('/v1/trending?window=5m');

      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({ statusCode: 500, message: 'Internal server error' });
      expect(response.body).not.toContain('ECONNREFUSED');
      expect(api.redis.writes).toEqual([]);
    });

    it('should answer 500 when Redis and ClickHouse are both down', async () => {
      api.redis.goDown();
      api.clickhouse.failWith();

      const response = await api.get('/v1/trending');

      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({ statusCode: 500, message: 'Internal server error' });
    });
  });
});
