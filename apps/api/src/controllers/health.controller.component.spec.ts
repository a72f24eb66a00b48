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

  it('should report ready without an API key when Redis answers', async () => {
    const response = await getWithoutKey('/ready');

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', redis: true });
  });

  it('should report unready with 503 when Redis does not answer', async () => {
    api.redis.goDown();

    const response = await getWithoutKey('/ready');

    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ status: 'unready', redis: false });
  });

  it('should report ready again once Redis recovers', async () => {
    api.redis.goDown();
    expect((await getWithoutKey('/ready')).statusCode).toBe(503);

    api.redis.recover();

    const response = await getWithoutKey('/ready');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', redis: true });
  });

  // Readiness today depends on the hot tier only: cached answers are served while ClickHouse is down.
  it('should stay ready while ClickHouse is down, without asking ClickHouse', async () => {
    api.clickhouse.failWith();

    const response = await getWithoutKey('/ready');

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', redis: true });
    expect(api.clickhouse.pings).toBe(0);
  });
});
