import { appEnvironment, brokerPorts, loadSettings, stateDir } from '@social-pulse/pulse/testing';

/**
 * Where the running platform's services are, from the same settings `pulse up` used (the
 * environment: KAFKA_PORT, API_PORT, ..., CLICKHOUSE_URL). Tests and benchmarks reach the
 * platform through these, never through a port number of their own.
 */
function platformAddresses() {
  const settings = loadSettings();
  const env = appEnvironment(settings, stateDir());
  return {
    settings,
    kafkaBrokers: env.KAFKA_BROKERS!.split(','),
    /** Each broker's port, its controller's and its metrics', as `pulse status` lists them. */
    kafkaNodes: brokerPorts({ brokerCount: settings.KAFKA_BROKER_COUNT, basePort: settings.KAFKA_PORT }).map(
      (node) => ({ ...node, metricsPort: settings.KAFKA_METRICS_PORT + node.nodeId - 1 }),
    ),
    redisUrl: env.REDIS_URL!,
    temporalAddress: env.TEMPORAL_ADDRESS!,
    flinkRestUrl: env.FLINK_REST_URL!,
    clickhouseUrl: env.CLICKHOUSE_URL!,
    /** False when CLICKHOUSE_URL names a server of its own, so `pulse up` starts no local one. */
    localClickhouse: !process.env.CLICKHOUSE_URL,
    apiUrl: `http://127.0.0.1:${settings.API_PORT}`,
    collectorUrl: `http://127.0.0.1:${settings.COLLECTOR_PORT}`,
    workerUrl: `http://127.0.0.1:${settings.WORKER_PORT}`,
    prometheusUrl: `http://127.0.0.1:${settings.PROMETHEUS_PORT}`,
    alertmanagerUrl: `http://127.0.0.1:${settings.ALERTMANAGER_PORT}`,
  };
}

export type Platform = ReturnType<typeof platformAddresses>;

export const platform: Platform = platformAddresses();
