import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { configureHttpApp, createFastifyAdapter } from '@social-pulse/observability/nest';
import type { LightMyRequestResponse } from 'fastify';
import { apiHttpOptions } from '../api-http';
import { createApiModule } from '../app.module';
import { loadApiConfig, type ApiConfig } from '../config';
import { ClickHouseRepository } from '../repositories/clickhouse.repository';
import { RedisRepository } from '../repositories/redis.repository';
import { TrendingService } from '../services/trending.service';
import { FakeClickHouseRepository } from './fake-clickhouse.repository';
import { FakeRedisRepository } from './fake-redis.repository';

export const TEST_API_KEY = 'test-api-key-0123456789';
/** A key of scope admin (API_ADMIN_KEYS), for per-user routes. */
export const TEST_ADMIN_API_KEY = 'test-admin-key-0123456789';
export const TEST_CACHE_TTL_SECONDS = 45;

/** The api's configuration through its real loader, with test values for keys and the cache TTL. */
export function apiTestConfig(env: NodeJS.ProcessEnv = {}): ApiConfig {
  return loadApiConfig({
    API_KEYS: TEST_API_KEY,
    API_ADMIN_KEYS: TEST_ADMIN_API_KEY,
    TRENDING_CACHE_TTL_SECONDS: String(TEST_CACHE_TTL_SECONDS),
    LOG_LEVEL: 'silent',
    ...env,
  });
}

export interface ApiTestApp {
  app: NestFastifyApplication;
  config: ApiConfig;
  redis: FakeRedisRepository;
  clickhouse: FakeClickHouseRepository;
  trending: TrendingService;
  /** GET with the test API key in X-API-Key. */
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** The value of a Prometheus sample on GET /metrics (0 when absent). */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  /** Closes the app; closing twice is harmless. */
  close(): Promise<void>;
}

export interface ApiTestAppOptions {
  env?: NodeJS.ProcessEnv;
  redis?: FakeRedisRepository;
  clickhouse?: FakeClickHouseRepository;
}

/**
 * The real api module with fakes at its two outgoing ports (Redis, ClickHouse), on Fastify with the
 * same HTTP options as main.ts, answering app.inject() without listening on a port.
 */
export async function startApiTestApp(options: ApiTestAppOptions = {}): Promise<ApiTestApp> {
  const config = apiTestConfig(options.env);
  const redis = options.redis ?? new FakeRedisRepository();
  const clickhouse = options.clickhouse ?? new FakeClickHouseRepository();
  const moduleRef = await Test.createTestingModule({ imports: [createApiModule(config)] })
    .overrideProvider(RedisRepository)
    .useValue(redis)
    .overrideProvider(ClickHouseRepository)
    .useValue(clickhouse)
    .compile();
  const httpOptions = apiHttpOptions(config);
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(httpOptions), {
    logger: false,
  });
  await configureHttpApp(app, httpOptions);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();

  let closed = false;
  const metric = async (name: string, labels: Record<string, string> = {}) => {
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    return readMetric(response.body, name, labels);
  };
  return {
    app,
    config,
    redis,
    clickhouse,
    trending: app.get(TrendingService),
    get: (url, headers = {}) => app.inject({ method: 'GET', url, headers: { 'x-api-key': TEST_API_KEY, ...headers } }),
    metric,
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
    },
  };
}

/** One sample of a Prometheus text exposition, matched by name and (a subset of) its labels. */
export function readMetric(exposition: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of exposition.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const sampleLabels = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, key, value]) => [key, value]),
    );
    if (Object.entries(labels).every(([key, value]) => sampleLabels[key] === value)) return Number(match[3]);
  }
  return 0;
}
