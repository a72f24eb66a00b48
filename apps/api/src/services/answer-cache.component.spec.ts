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
      expect((await api.get('/v1/engagement/live')).statusCode).toBe(500);

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
      api.redis.answers.clear(); // Redis expired the key
      const third = await cache.answer(liveEngagementKey(), cachePolicy(2), compute);

      expect(compute).toHaveBeenCalledTimes(2);
      expect(third).toMatchObject({ source: 'clickhouse', stale: true, age_ms: null });
    });
  });

  describe(cachePolicy.name, () => {
    it('should call an answer stale 5 s after its TTL', () => {
      expect(cachePolicy(2)).toEqual({ ttlSeconds: 2, staleAfterMs: 7_000 });
      expect(cachePolicy(60)).toEqual({ ttlSeconds: 60, staleAfterMs: 65_000 });
    });
  });
});
