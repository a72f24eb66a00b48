import { env, loadConfig } from '@social-pulse/config';
import { DEFAULT_ANSWER_MAX_STALE_SECONDS, DEFAULT_PORTS } from '@social-pulse/shared';
import { z } from 'zod';

/** The public keys that work on one machine out of the box (dashboard reads, admin); production refuses them. */
export const DEV_API_KEY = 'pulse-dev-api-key';
export const DEV_ADMIN_API_KEY = 'pulse-dev-admin-key';

const apiKeys = (fallback: string) =>
  env
    .commaList(fallback)
    .pipe(
      z.array(z.string().min(8, 'expected API keys of at least 8 characters')).min(1, 'expected at least one API key'),
    );

/**
 * What a key may read: `read` the dashboards' aggregates, `admin` per-user data too (admin implies read).
 * A key's scope is the list it is in: API_KEYS or API_ADMIN_KEYS.
 */
export const API_SCOPES = ['read', 'admin'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** A browser origin (scheme, host and port, nothing after) or `*`. */
const origin = z.string().superRefine((value, ctx) => {
  if (value === '*') return;
  if (!z.url().safeParse(value).success || !/^https?:\/\//.test(value)) {
    ctx.addIssue({
      code: 'custom',
      message: 'expected origins such as http://localhost:3000, separated by commas, or *',
    });
  } else if (!/^https?:\/\/[^/?#]+$/.test(value)) {
    ctx.addIssue({ code: 'custom', message: 'expected origins without a path, such as https://dashboard.example' });
  }
});

const origins = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    )
    .pipe(z.array(origin));

/** Every environment variable the api reads, with its one-machine default; parsed once at start. */
export const apiConfigShape = {
  /** production refuses the one-machine defaults below that would be unsafe on a network (the Dockerfile sets it). */
  NODE_ENV: env.nodeEnv(),
  API_HOST: env.text('127.0.0.1'),
  API_PORT: env.port(DEFAULT_PORTS.api),
  /** Comma-separated keys that may read dashboards, scope `read` (secret); the default one is for one machine only. */
  API_KEYS: env.production(env.secret(apiKeys(DEV_API_KEY)), { devValues: [DEV_API_KEY] }),
  /** Comma-separated keys of scope `admin`: per-user data too, and every read (secret); the default is for one machine. */
  API_ADMIN_KEYS: env.production(env.secret(apiKeys(DEV_ADMIN_API_KEY)), { devValues: [DEV_ADMIN_API_KEY] }),
  /** Requests per second one key may make, refilling a bucket of API_KEY_RATE_BURST (per API process); then 429. */
  API_KEY_RATE_LIMIT: env.positiveInt(50),
  API_KEY_RATE_BURST: env.positiveInt(100),
  /** Browser origins that may call the API (CORS), comma-separated, or *; default: the API's own, on one machine. */
  API_CORS_ORIGINS: origins(`http://localhost:${DEFAULT_PORTS.api},http://127.0.0.1:${DEFAULT_PORTS.api}`),
  REDIS_URL: env.url(`redis://127.0.0.1:${DEFAULT_PORTS.redis}`),
  CLICKHOUSE_URL: env.url(`http://127.0.0.1:${DEFAULT_PORTS.clickhouseHttp}`),
  /** How long a trending list computed on a cold key (the refresh workflows write the others) is cached. */
  TRENDING_CACHE_TTL_SECONDS: env.positiveInt(30),
  /**
   * A Redis command not answered by then counts as failed: the answer comes from ClickHouse instead.
   * Measured from the API's side, so it includes the event loop's delay: at 50 ms, 50 concurrent
   * clients on a busy 2-core machine made healthy Redis reads time out, open the circuit, and send
   * every request to ClickHouse, which then timed out in turn. 250 ms still bounds a hung Redis.
   */
  REDIS_TIMEOUT_MS: env.positiveInt(250),
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
