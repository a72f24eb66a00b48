import { createLogger } from '@social-pulse/observability';
import { Kafka, logLevel, type KafkaConfig, type logCreator } from 'kafkajs';
import { registerLz4Codec } from './lz4-codec';

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** kafkajs log entries become the service's JSON log lines, with their context kept. */
const pinoLogCreator =
  (service: string): logCreator =>
  () => {
    const logger = createLogger(service).child({ component: 'kafkajs' });
    return ({ level, namespace, log }) => {
      const { message, timestamp: _timestamp, logger: _name, ...context } = log;
      logger[LEVELS[level] ?? 'info']({ namespace, ...context }, message);
    };
  };

/** A Kafka client with the platform's conventions: LZ4 available, logs in the service's format. */
export function createKafka(service: string, brokers: string[], overrides: Partial<KafkaConfig> = {}): Kafka {
  registerLz4Codec();
  return new Kafka({
    clientId: `social-pulse-${service}`,
    brokers,
    logLevel: logLevel.WARN,
    logCreator: pinoLogCreator(service),
    ...overrides,
  });
}
