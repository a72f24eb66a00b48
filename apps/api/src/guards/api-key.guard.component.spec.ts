import { PROBLEM_TYPES } from '@social-pulse/observability/nest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startApiTestApp, TEST_ADMIN_API_KEY, TEST_API_KEY, type ApiTestApp } from '../testing/api-test-app';
import { userSessionRow } from '../testing/engagement.fixtures';
import { trendingRows } from '../testing/trending.fixtures';
import { ApiKeyGuard } from './api-key.guard';

const TRENDING = '/v1/trending';

describe(ApiKeyGuard.name, () => {
  let api: ApiTestApp;

  beforeEach(async () => {
    api = await startApiTestApp();
    api.clickhouse.withTrending('1m', trendingRows(3));
  });

  afterEach(async () => {
    await api.close();
  });

  const request = (headers: Record<string, string>) => api.app.inject({ method: 'GET', url: TRENDING, headers });

  it('should answer 401 without a key and not touch Redis or ClickHouse', async () => {
    const response = await request({});

    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.json()).toEqual({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      detail: 'missing API key: send X-API-Key',
      instance: TRENDING,
    });
    expect(api.redis.answerReads).toEqual([]);
    expect(api.clickhouse.queries).toEqual([]);
  });

  it('should answer 401 to an unknown key', async () => {
    const response = await request({ 'x-api-key': 'not-the-key' });

    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ status: 401, title: 'Unauthorized', detail: 'unknown API key' });
    expect(api.redis.answerReads).toEqual([]);
  });

  it('should answer 401 to a key of the right length whose bytes differ', async () => {
    const sameLength = `${TEST_API_KEY.slice(0, -1)}${TEST_API_KEY.endsWith('x') ? 'y' : 'x'}`;
    expect(sameLength).toHaveLength(TEST_API_KEY.length);

    const response = await request({ 'x-api-key': sameLength });

    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ detail: 'unknown API key' });
    expect(api.clickhouse.queries).toEqual([]);
  });

  it('should answer 401 to a key that only starts with a known key', async () => {
    const response = await request({ 'x-api-key': `${TEST_API_KEY}-and-more` });

    expect(response.statusCode).toBe(401);
  });

  it('should answer 200 to the key in X-API-Key', async () => {
    const response = await request({ 'x-api-key': TEST_API_KEY });

    expect(response.statusCode).toBe(200);
    expect(response.json().data.topics).toHaveLength(3);
  });

  it('should answer 200 to the key as a Bearer token', async () => {
    const response = await request({ authorization: `Bearer ${TEST_API_KEY}` });

    expect(response.statusCode).toBe(200);
    expect(response.json().data.window).toBe('1m');
  });

  it('should answer 401 to a wrong Bearer token', async () => {
    const response = await request({ authorization: 'Bearer wrong-key-of-some-length' });

    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ detail: 'unknown API key' });
  });

  it('should answer 401 to an Authorization header that is not a Bearer token', async () => {
    const response = await request({ authorization: `Basic ${TEST_API_KEY}` });

    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ detail: 'missing API key: send X-API-Key' });
  });

  it('should check the key before validating the query', async () => {
    const response = await api.app.inject({ method: 'GET', url: `${TRENDING}?window=1y` });

    expect(response.statusCode).toBe(401);
  });

  it('should accept every key of a comma-separated API_KEYS', async () => {
    await api.close();
    api = await startApiTestApp({ env: { API_KEYS: 'first-key-1234, second-key-5678' } });

    expect((await request({ 'x-api-key': 'first-key-1234' })).statusCode).toBe(200);
    expect((await request({ authorization: 'Bearer second-key-5678' })).statusCode).toBe(200);
    expect((await request({ 'x-api-key': TEST_API_KEY })).statusCode).toBe(401);
  });

  describe('scopes', () => {
    const SESSIONS = '/v1/users/u-1/sessions';

    it('should let an admin key read the dashboards too', async () => {
      const response = await request({ 'x-api-key': TEST_ADMIN_API_KEY });

      expect(response.statusCode).toBe(200);
    });

    it('should answer per-user data to an admin key, and 403 naming the scope to a read key', async () => {
      api.clickhouse.withUserSessions('u-1', [userSessionRow()]);

      const admin = await api.app.inject({
        method: 'GET',
        url: SESSIONS,
        headers: { 'x-api-key': TEST_ADMIN_API_KEY },
      });
      const read = await api.app.inject({
        method: 'GET',
        url: SESSIONS,
        headers: { authorization: `Bearer ${TEST_API_KEY}` },
      });

      expect(admin.statusCode).toBe(200);
      expect(read.statusCode).toBe(403);
      expect(read.json()).toMatchObject({ type: PROBLEM_TYPES.insufficientScope, required_scope: 'admin' });
    });

    it('should take a key listed in API_KEYS and API_ADMIN_KEYS as admin', async () => {
      await api.close();
      api = await startApiTestApp({ env: { API_KEYS: 'both-lists-key', API_ADMIN_KEYS: 'both-lists-key' } });
      api.clickhouse.withUserSessions('u-1', [userSessionRow()]);

      const response = await api.app.inject({
        method: 'GET',
        url: SESSIONS,
        headers: { 'x-api-key': 'both-lists-key' },
      });

      expect(response.statusCode).toBe(200);
    });

    it('should count refusals by reason on /metrics', async () => {
      const before = await api.metric('api_requests_refused_total', { reason: 'forbidden' });

      await api.app.inject({ method: 'GET', url: SESSIONS, headers: { 'x-api-key': TEST_API_KEY } });

      expect(await api.metric('api_requests_refused_total', { reason: 'forbidden' })).toBe(before + 1);
    });
  });

  describe('rate limit per key (API_KEY_RATE_LIMIT, API_KEY_RATE_BURST)', () => {
    /** Date is frozen before the app is built: a bucket refills only when a test moves the clock. */
    beforeEach(async () => {
      await api.close();
      vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-26T12:00:00.000Z') });
      api = await startApiTestApp({ env: { API_KEY_RATE_LIMIT: '2', API_KEY_RATE_BURST: '3' } });
      api.clickhouse.withTrending('1m', trendingRows(3));
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    const asRead = () => request({ 'x-api-key': TEST_API_KEY });

    it('should allow the burst, then answer 429 with Retry-After and a problem, touching nothing', async () => {
      const burst = [await asRead(), await asRead(), await asRead()];
      const readsBefore = api.redis.answerReads.length;

      const limited = await asRead();

      expect(burst.map((r) => r.statusCode)).toEqual([200, 200, 200]);
      expect(limited.statusCode).toBe(429);
      expect(limited.headers['retry-after']).toBe('1');
      expect(limited.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(limited.json()).toEqual({
        type: PROBLEM_TYPES.rateLimited,
        title: 'Too Many Requests',
        status: 429,
        detail: 'rate limit of 2 requests per second for this API key exceeded; retry in 1 s',
        instance: TRENDING,
        retry_after: 1,
      });
      expect(api.redis.answerReads).toHaveLength(readsBefore);
    });

    it('should keep keys apart, whether the key comes in X-API-Key or as a Bearer token', async () => {
      for (let i = 0; i < 3; i++) await asRead();

      const sameKeyAsBearer = await request({ authorization: `Bearer ${TEST_API_KEY}` });
      const otherKey = await request({ 'x-api-key': TEST_ADMIN_API_KEY });

      expect(sameKeyAsBearer.statusCode).toBe(429);
      expect(otherKey.statusCode).toBe(200);
    });

    it('should refill at the rate once Retry-After has passed', async () => {
      for (let i = 0; i < 3; i++) await asRead();
      const limited = await asRead();

      vi.setSystemTime(Date.now() + Number(limited.headers['retry-after']) * 1000);
      const refilled = [await asRead(), await asRead(), await asRead()];

      // One second at 2 per second: two pass, the third waits again.
      expect(refilled.map((r) => r.statusCode)).toEqual([200, 200, 429]);
    });

    it('should not take tokens for requests without a valid key', async () => {
      for (let i = 0; i < 5; i++) await request({ 'x-api-key': 'not-a-known-key' });

      expect((await asRead()).statusCode).toBe(200);
    });
  });
});
