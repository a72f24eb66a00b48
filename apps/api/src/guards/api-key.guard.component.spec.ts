import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApiTestApp, TEST_API_KEY, type ApiTestApp } from '../testing/api-test-app';
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
    expect(response.json()).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'missing API key: send X-API-Key',
    });
    expect(api.redis.answerReads).toEqual([]);
    expect(api.clickhouse.queries).toEqual([]);
  });

  it('should answer 401 to an unknown key', async () => {
    const response = await request({ 'x-api-key': 'not-the-key' });

    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'unknown API key' });
    expect(api.redis.answerReads).toEqual([]);
  });

  it('should answer 401 to a key of the right length whose bytes differ', async () => {
    const sameLength = `${TEST_API_KEY.slice(0, -1)}${TEST_API_KEY.endsWith('x') ? 'y' : 'x'}`;
    expect(sameLength).toHaveLength(TEST_API_KEY.length);

    const response = await request({ 'x-api-key': sameLength });

    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ message: 'unknown API key' });
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
    expect(response.json()).toMatchObject({ message: 'unknown API key' });
  });

  it('should answer 401 to an Authorization header that is not a Bearer token', async () => {
    const response = await request({ authorization: `Basic ${TEST_API_KEY}` });

    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ message: 'missing API key: send X-API-Key' });
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
});
