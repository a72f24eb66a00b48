import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { startDefaultMetrics } from '@social-pulse/observability';
import { configureHttpApp, createFastifyAdapter } from '@social-pulse/observability/nest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHttpOptions } from '../api-http';
import { createApiModule } from '../app.module';
import { apiTestConfig, readMetric, TEST_API_KEY } from '../testing/api-test-app';
import { FakeClickHouseServer } from '../testing/fake-clickhouse-server';
import { FakeRedisServer } from '../testing/fake-redis-server';
import { trendingRows } from '../testing/trending.fixtures';

// Component tier, one level below startApiTestApp's fakes: the API module with its real
// repositories, whose clients talk to fake servers, so that what GET /metrics shows of the two
// stores is what the running API would show (main.ts labels every metric with its service).

describe('store metrics on GET /metrics', () => {
  let clickhouse: FakeClickHouseServer;
  let redis: FakeRedisServer;
  let app: NestFastifyApplication;

  const scrape = async () => (await app.inject({ method: 'GET', url: '/metrics' })).body;

  beforeAll(async () => {
    startDefaultMetrics('api');
    [clickhouse, redis] = await Promise.all([FakeClickHouseServer.start(), FakeRedisServer.start()]);
    // Timeouts far above a loaded test machine's hiccups: a command given up mid-way would be timed
    // as a timeout, or still running when the test scrapes.
    const config = apiTestConfig({
      CLICKHOUSE_URL: clickhouse.url,
      REDIS_URL: redis.url,
      REDIS_TIMEOUT_MS: '5000',
      CLICKHOUSE_TIMEOUT_MS: '5000',
    });
    const moduleRef = await Test.createTestingModule({ imports: [createApiModule(config)] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(apiHttpOptions(config)), {
      logger: false,
    });
    await configureHttpApp(app, apiHttpOptions(config));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all([clickhouse?.close(), redis?.close()]);
  });

  it("should show a cold request's Redis commands and ClickHouse query, labelled with the service", async () => {
    clickhouse.answer(trendingRows(3));
    // Both clients connected (ioredis's ready check answered): no command refused for want of one.
    await expect
      .poll(async () => (await app.inject({ method: 'GET', url: '/ready' })).json().status, { timeout: 10_000 })
      .toBe('ready');

    const response = await app.inject({
      method: 'GET',
      url: '/v1/trending?window=5m',
      headers: { 'x-api-key': TEST_API_KEY },
    });

    expect(response.statusCode).toBe(200);
    const metrics = await scrape();
    const count = (name: string, labels: Record<string, string>) =>
      readMetric(metrics, `${name}_count`, { service: 'api', outcome: 'ok', ...labels });
    // The key was cold: read in Redis, computed by one query, written back in one MULTI.
    expect(count('pulse_redis_command_duration_seconds', { command: 'get' })).toBeGreaterThanOrEqual(1);
    expect(count('pulse_clickhouse_query_duration_seconds', { query: 'trending_latest' })).toBe(1);
    expect(count('pulse_redis_command_duration_seconds', { command: 'multi' })).toBe(1);
    expect(count('pulse_clickhouse_query_duration_seconds', { query: 'ping' })).toBeGreaterThanOrEqual(1);
    expect(count('pulse_redis_command_duration_seconds', { command: 'ping' })).toBeGreaterThanOrEqual(1);
    expect(metrics).toMatch(
      /^pulse_redis_command_duration_seconds_bucket\{le="0\.0001",service="api",command="get",outcome="ok"\} \d+$/m,
    );
  });
});
