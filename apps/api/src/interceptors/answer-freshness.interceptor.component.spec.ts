import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { trendingKey } from '../repositories/redis.repository';
import { startApiTestApp, type ApiTestApp } from '../testing/api-test-app';
import { trendingSnapshot } from '../testing/trending.fixtures';
import { AnswerFreshnessInterceptor } from './answer-freshness.interceptor';

describe(AnswerFreshnessInterceptor.name, () => {
  let api: ApiTestApp;
  // trendingSnapshot's data_time is 12:00:00; the 1m horizon is stale after 13 s.
  const at = (time: string) => vi.useFakeTimers({ toFake: ['Date'], now: new Date(time) });

  beforeEach(async () => {
    api = await startApiTestApp();
    api.redis.seedTrending('1m', trendingSnapshot(3));
  });

  afterEach(async () => {
    vi.useRealTimers();
    await api.close();
  });

  it('should say the answer’s age, how long it may be reused, and its identity', async () => {
    at('2025-06-01T12:00:04.200Z');

    const response = await api.get('/v1/trending?window=1m');

    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      age: '4',
      'cache-control': 'public, max-age=8',
      // Origin from CORS (API_CORS_ORIGINS): a shared cache must not serve one origin's answer to another.
      vary: 'Origin, X-API-Key',
      etag: expect.stringMatching(/^W\/"[\w-]+"$/),
    });
  });

  it('should answer 304 without a body to If-None-Match with the same answer, however old it grew', async () => {
    at('2025-06-01T12:00:02.000Z');
    const first = await api.get('/v1/trending?window=1m');
    at('2025-06-01T12:00:05.000Z');

    const again = await api.get('/v1/trending?window=1m', { 'if-none-match': String(first.headers.etag) });

    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.age).toBe('5');
  });

  it('should change the ETag with the snapshot, and with the request', async () => {
    at('2025-06-01T12:00:02.000Z');
    const first = await api.get('/v1/trending?window=1m');
    const fewer = await api.get('/v1/trending?window=1m&limit=2');
    api.redis.seedAnswer(trendingKey('1m'), { ...trendingSnapshot(3), computed_at: '2025-06-01T12:00:01.900Z' });

    const newer = await api.get('/v1/trending?window=1m', { 'if-none-match': String(first.headers.etag) });

    expect(fewer.headers.etag).not.toBe(first.headers.etag);
    expect(newer.statusCode).toBe(200);
    expect(newer.headers.etag).not.toBe(first.headers.etag);
  });

  it('should tell caches not to reuse a stale answer', async () => {
    at('2025-06-01T12:01:00.000Z');

    const response = await api.get('/v1/trending?window=1m');

    expect(response.json().stale).toBe(true);
    expect(response.headers['cache-control']).toBe('no-cache');
  });
});
