import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApiTestApp, type ApiTestApp } from '../testing/api-test-app';
import { HealthController } from './health.controller';

describe(HealthController.name, () => {
  let api: ApiTestApp;

  beforeEach(async () => {
    api = await startApiTestApp();
  });

  afterEach(async () => {
    await api.close();
  });

  const getWithoutKey = (url: string) => api.app.inject({ method: 'GET', url });

  it('should answer liveness without an API key', async () => {
    const response = await getWithoutKey('/health');

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', service: 'api' });
  });

  it('should answer liveness while Redis and ClickHouse are down', async () => {
    api.redis.goDown();
    api.clickhouse.failWith();

    const response = await getWithoutKey('/health');

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', service: 'api' });
  });

  it('should report ready, with each dependency, without an API key', async () => {
    const response = await getWithoutKey('/ready');

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', redis: true, clickhouse: true });
  });

  it('should report degraded, still 200, when one dependency does not answer', async () => {
    api.redis.goDown();
    expect((await getWithoutKey('/ready')).json()).toEqual({ status: 'degraded', redis: false, clickhouse: true });

    api.redis.recover();
    api.clickhouse.failWith();
    const response = await getWithoutKey('/ready');

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'degraded', redis: true, clickhouse: false });
  });

  it('should report unready with 503 when neither answers, within their timeouts when they hang', async () => {
    await api.close();
    api = await startApiTestApp({ env: { REDIS_TIMEOUT_MS: '50', CLICKHOUSE_TIMEOUT_MS: '100' } });
    api.redis.hold();
    api.clickhouse.hold();
    const started = performance.now();

    const response = await getWithoutKey('/ready');

    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toEqual({
      type: 'about:blank',
      title: 'Service Unavailable',
      status: 503,
      detail: 'unready: neither Redis nor ClickHouse answers',
      instance: '/ready',
      redis: false,
      clickhouse: false,
    });
    expect(performance.now() - started).toBeLessThan(api.config.CLICKHOUSE_TIMEOUT_MS + api.config.REDIS_TIMEOUT_MS);
    api.redis.release();
    api.clickhouse.release();
  });

  it('should report ready again once the dependencies recover', async () => {
    api.redis.goDown();
    api.clickhouse.failWith();
    expect((await getWithoutKey('/ready')).statusCode).toBe(503);

    api.redis.recover();
    api.clickhouse.recover();

    expect((await getWithoutKey('/ready')).json()).toEqual({ status: 'ready', redis: true, clickhouse: true });
  });
});
