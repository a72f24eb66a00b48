import { env, loadConfig } from '@social-pulse/config';
import { DEFAULT_PORTS } from '@social-pulse/shared';

/** The API's settings, read once at start; a bad value stops the process naming it. */
export const loadApiConfig = (source: NodeJS.ProcessEnv = process.env) =>
  loadConfig(
    {
      API_HOST: env.text('127.0.0.1'),
      API_PORT: env.port(DEFAULT_PORTS.api),
      REDIS_URL: env.url(`redis://127.0.0.1:${DEFAULT_PORTS.redis}`),
      CLICKHOUSE_URL: env.url(`http://127.0.0.1:${DEFAULT_PORTS.clickhouseHttp}`),
      LOG_LEVEL: env.logLevel(),
    },
    source,
  );

export type ApiConfig = ReturnType<typeof loadApiConfig>;
export const API_CONFIG = Symbol('API_CONFIG');
