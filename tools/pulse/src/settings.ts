import { identifierProblem } from '@social-pulse/clickhouse';
import { env, loadConfig } from '@social-pulse/config';
import { DEFAULT_PORTS } from '@social-pulse/shared';
import { z } from 'zod';
import { ALERT_RECEIVER_DEFAULT_PORT } from './services/alert-receiver';
import { COLLECTOR_LB_METRICS_DEFAULT_PORT, COLLECTOR_REPLICA_DEFAULT_PORT } from './services/collector-lb';

const CLUSTER_NAME_EXPECTED = 'expected a cluster name: letters, digits and _, not starting with a digit';

/**
 * What the local platform can be told through the environment. The apps read the same
 * variable names (KAFKA_BROKERS, REDIS_URL, TEMPORAL_ADDRESS, ...) from their own config.
 */
export function loadSettings(source: NodeJS.ProcessEnv = process.env) {
  return loadConfig(
    {
      KAFKA_PORT: env.port(DEFAULT_PORTS.kafka),
      KAFKA_BROKER_COUNT: env.positiveInt(1),
      KAFKA_HEAP: env.text('1g'),
      // Broker i serves its JMX metrics for Prometheus on KAFKA_METRICS_PORT + i - 1.
      KAFKA_METRICS_PORT: env.port(DEFAULT_PORTS.kafkaMetrics),
      FLINK_REST_PORT: env.port(DEFAULT_PORTS.flinkRest),
      FLINK_RPC_PORT: env.port(DEFAULT_PORTS.flinkRpc),
      // Flink's Prometheus reporter: the JobManager on this port, TaskManager i on this port + i.
      FLINK_METRICS_PORT: env.port(DEFAULT_PORTS.flinkMetrics),
      FLINK_TASKMANAGERS: env.positiveInt(1),
      // A slot per platform job (4) and two to spare: a deploy's new job, a benchmark or a test's job.
      FLINK_TASK_SLOTS: env.positiveInt(6),
      FLINK_TASKMANAGER_MEMORY: env.text('3072m'),
      FLINK_JOBMANAGER_MEMORY: env.text('1024m'),
      TEMPORAL_PORT: env.port(DEFAULT_PORTS.temporal),
      TEMPORAL_UI_PORT: env.port(DEFAULT_PORTS.temporalUi),
      REDIS_PORT: env.port(DEFAULT_PORTS.redis),
      CLICKHOUSE_PORT: env.port(DEFAULT_PORTS.clickhouseHttp),
      // A ClickHouse cluster (as its servers' remote_servers name it) that CLICKHOUSE_URL is a host of: the
      // migrations are applied ON CLUSTER, with replicated and Distributed tables. Empty: one server.
      CLICKHOUSE_CLUSTER: env
        .text('')
        .refine((name) => name === '' || identifierProblem(name) === undefined, CLUSTER_NAME_EXPECTED),
      COLLECTOR_PORT: env.port(DEFAULT_PORTS.collector),
      // More than one: collector i on COLLECTOR_REPLICA_PORT + i - 1, behind a load balancer (HAProxy) on
      // COLLECTOR_PORT whose metrics are on COLLECTOR_LB_METRICS_PORT.
      COLLECTOR_REPLICAS: env.positiveInt(1),
      COLLECTOR_REPLICA_PORT: env.port(COLLECTOR_REPLICA_DEFAULT_PORT),
      COLLECTOR_LB_METRICS_PORT: env.port(COLLECTOR_LB_METRICS_DEFAULT_PORT),
      API_PORT: env.port(DEFAULT_PORTS.api),
      WORKER_PORT: env.port(DEFAULT_PORTS.worker),
      PROMETHEUS_PORT: env.port(DEFAULT_PORTS.prometheus),
      ALERTMANAGER_PORT: env.port(DEFAULT_PORTS.alertmanager),
      // Prometheus's rule files, relative to monitoring/ (default: those prometheus.yml names), and its
      // scrape and evaluation interval (default: prometheus.yml's): a wiring test loads monitoring/test-rules.
      PROMETHEUS_RULE_FILES: env.commaList(''),
      PROMETHEUS_INTERVAL_SECONDS: z.coerce.number().int().positive('expected seconds above 0').optional(),
      // Alertmanager's webhooks (the `page` and `ticket` receivers) post to the alert receiver here.
      ALERT_RECEIVER_PORT: env.port(ALERT_RECEIVER_DEFAULT_PORT),
      PULSE_START_TIMEOUT_SECONDS: env.positiveInt(120),
    },
    source,
  );
}

export type Settings = ReturnType<typeof loadSettings>;
