import { env, loadConfig } from '@social-pulse/config';
import { DEFAULT_PORTS } from '@social-pulse/shared';

/** The collector's settings, read once at start; a bad value stops the process naming it. */
export const loadCollectorConfig = (source: NodeJS.ProcessEnv = process.env) =>
  loadConfig(
    {
      COLLECTOR_HOST: env.text('127.0.0.1'),
      COLLECTOR_PORT: env.port(DEFAULT_PORTS.collector),
      KAFKA_BROKERS: env.hostPortList(`127.0.0.1:${DEFAULT_PORTS.kafka}`),
      LOG_LEVEL: env.logLevel(),
    },
    source,
  );

export type CollectorConfig = ReturnType<typeof loadCollectorConfig>;
export const COLLECTOR_CONFIG = Symbol('COLLECTOR_CONFIG');
