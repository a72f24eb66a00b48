import { env, loadConfig } from '@social-pulse/config';
import { DEFAULT_PORTS } from '@social-pulse/shared';

/** Every environment variable the api reads, with its one-machine default; parsed once at start. */
export const apiConfigShape = {
  API_HOST: env.text('127.0.0.1'),
  API_PORT: env.port(DEFAULT_PORTS.api),
  REDIS_URL: env.url(`redis://127.0.0.1:${DEFAULT_PORTS.redis}`),
  CLICKHOUSE_URL: env.url(`http://127.0.0.1:${DEFAULT_PORTS.clickhouseHttp}`),
  LOG_LEVEL: env.logLevel(),
};

export const loadApiConfig = (source: NodeJS.ProcessEnv = process.env) =>
  loadConfig(apiConfigShape, source);

export type ApiConfig = ReturnType<typeof loadApiConfig>;
export const API_CONFIG = Symbol('API_CONFIG');
