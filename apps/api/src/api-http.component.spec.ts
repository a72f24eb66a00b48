import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiHttpOptions } from './api-http';
import { startApiTestApp, type ApiTestApp } from './testing/api-test-app';
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
    expect(document.components.securitySchemes).toEqual({
      'api-key': { type: 'apiKey', in: 'header', name: 'X-API-Key' },
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
});
