import { PROBLEM_TYPES } from '@social-pulse/observability/nest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { liveEngagementKey } from '../repositories/redis.repository';
import { startApiTestApp, type ApiTestApp } from '../testing/api-test-app';
import { liveRow } from '../testing/engagement.fixtures';
import { AnswerCache, cachePolicy } from './answer-cache';

/** Lets pending promise chains settle. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe(AnswerCache.name, () => {
  let api: ApiTestApp;

  beforeEach(async () => {
    api = await startApiTestApp();
  });

  afterEach(async () => {
    await api.close();
  });

  describe('answer', () => {
    it('should send concurrent misses of one key to ClickHouse once, and answer each of them', async () => {
      api.clickhouse.withLive(liveRow({ active_users: '4' })).hold();

      const responses = Promise.all(Array.from({ length: 20 }, () => api.get('/v1/engagement/live')));
      await settle();
      api.clickhouse.release();

      const answers = (await responses).map((r) => r.json());
      expect(answers.map((a) => [a.source, a.data.active_users])).toEqual(Array(20).fill(['clickhouse', 4]));
      expect(api.clickhouse.engagementQueries).toHaveLength(1);
      expect(api.redis.answerWrites).toHaveLength(1);
    });

    it('should not keep a failed computation: the next miss asks ClickHouse again', async () => {
      api.clickhouse.failWith(new Error('TIMEOUT'));
      expect((await api.get('/v1/engagement/live')).statusCode).toBe(503);

      api.clickhouse.recover().withLive(liveRow());
      const response = await api.get('/v1/engagement/live');

      expect(response.statusCode).toBe(200);
      expect(api.clickhouse.engagementQueries).toHaveLength(2);
    });

    it('should compute again once the key expired', async () => {
      const cache = api.app.get(AnswerCache);
      const compute = vi.fn(async () => ({ data: 1, data_time: null, computed_at: null }));

      await cache.answer(liveEngagementKey(), cachePolicy(2), compute);
      await cache.answer(liveEngagementKey(), cachePolicy(2), compute);
      api.redis.expire(liveEngagementKey());
      const third = await cache.answer(liveEngagementKey(), cachePolicy(2), compute);

      expect(compute).toHaveBeenCalledTimes(2);
      expect(third).toMatchObject({ source: 'clickhouse', stale: true, age_ms: null });
    });
  });

  describe('when a dependency is down or hung', () => {
    const TIMEOUTS = { REDIS_TIMEOUT_MS: '50', CLICKHOUSE_TIMEOUT_MS: '200', DEPENDENCY_FAILURES_TO_OPEN: '2' };
    const live = () => api.get('/v1/engagement/live');
    /** A live answer read `ageMs` ago. */
    const liveSnapshot = (ageMs: number) => {
      const readAt = new Date(Date.now() - ageMs).toISOString();
      return { data: { active_users: 9 }, data_time: readAt, computed_at: readAt };
    };
    const timed = async <T>(work: () => Promise<T>) => {
      const started = performance.now();
      const result = await work();
      return { result, ms: performance.now() - started };
    };

    beforeEach(async () => {
      await api.close();
      api = await startApiTestApp({ env: TIMEOUTS });
    });

    it('should answer from ClickHouse within the Redis timeout when Redis hangs', async () => {
      api.redis.hold();
      api.clickhouse.withLive(liveRow({ active_users: '4' }));

      const { result, ms } = await timed(live);

      expect(result.statusCode).toBe(200);
      expect(result.json()).toMatchObject({ source: 'clickhouse', data: { active_users: 4 } });
      expect(ms).toBeGreaterThanOrEqual(api.config.REDIS_TIMEOUT_MS - 1);
      // Twice: the read, then the write of the computed answer, each bounded by the timeout.
      expect(ms).toBeLessThan(3 * api.config.REDIS_TIMEOUT_MS);
      api.redis.release();
    });

    it('should stop asking a hung Redis once its circuit is open', async () => {
      api.redis.hold();
      api.clickhouse.withLive(liveRow());
      await live(); // a read and a write time out: two failures open the circuit
      const reads = api.redis.answerReads.length;

      const { result, ms } = await timed(live);

      expect(result.statusCode).toBe(200);
      expect(api.redis.answerReads).toHaveLength(reads);
      expect(ms).toBeLessThan(api.config.REDIS_TIMEOUT_MS);
      expect(await api.metric('api_dependency_failures_total', { dependency: 'redis', reason: 'circuit-open' })).toBe(
        2,
      );
      api.redis.release();
    });

    it('should serve the last good answer, marked stale, when ClickHouse fails after the key expired', async () => {
      api.redis.seedAnswer(liveEngagementKey(), liveSnapshot(60_000)).expire(liveEngagementKey());
      api.clickhouse.failWith(new Error('ECONNREFUSED 127.0.0.1:8123'));

      const response = await live();

      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ source: 'redis', stale: true, data: { active_users: 9 } });
      expect(response.json().age_ms).toBeGreaterThanOrEqual(60_000);
      expect(await api.metric('api_stale_answers_total')).toBeGreaterThanOrEqual(1);
    });

    it('should serve the last good answer within the ClickHouse timeout when ClickHouse hangs', async () => {
      api.redis.seedAnswer(liveEngagementKey(), liveSnapshot(30_000)).expire(liveEngagementKey());
      api.clickhouse.hold();

      const { result, ms } = await timed(live);

      expect(result.json()).toMatchObject({ source: 'redis', stale: true });
      expect(ms).toBeGreaterThanOrEqual(api.config.CLICKHOUSE_TIMEOUT_MS - 1);
      expect(ms).toBeLessThan(api.config.CLICKHOUSE_TIMEOUT_MS + 2 * api.config.REDIS_TIMEOUT_MS);
      api.clickhouse.release();
    });

    it('should answer 503 naming ClickHouse when the last good answer is older than the maximum age', async () => {
      const maxAgeMs = api.config.ANSWER_MAX_STALE_SECONDS * 1000;
      api.redis.seedAnswer(liveEngagementKey(), liveSnapshot(maxAgeMs + 1_000)).expire(liveEngagementKey());
      api.clickhouse.failWith(new Error('ECONNREFUSED 127.0.0.1:8123'));

      const response = await live();

      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({
        type: PROBLEM_TYPES.unavailable,
        status: 503,
        detail: `the answer cannot be served now: clickhouse: failed; the last good answer is older than ${api.config.ANSWER_MAX_STALE_SECONDS} s`,
        dependencies: ['clickhouse'],
        reasons: [{ dependency: 'clickhouse', reason: 'error' }],
      });
      expect(response.body).not.toContain('ECONNREFUSED');
    });

    it('should answer 503 naming both when Redis and ClickHouse are down, within their timeouts', async () => {
      api.redis.hold();
      api.clickhouse.hold();

      const { result, ms } = await timed(live);

      expect(result.statusCode).toBe(503);
      expect(result.json()).toMatchObject({
        type: PROBLEM_TYPES.unavailable,
        status: 503,
        detail: `the answer cannot be served now: clickhouse: no answer within ${api.config.CLICKHOUSE_TIMEOUT_MS} ms; redis: no answer within ${api.config.REDIS_TIMEOUT_MS} ms`,
        dependencies: ['clickhouse', 'redis'],
        reasons: [
          { dependency: 'clickhouse', reason: 'timeout' },
          { dependency: 'redis', reason: 'timeout' },
        ],
        retry_after: Math.ceil(api.config.DEPENDENCY_OPEN_MS / 1000),
      });
      expect(ms).toBeLessThan(api.config.CLICKHOUSE_TIMEOUT_MS + 3 * api.config.REDIS_TIMEOUT_MS);
      api.redis.release();
      api.clickhouse.release();
    });
  });

  describe(cachePolicy.name, () => {
    it('should call an answer stale 5 s after its TTL', () => {
      expect(cachePolicy(2)).toEqual({ ttlSeconds: 2, staleAfterMs: 7_000 });
      expect(cachePolicy(60)).toEqual({ ttlSeconds: 60, staleAfterMs: 65_000 });
    });
  });
});
