import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiHttpOptions } from './api-http';
import { AnswerDataError } from './dtos/answer-data-error';
import { startApiTestApp, TEST_API_KEY, type ApiTestApp } from './testing/api-test-app';
import { TRENDING_TOPIC_FIELDS, trendingRows } from './testing/trending.fixtures';

describe(apiHttpOptions.name, () => {
  let api: ApiTestApp;

  beforeEach(async () => {
    api = await startApiTestApp();
  });

  afterEach(async () => {
    await api.close();
  });

  it('should publish the OpenAPI document with the X-API-Key scheme, without a key', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/docs/openapi.json' });

    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.info).toMatchObject({ title: 'Social Pulse API' });
    expect(Object.keys(document.components.securitySchemes)).toEqual(['api-key']);
    expect(document.components.securitySchemes['api-key']).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'X-API-Key',
    });
    expect(document.paths['/v1/trending'].get.security).toEqual([{ 'api-key': [] }]);
    expect(document.paths['/v1/trending/{topic}/history'].get.security).toEqual([{ 'api-key': [] }]);
  });

  it('should describe both trending answers as the one envelope, with the score parts', async () => {
    const document = (await api.app.inject({ method: 'GET', url: '/docs/openapi.json' })).json();
    const schemas = document.components.schemas;
    const okSchema = (path: string) => document.paths[path].get.responses['200'].content['application/json'].schema;

    expect(okSchema('/v1/trending')).toEqual({ $ref: '#/components/schemas/TrendingAnswerDto' });
    expect(okSchema('/v1/trending/{topic}/history')).toEqual({ $ref: '#/components/schemas/TopicHistoryAnswerDto' });
    for (const name of ['TrendingAnswerDto', 'TopicHistoryAnswerDto']) {
      expect(Object.keys(schemas[name].properties).sort()).toEqual(
        ['age_ms', 'computed_at', 'data', 'data_time', 'source', 'stale', 'stale_after_ms'].sort(),
      );
      expect(schemas[name].properties.source.enum).toEqual(['redis', 'clickhouse']);
    }
    expect(schemas.TrendingAnswerDto.properties.data).toEqual({ $ref: '#/components/schemas/TrendingDataDto' });
    expect(Object.keys(schemas.TrendingTopicDto.properties)).toEqual(TRENDING_TOPIC_FIELDS);
    expect(schemas.TrendingDataDto.properties.window.enum).toEqual(['1m', '5m', '15m']);
  });

  it('should expose the api metrics without a key', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/metrics' });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.body).toContain('api_cache_lookups_total');
  });

  it('should time each request per route pattern and outcome: hot, cold, error', async () => {
    const count = (labels: Record<string, string>) => api.metric('http_request_duration_seconds_count', labels);
    const route = { route: '/v1/trending', method: 'GET' };
    const before = { hot: await count({ ...route, outcome: 'hot' }), cold: await count({ ...route, outcome: 'cold' }) };
    api.clickhouse.withTrending('1m', trendingRows(2));
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2025-06-01T12:01:02.000Z') }); // the rows are fresh

    await api.get('/v1/trending?window=1m'); // a cold key: computed from ClickHouse
    await api.get('/v1/trending?window=1m'); // then cached
    api.clickhouse.failWith();
    await api.get('/v1/trending?window=5m'); // nothing to serve: 503

    expect(await count({ ...route, outcome: 'cold', status: '200' })).toBe(before.cold + 1);
    expect(await count({ ...route, outcome: 'hot', status: '200' })).toBe(before.hot + 1);
    expect(await count({ ...route, outcome: 'error', status: '503' })).toBeGreaterThanOrEqual(1);
    expect(await count({ route: '/v1/trending/:topic/history', method: 'GET' })).toBe(0);
    vi.useRealTimers();
  });

  it('should take the host and port from the configuration', () => {
    expect(apiHttpOptions(api.config)).toMatchObject({ service: 'api', host: '127.0.0.1', port: api.config.API_PORT });
  });

  describe('errors as problem details (RFC 9457)', () => {
    it('should answer an unknown route 404 with a problem, key or not', async () => {
      const withoutKey = await api.app.inject({ method: 'GET', url: '/v1/nothing-here?api_key=secret' });
      const wrongMethod = await api.app.inject({
        method: 'DELETE',
        url: '/v1/trending',
        headers: { 'x-api-key': TEST_API_KEY },
      });

      expect(withoutKey.statusCode).toBe(404);
      expect(withoutKey.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(withoutKey.json()).toEqual({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: 'Cannot GET /v1/nothing-here?api_key=secret',
        instance: '/v1/nothing-here',
      });
      expect(wrongMethod.statusCode).toBe(404);
      expect(wrongMethod.json()).toMatchObject({ status: 404, instance: '/v1/trending' });
    });

    it('should answer an unexpected error 500 without its message, and log it', async () => {
      api.clickhouse.failWith(new AnswerDataError('impressions 9007199254740993 is not exact in a number'));

      const response = await api.get('/v1/trending?window=15m');

      expect(response.statusCode).toBe(500);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(response.json()).toEqual({
        type: 'about:blank',
        title: 'Internal Server Error',
        status: 500,
        detail: 'an internal error occurred; it has been logged',
        instance: '/v1/trending',
      });
      expect(response.body).not.toContain('9007199254740993');
    });

    it('should answer a query parameter the route does not read 400, naming it', async () => {
      const response = await api.get('/v1/trending?windw=5m&limit=3');

      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        errors: [{ parameter: 'windw', detail: 'unknown query parameter windw; this route reads window, limit' }],
      });
      expect(api.clickhouse.queries).toEqual([]);
    });

    it('should answer any query parameter on a route that reads none 400', async () => {
      const response = await api.get('/v1/engagement/live?window=5m');

      expect(response.statusCode).toBe(400);
      expect(response.json().detail).toBe('unknown query parameter window; this route reads none');
    });
  });

  describe('CORS (API_CORS_ORIGINS)', () => {
    const preflight = (origin: string) =>
      api.app.inject({
        method: 'OPTIONS',
        url: '/v1/trending',
        headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-api-key' },
      });

    it("should answer a preflight from the API's own origin by default, allowing the key header", async () => {
      const response = await preflight('http://localhost:3000');

      expect(response.statusCode).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBe('http://localhost:3000');
      expect(response.headers['access-control-allow-headers']).toContain('x-api-key');
      expect(response.headers['access-control-allow-methods']).toContain('GET');
    });

    it('should not allow an origin it was not given', async () => {
      const response = await preflight('https://elsewhere.example');

      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('should expose the freshness headers, keeping Vary on both Origin and the key', async () => {
      await api.close();
      api = await startApiTestApp({ env: { API_CORS_ORIGINS: 'https://dash.example, https://ops.example' } });
      api.clickhouse.withTrending('1m', trendingRows(1));

      const response = await api.get('/v1/trending', { origin: 'https://ops.example' });

      expect(response.statusCode).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBe('https://ops.example');
      const exposed = String(response.headers['access-control-expose-headers']).split(', ');
      expect(exposed).toEqual(expect.arrayContaining(['age', 'etag', 'x-answer-source', 'retry-after']));
      expect(String(response.headers.vary).split(', ')).toEqual(expect.arrayContaining(['Origin', 'X-API-Key']));
    });

    it('should give refusals the CORS headers too, so a page can read the problem', async () => {
      const response = await api.app.inject({
        method: 'GET',
        url: '/v1/trending',
        headers: { origin: 'http://127.0.0.1:3000' },
      });

      expect(response.statusCode).toBe(401);
      expect(response.headers['access-control-allow-origin']).toBe('http://127.0.0.1:3000');
    });

    it('should allow any origin with *', async () => {
      await api.close();
      api = await startApiTestApp({ env: { API_CORS_ORIGINS: '*' } });

      const response = await preflight('https://anywhere.example');

      expect(response.headers['access-control-allow-origin']).toBe('*');
    });
  });
});
