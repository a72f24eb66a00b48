import { stateDir } from '../../tools/pulse/src/paths';
import { appEnvironment } from '../../tools/pulse/src/platform';
import { loadSettings } from '../../tools/pulse/src/settings';

/** Where the running platform's services are, from the same settings `pulse up` used. */
const settings = loadSettings();
const env = appEnvironment(settings, stateDir());

export const platform = {
  settings,
  kafkaBrokers: env.KAFKA_BROKERS!.split(','),
  redisUrl: env.REDIS_URL!,
  temporalAddress: env.TEMPORAL_ADDRESS!,
  flinkRestUrl: env.FLINK_REST_URL!,
  clickhouseUrl: env.CLICKHOUSE_URL!,
  apiUrl: `http://127.0.0.1:${settings.API_PORT}`,
  collectorUrl: `http://127.0.0.1:${settings.COLLECTOR_PORT}`,
  workerUrl: `http://127.0.0.1:${settings.WORKER_PORT}`,
};
