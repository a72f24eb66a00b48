import { PROBLEM_TYPES } from '@social-pulse/observability/nest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_TRENDING_LIMIT, type TrendingSnapshot } from '../dtos/trending.dto';
import { trendingKey } from '../repositories/redis.repository';
import { startApiTestApp, TEST_CACHE_TTL_SECONDS, type ApiTestApp } from '../testing/api-test-app';
import type { LogRecord } from '../testing/recording-logger';
import { historyRow, trendingRow, trendingRows, trendingSnapshot } from '../testing/trending.fixtures';
import { TrendingController } from './trending.controller';

const logs = vi.hoisted(() => [] as LogRecord[]);
vi.mock('@social-pulse/observability', async (importOriginal) => {
  const { recordingLogger } = await import('../testing/recording-logger');
  return {
    ...(await importOriginal<typeof import('@social-pulse/observability')>()),
    createLogger: (service: string) => recordingLogger(service, logs),
  };
});

const NOW = new Date('2025-06-01T12:01:05.000Z');

const topicNames = (body: { data: { topics: { topic: string }[] } }) => body.data.topics.map((t) => t.topic);

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
      expect(response.json()).toMatchObject({ type: PROBLEM_TYPES.validation, status: 400, detail: message });
      expect(api.redis.answerReads).toEqual([]);
      expect(api.clickhouse.queries).toEqual([]);
    });

    it('should name every problem of a request in one message', async () => {
      const response = await api.get('/v1/trending?window=2h&limit=500');

      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        detail: 'window must be one of 1m, 5m, 15m; limit must be at most 100',
        errors: [
          { parameter: 'window', detail: 'window must be one of 1m, 5m, 15m' },
          { parameter: 'limit', detail: 'limit must be at most 100' },
        ],
      });
    });

    it('should default to the 1m window and 20 topics', async () => {
      api.clickhouse.withTrending('1m', trendingRows(30));

      const response = await api.get('/v1/trending');

      expect(response.statusCode).toBe(200);
      expect(response.json().data.window).toBe('1m');
      expect(response.json().data.topics).toHaveLength(20);
      expect(api.redis.answerReads).toEqual([trendingKey('1m')]);
    });

    it('should accept the bounds of limit and every window', async () => {
      for (const window of ['1m', '5m', '15m'] as const) api.clickhouse.withTrending(window, trendingRows(120));

      const one = await api.get('/v1/trending?window=5m&limit=1');
      const hundred = await api.get('/v1/trending?window=15m&limit=100');

      expect(one.statusCode).toBe(200);
      expect(one.json()).toMatchObject({ data: { window: '5m', topics: [{ rank: 1 }] } });
      expect(hundred.statusCode).toBe(200);
      expect(hundred.json().data.topics).toHaveLength(100);
    });
  });

  describe('cache', () => {
    it('should answer a hit from Redis without querying ClickHouse, aged at answering time', async () => {
      const cached = trendingSnapshot(3, '5m');
      api.redis.seedTrending('5m', cached);
      const hitsBefore = await api.metric('api_cache_lookups_total', { result: 'hit' });
      vi.useFakeTimers({ toFake: ['Date'], now: new Date('2025-06-01T12:00:30.000Z') });

      const response = await api.get('/v1/trending?window=5m');

      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        ...cached,
        age_ms: 30_000,
        source: 'redis',
        stale: false,
        stale_after_ms: 40_000,
      });
      expect(api.redis.answerReads).toEqual([trendingKey('5m')]);
      expect(api.clickhouse.queries).toEqual([]);
      expect(api.redis.answerWrites).toEqual([]);
      expect(await api.metric('api_cache_lookups_total', { result: 'hit' })).toBe(hitsBefore + 1);
    });

    it('should slice a cached answer to the requested limit', async () => {
      api.redis.seedTrending('1m', trendingSnapshot(50));

      const response = await api.get('/v1/trending?limit=3');

      expect(response.statusCode).toBe(200);
      expect(topicNames(response.json())).toEqual(['#cached-1', '#cached-2', '#cached-3']);
      expect((api.redis.answers.get(trendingKey('1m')) as TrendingSnapshot).data.topics).toHaveLength(50);
    });

    it('should compute a miss from ClickHouse, cache the full snapshot with the configured TTL, and say so', async () => {
      vi.useFakeTimers({ toFake: ['Date'], now: NOW });
      api.clickhouse.withTrending('15m', [
        trendingRow({ topic: 'a', mentions: '30', score: 9.5, rank: 1 }),
        trendingRow({ topic: 'b', mentions: '20', score: 7.25, rank: 2 }),
        trendingRow({ topic: 'c', mentions: '10', score: 3, rank: 3 }),
      ]);
      const missesBefore = await api.metric('api_cache_lookups_total', { result: 'miss' });

      const response = await api.get('/v1/trending?window=15m&limit=2');

      const parts = {
        unique_authors: 100,
        weighted_mentions: 113.9,
        damping: 0.05,
        bot_mentions: 3,
        baseline: 30,
        velocity: 3.1,
      };
      const topics = [
        { rank: 1, topic: 'a', score: 9.5, mentions: 30, ...parts },
        { rank: 2, topic: 'b', score: 7.25, mentions: 20, ...parts },
        { rank: 3, topic: 'c', score: 3, mentions: 10, ...parts },
      ];
      const full = {
        data: {
          window: '15m',
          window_start: '2025-06-01T12:00:00.000Z',
          window_end: '2025-06-01T12:01:00.000Z',
          topics,
        },
        data_time: '2025-06-01T12:01:00.000Z',
        computed_at: '2025-06-01T12:01:01.250Z',
      };
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        ...full,
        data: { ...full.data, topics: topics.slice(0, 2) },
        age_ms: 5_000,
        source: 'clickhouse',
        stale: false,
        stale_after_ms: 100_000,
      });
      expect(api.clickhouse.queries).toEqual([{ window: '15m', limit: MAX_TRENDING_LIMIT }]);
      expect(api.redis.answerWrites).toEqual([
        { key: trendingKey('15m'), snapshot: full, ttlSeconds: TEST_CACHE_TTL_SECONDS },
      ]);
      expect(await api.metric('api_cache_lookups_total', { result: 'miss' })).toBe(missesBefore + 1);
    });

    it('should mark an answer stale once its window ended longer ago than the horizon allows', async () => {
      api.redis.seedTrending('1m', trendingSnapshot(2));
      vi.useFakeTimers({ toFake: ['Date'], now: new Date('2025-06-01T12:00:13.001Z') });

      const response = await api.get('/v1/trending');

      expect(response.json()).toMatchObject({ age_ms: 13_001, stale: true, stale_after_ms: 13_000 });
      expect(response.json().data.topics).toHaveLength(2);
    });

    it('should answer the second request from the answer the first one cached', async () => {
      api.clickhouse.withTrending('1m', trendingRows(5));

      const first = await api.get('/v1/trending');
      const second = await api.get('/v1/trending');

      expect(first.json().source).toBe('clickhouse');
      expect(second.statusCode).toBe(200);
      expect(second.json()).toEqual({ ...first.json(), age_ms: second.json().age_ms, source: 'redis' });
      expect(api.clickhouse.queries).toHaveLength(1);
      expect(api.redis.answerReads).toEqual([trendingKey('1m'), trendingKey('1m')]);
    });

    it('should answer an empty, stale list with null times when ClickHouse has no rows yet', async () => {
      const response = await api.get('/v1/trending?window=5m');

      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        data: { window: '5m', window_start: null, window_end: null, topics: [] },
        data_time: null,
        computed_at: null,
        age_ms: null,
        source: 'clickhouse',
        stale: true,
        stale_after_ms: 40_000,
      });
    });
  });

  describe('failures', () => {
    it('should serve the answer from ClickHouse when Redis rejects reads', async () => {
      api.redis.seedTrending('1m', trendingSnapshot(3)).failReads();
      api.clickhouse.withTrending('1m', trendingRows(4));

      const response = await api.get('/v1/trending');

      expect(response.statusCode).toBe(200);
      expect(response.json().source).toBe('clickhouse');
      expect(topicNames(response.json())).toEqual(['#topic-1', '#topic-2', '#topic-3', '#topic-4']);
      expect(api.clickhouse.queries).toEqual([{ window: '1m', limit: MAX_TRENDING_LIMIT }]);
    });

    it('should serve the answer and log the failure when Redis rejects writes', async () => {
      api.redis.failWrites(new Error('READONLY replica'));
      api.clickhouse.withTrending('1m', trendingRows(2));

      const response = await api.get('/v1/trending');

      expect(response.statusCode).toBe(200);
      expect(response.json().data.topics).toHaveLength(2);
      expect(api.redis.answerWrites).toHaveLength(1);
      expect(api.redis.answers.has(trendingKey('1m'))).toBe(false);
      expect(logs).toContainEqual(
        expect.objectContaining({ level: 'warn', msg: 'could not cache an answer', error: 'redis: failed' }),
      );
    });

    it('should answer 503 with the reason, not the error, when ClickHouse fails on a cold key', async () => {
      api.clickhouse.failWith(new Error('ECONNREFUSED 127.0.0.1:8123'));

      const response = await api.get('/v1/trending?window=5m');

      expect(response.statusCode).toBe(503);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(response.headers['retry-after']).toBe('5');
      expect(response.json()).toEqual({
        type: PROBLEM_TYPES.unavailable,
        title: 'Service Unavailable',
        status: 503,
        detail: 'the answer cannot be served now: clickhouse: failed; no last good answer',
        instance: '/v1/trending',
        dependencies: ['clickhouse'],
        reasons: [{ dependency: 'clickhouse', reason: 'error' }],
        retry_after: 5,
      });
      expect(response.body).not.toContain('ECONNREFUSED');
      expect(api.redis.answerWrites).toEqual([]);
    });

    it('should answer 503 naming both when Redis and ClickHouse are down', async () => {
      api.redis.goDown();
      api.clickhouse.failWith();

      const response = await api.get('/v1/trending');

      expect(response.statusCode).toBe(503);
      expect(response.json().dependencies).toEqual(['clickhouse', 'redis']);
    });
  });

  describe('history', () => {
    it("should answer a topic's points in the envelope, reading ClickHouse from minutes ago", async () => {
      vi.useFakeTimers({ toFake: ['Date'], now: NOW });
      api.clickhouse.withHistory('5m', 'worldcup', [
        historyRow({ minute: '2025-06-01 11:00:00' }),
        historyRow({ minute: '2025-06-01 12:00:00', window_end: '2025-06-01 12:00:50.000' }),
        historyRow({
          minute: '2025-06-01 12:01:00',
          window_end: '2025-06-01 12:01:00.000',
          computed_at: '2025-06-01 12:01:00.900',
          mentions: '1200',
          score: 8,
          rank: 1,
        }),
      ]);

      const response = await api.get('/v1/trending/%23WorldCup/history?window=5m&minutes=30');

      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        data: {
          topic: 'worldcup',
          window: '5m',
          points: [
            {
              minute: '2025-06-01T12:00:00.000Z',
              window_end: '2025-06-01T12:00:50.000Z',
              score: 6.9,
              mentions: 1000,
              rank: 2,
            },
            {
              minute: '2025-06-01T12:01:00.000Z',
              window_end: '2025-06-01T12:01:00.000Z',
              score: 8,
              mentions: 1200,
              rank: 1,
            },
          ],
        },
        data_time: '2025-06-01T12:01:00.000Z',
        computed_at: '2025-06-01T12:01:00.900Z',
        age_ms: 5_000,
        source: 'clickhouse',
        stale: false,
        stale_after_ms: 40_000,
      });
      expect(api.clickhouse.historyQueries).toEqual([
        { window: '5m', topic: 'worldcup', since: new Date(NOW.getTime() - 30 * 60_000) },
      ]);
      expect(api.redis.answerReads).toEqual([]);
    });

    it('should default to the 1m window and the last hour', async () => {
      vi.useFakeTimers({ toFake: ['Date'], now: NOW });

      const response = await api.get('/v1/trending/ai/history');

      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ data: { topic: 'ai', window: '1m', points: [] }, stale: true });
      expect(api.clickhouse.historyQueries).toEqual([
        { window: '1m', topic: 'ai', since: new Date(NOW.getTime() - 60 * 60_000) },
      ]);
    });

    it.each([
      ['an unknown window', '/v1/trending/ai/history?window=1h', 'window must be one of 1m, 5m, 15m'],
      ['minutes out of range', '/v1/trending/ai/history?minutes=0', 'minutes must be at least 1'],
      ['a topic that is only #', '/v1/trending/%23/history', 'topic must not be empty'],
    ])('should answer 400 to %s', async (_, url, message) => {
      const response = await api.get(url);

      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ type: PROBLEM_TYPES.validation, status: 400, detail: message });
      expect(api.clickhouse.historyQueries).toEqual([]);
    });

    it('should answer 401 without a key', async () => {
      const response = await api.app.inject({ method: 'GET', url: '/v1/trending/ai/history' });

      expect(response.statusCode).toBe(401);
      expect(api.clickhouse.historyQueries).toEqual([]);
    });

    it('should answer 500 without details when ClickHouse fails', async () => {
      api.clickhouse.failWith(new Error('ECONNREFUSED 127.0.0.1:8123'));

      const response = await api.get('/v1/trending/ai/history');

      expect(response.statusCode).toBe(500);
      expect(response.body).not.toContain('ECONNREFUSED');
    });
  });
});
