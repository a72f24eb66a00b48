import { env, loadConfig } from '@social-pulse/config';
import { DEFAULT_PORTS } from '@social-pulse/shared';

/** Every environment variable the collector reads, with its one-machine default; parsed once at start. */
export const collectorConfigShape = {
  COLLECTOR_HOST: env.text('127.0.0.1'),
  COLLECTOR_PORT: env.port(DEFAULT_PORTS.collector),
  KAFKA_BROKERS: env.hostPortList(`127.0.0.1:${DEFAULT_PORTS.kafka}`),
  LOG_LEVEL: env.logLevel(),
};

export const loadCollectorConfig = (source: NodeJS.ProcessEnv = process.env) =>
  loadConfig(collectorConfigShape, source);

export type CollectorConfig = ReturnType<typeof loadCollectorConfig>;
export const COLLECTOR_CONFIG = Symbol('COLLECTOR_CONFIG');
