import { env, loadConfig } from '@social-pulse/config';
import { DEFAULT_PORTS } from '@social-pulse/shared';
import { z } from 'zod';

/** Every environment variable the api reads, with its one-machine default; parsed once at start. */
export const apiConfigShape = {
  API_HOST: env.text('127.0.0.1'),
  API_PORT: env.port(DEFAULT_PORTS.api),
  /** Comma-separated keys that may read dashboards; the default one is for one machine only. */
  API_KEYS: z
    .string()
    .default('pulse-dev-api-key')
    .transform((value) =>
      value
        .split(',')
        .map((key) => key.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(z.string().min(8, 'expected API keys of at least 8 characters')).min(1, 'expected at least one API key'),
    ),
  REDIS_URL: env.url(`redis://127.0.0.1:${DEFAULT_PORTS.redis}`),
  CLICKHOUSE_URL: env.url(`http://127.0.0.1:${DEFAULT_PORTS.clickhouseHttp}`),
  /** How long a cached answer may be served when the background refresh stalls. */
  TRENDING_CACHE_TTL_SECONDS: env.positiveInt(30),
  /** How often the hot trending keys are recomputed from ClickHouse. */
  TRENDING_REFRESH_INTERVAL_MS: env.positiveInt(500),
  LOG_LEVEL: env.logLevel(),
};

export const loadApiConfig = (source: NodeJS.ProcessEnv = process.env) => loadConfig(apiConfigShape, source);

export type ApiConfig = ReturnType<typeof loadApiConfig>;
export const API_CONFIG = Symbol('API_CONFIG');
