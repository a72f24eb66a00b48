import { env, loadConfig } from '@social-pulse/config';
import { join } from 'node:path';
import {
  DEFAULT_ANSWER_MAX_STALE_SECONDS,
  DEFAULT_PORTS,
  FLINK_JOB_SCOPE_PATTERN,
  PLATFORM_JOB_SCOPE,
  TASK_QUEUES,
} from '@social-pulse/shared';

const repoRoot = join(__dirname, '..', '..', '..');

/** Every environment variable the worker reads, with its one-machine default; parsed once at start. */
export const workerConfigShape = {
  /** production turns on the start-up checks for one-machine defaults (the Dockerfile sets it). */
  NODE_ENV: env.nodeEnv(),
  TEMPORAL_ADDRESS: env.text(`127.0.0.1:${DEFAULT_PORTS.temporal}`),
  TEMPORAL_NAMESPACE: env.text('default'),
  TEMPORAL_TASK_QUEUE: env.text(TASK_QUEUES.operations),
  WORKER_HOST: env.text('127.0.0.1'),
  WORKER_PORT: env.port(DEFAULT_PORTS.worker),
  KAFKA_BROKERS: env.hostPortList(`127.0.0.1:${DEFAULT_PORTS.kafka}`),
  REDIS_URL: env.url(`redis://127.0.0.1:${DEFAULT_PORTS.redis}`),
  FLINK_REST_URL: env.url(`http://127.0.0.1:${DEFAULT_PORTS.flinkRest}`),
  /** The Maven project whose jar the deploy workflow ships. */
  FLINK_JOBS_DIR: env.text(join(repoRoot, 'flink')),
  /** Savepoints, one folder per job; must be a path Flink and the worker both see. */
  FLINK_SAVEPOINT_DIR: env.text(join(repoRoot, '.pulse', 'data', 'flink', 'savepoints')),
  /**
   * Whose Flink jobs this worker operates on: recorded on the jobs it starts, and the savepoint,
   * rescale and autoscaling workflows see only jobs of it (activities/src/flink-jobs.ts). A test's
   * worker sets its own, to work on jobs of its own beside the platform's on the same cluster.
   */
  FLINK_JOB_SCOPE: env.matching(
    PLATFORM_JOB_SCOPE,
    FLINK_JOB_SCOPE_PATTERN,
    'lower-case letters, digits and dashes (at most 63), such as platform',
  ),
  CLICKHOUSE_URL: env.url(`http://127.0.0.1:${DEFAULT_PORTS.clickhouseHttp}`),
  /** How long the last good copy of each refreshed answer is kept (the API serves it when ClickHouse fails). */
  ANSWER_MAX_STALE_SECONDS: env.positiveInt(DEFAULT_ANSWER_MAX_STALE_SECONDS),
  LOG_LEVEL: env.logLevel(),
};

export const loadWorkerConfig = (source: NodeJS.ProcessEnv = process.env) => loadConfig(workerConfigShape, source);

export type WorkerConfig = ReturnType<typeof loadWorkerConfig>;
