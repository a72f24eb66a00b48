import { env, loadConfig } from '@social-pulse/config';
import { DEFAULT_PORTS } from '@social-pulse/shared';
import { z } from 'zod';

/** Every environment variable the collector reads, with its one-machine default; parsed once at start. */
export const collectorConfigShape = {
  COLLECTOR_HOST: env.text('127.0.0.1'),
  COLLECTOR_PORT: env.port(DEFAULT_PORTS.collector),
  KAFKA_BROKERS: env.hostPortList(`127.0.0.1:${DEFAULT_PORTS.kafka}`),
  /** Comma-separated keys that may write events; the default one is for one machine only. */
  COLLECTOR_WRITE_KEYS: z
    .string()
    .default('pulse-dev-write-key')
    .transform((value) => value.split(',').map((key) => key.trim()).filter(Boolean))
    .pipe(z.array(z.string().min(8, 'expected write keys of at least 8 characters')).min(1, 'expected at least one write key')),
  /** Origins allowed to post from browsers: `*` or a comma-separated list. */
  COLLECTOR_CORS_ORIGINS: env.text('*'),
  COLLECTOR_MAX_BODY_BYTES: env.positiveInt(1_048_576),
  COLLECTOR_MAX_BATCH_EVENTS: env.positiveInt(500),
  COLLECTOR_MAX_EVENT_BYTES: env.positiveInt(32_768),
  LOG_LEVEL: env.logLevel(),
};

export const loadCollectorConfig = (source: NodeJS.ProcessEnv = process.env) =>
  loadConfig(collectorConfigShape, source);

export type CollectorConfig = ReturnType<typeof loadCollectorConfig>;
export const COLLECTOR_CONFIG = Symbol('COLLECTOR_CONFIG');
