import {
  answerRefreshPorts,
  bootstrapPorts,
  createBootstrapActivities,
  createAnswerRefreshActivities,
  createClickHouseTtlActivities,
  createEraseUserActivities,
  createFlinkAutoscaleActivities,
  createFlinkDeployActivities,
  createFlinkRescaleActivities,
  createFlinkSavepointActivities,
  createPlatformHealthActivities,
  createViewBackfillActivities,
  registerKafkaConsumerLag,
} from '@social-pulse/activities';
import { MIGRATIONS_DIR, createClickHouse } from '@social-pulse/clickhouse';
import { ConfigError } from '@social-pulse/config';
import { createLogger, startDefaultMetrics } from '@social-pulse/observability';
import { NativeConnection, Runtime, Worker, makeTelemetryFilterString } from '@temporalio/worker';
import { CanaryRunner } from './canary/canary-runner';
import { adsCanary, httpCanaryCollector, sessionsCanary, trendingCanary } from './canary/http-canary-ports';
import { loadWorkerConfig, type WorkerConfig } from './config';
import { flinkJobArguments } from './flink-job-arguments';
import { startHealthServer } from './health-server';

const logger = createLogger('worker');

/** How often the canary reads the API while an event is pending: the resolution of its latency. */
const CANARY_POLL_MS = 250;

/** Temporal worker: runs the platform's operational workflows and their activities. */
async function run(): Promise<void> {
  const config = loadWorkerConfig();
  startDefaultMetrics('worker');
  Runtime.install({
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } },
  });

  // Step 1: connect to the Temporal frontend.
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  try {
    // Step 2: register workflows (bundled from their sources) and activities on the task queue.
    const worker = await Worker.create({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowsPath: require.resolve('@social-pulse/workflows'),
      // A workflow's next task goes to the worker that ran its last (its sticky queue); when that
      // worker is dead, Temporal hands the task to any worker only after this. Tasks take
      // milliseconds, so 1 s (not the default 10 s) is ample and bounds a deploy's pause after a kill.
      stickyQueueScheduleToStartTimeout: '1 second',
      activities: {
        ...createPlatformHealthActivities({
          kafkaBrokers: config.KAFKA_BROKERS,
          redisUrl: config.REDIS_URL,
          flinkRestUrl: config.FLINK_REST_URL,
        }),
        ...createFlinkDeployActivities({
          flinkRestUrl: config.FLINK_REST_URL,
          flinkProjectDir: config.FLINK_JOBS_DIR,
          savepointDir: config.FLINK_SAVEPOINT_DIR,
          jobArguments: (job) => flinkJobArguments(job, config),
          scope: config.FLINK_JOB_SCOPE,
        }),
        ...createBootstrapActivities(
          bootstrapPorts({
            kafkaBrokers: config.KAFKA_BROKERS,
            clickhouseUrl: config.CLICKHOUSE_URL,
            clickhouseCluster: config.CLICKHOUSE_CLUSTER,
            flinkRestUrl: config.FLINK_REST_URL,
            scope: config.FLINK_JOB_SCOPE,
            temporalAddress: config.TEMPORAL_ADDRESS,
            temporalNamespace: config.TEMPORAL_NAMESPACE,
            taskQueue: config.TEMPORAL_TASK_QUEUE,
          }),
        ),
        ...createFlinkSavepointActivities({
          flinkRestUrl: config.FLINK_REST_URL,
          savepointDir: config.FLINK_SAVEPOINT_DIR,
          scope: config.FLINK_JOB_SCOPE,
        }),
        ...createFlinkRescaleActivities({ flinkRestUrl: config.FLINK_REST_URL, scope: config.FLINK_JOB_SCOPE }),
        ...createFlinkAutoscaleActivities({ flinkRestUrl: config.FLINK_REST_URL, scope: config.FLINK_JOB_SCOPE }),
        ...createAnswerRefreshActivities(
          answerRefreshPorts({
            clickhouseUrl: config.CLICKHOUSE_URL,
            redisUrl: config.REDIS_URL,
            maxStaleSeconds: config.ANSWER_MAX_STALE_SECONDS,
          }),
        ),
        ...createClickHouseTtlActivities({ clickhouseUrl: config.CLICKHOUSE_URL }),
        ...createViewBackfillActivities({
          clickhouse: createClickHouse({ url: config.CLICKHOUSE_URL }, 'worker-backfill'),
          migrationsDir: MIGRATIONS_DIR,
        }),
        ...createEraseUserActivities({
          clickhouse: createClickHouse({ url: config.CLICKHOUSE_URL }, 'worker-erasure'),
          migrationsDir: MIGRATIONS_DIR,
          redisUrl: config.REDIS_URL,
          kafkaBrokers: config.KAFKA_BROKERS,
        }),
      },
    });
    const server = await startHealthServer(
      config.WORKER_HOST,
      config.WORKER_PORT,
      () => worker.getState() === 'RUNNING',
    );
    const canary = startCanary(config);
    const consumerLag = registerKafkaConsumerLag(config.KAFKA_BROKERS);
    logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, port: config.WORKER_PORT }, 'worker polling');
    // Step 3: poll until SIGINT/SIGTERM, which the worker handles by draining in-flight tasks.
    await worker.run();
    await canary?.stop();
    await consumerLag.stop();
    server.close();
  } finally {
    await connection.close();
  }
}

/**
 * The canary runs in the worker: a process the platform always runs, with a /metrics Prometheus
 * scrapes, and nothing on its hot path that a canary every few seconds could slow.
 */
function startCanary(config: WorkerConfig): CanaryRunner | undefined {
  if (config.CANARY_INTERVAL_MS === 0) return undefined;
  const runner = new CanaryRunner({
    features: [
      trendingCanary(config.API_URL, config.CANARY_API_KEY),
      sessionsCanary(config.API_URL, config.CANARY_API_KEY),
      adsCanary(config.API_URL, config.CANARY_API_KEY),
    ],
    collector: httpCanaryCollector(config.COLLECTOR_URL, config.CANARY_WRITE_KEY),
    intervalMs: config.CANARY_INTERVAL_MS,
    pollMs: CANARY_POLL_MS,
    timeoutMs: config.CANARY_TIMEOUT_MS,
  });
  runner.start();
  logger.info(
    { intervalMs: config.CANARY_INTERVAL_MS, collector: config.COLLECTOR_URL, api: config.API_URL },
    'canary running',
  );
  return runner;
}

run().then(
  // Activities keep pooled ClickHouse and Redis connections open; once the worker has drained, nothing
  // is in flight, so the process ends here instead of lingering on idle sockets (the supervisor
  // restarts a worker only when its process exits).
  () => process.exit(0),
  (error) => {
    logger.fatal(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
