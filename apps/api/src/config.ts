import { env, loadConfig } from '@social-pulse/config';
import { DEFAULT_ANSWER_MAX_STALE_SECONDS, DEFAULT_PORTS } from '@social-pulse/shared';
import { z } from 'zod';

/** The public key that works on one machine out of the box; production refuses it. */
export const DEV_API_KEY = 'pulse-dev-api-key';

const apiKeys = z
  .string()
  .default(DEV_API_KEY)
  .transform((value) =>
    value
      .split(',')
      .map((key) => key.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(z.string().min(8, 'expected API keys of at least 8 characters')).min(1, 'expected at least one API key'),
  );

/** Every environment variable the api reads, with its one-machine default; parsed once at start. */
export const apiConfigShape = {
  /** production refuses the one-machine defaults below that would be unsafe on a network (the Dockerfile sets it). */
  NODE_ENV: env.nodeEnv(),
  API_HOST: env.text('127.0.0.1'),
  API_PORT: env.port(DEFAULT_PORTS.api),
  /** Comma-separated keys that may read dashboards (secret); the default one is for one machine only. */
  API_KEYS: env.production(env.secret(apiKeys), { devValues: [DEV_API_KEY] }),
  REDIS_URL: env.url(`redis://127.0.0.1:${DEFAULT_PORTS.redis}`),
  CLICKHOUSE_URL: env.url(`http://127.0.0.1:${DEFAULT_PORTS.clickhouseHttp}`),
  /** How long a trending list computed on a cold key (the refresh workflows write the others) is cached. */
  TRENDING_CACHE_TTL_SECONDS: env.positiveInt(30),
  /** A Redis command not answered by then counts as failed: the answer comes from ClickHouse instead. */
  REDIS_TIMEOUT_MS: env.positiveInt(50),
  /** A ClickHouse query not answered by then counts as failed: the last good answer is served instead. */
  CLICKHOUSE_TIMEOUT_MS: env.positiveInt(3_000),
  /** Failures in a row that open a dependency's circuit, and how long it then stays open. */
  DEPENDENCY_FAILURES_TO_OPEN: env.positiveInt(3),
  DEPENDENCY_OPEN_MS: env.positiveInt(5_000),
  /** The oldest data (age_ms) a last good answer may have when ClickHouse fails; older: 503. */
  ANSWER_MAX_STALE_SECONDS: env.positiveInt(DEFAULT_ANSWER_MAX_STALE_SECONDS),
  LOG_LEVEL: env.logLevel(),
};

export const loadApiConfig = (source: NodeJS.ProcessEnv = process.env) => loadConfig(apiConfigShape, source);

export type ApiConfig = ReturnType<typeof loadApiConfig>;
export const API_CONFIG = Symbol('API_CONFIG');
