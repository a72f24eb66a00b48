import { identifierProblem } from '@social-pulse/clickhouse';
import { env, loadConfig } from '@social-pulse/config';
import { DEV_CANARY_WRITE_KEY } from '@social-pulse/events';
import { join } from 'node:path';
import { z } from 'zod';
import {
  DEFAULT_ANSWER_MAX_STALE_SECONDS,
  DEFAULT_PORTS,
  FLINK_JOB_SCOPE_PATTERN,
  PLATFORM_JOB_SCOPE,
  TASK_QUEUES,
} from '@social-pulse/shared';

const repoRoot = join(__dirname, '..', '..', '..');

/** The API's admin key on one machine (apps/api DEV_ADMIN_API_KEY); production refuses it here too. */
const DEV_ADMIN_API_KEY = 'pulse-dev-admin-key';

/** Production refuses a public development key for the canary, unless the canary is off (CANARY_INTERVAL_MS=0). */
const refuseWhileCanaryRuns = (devValue: string, name: string) => (value: string, config: Record<string, unknown>) =>
  value === devValue && config.CANARY_INTERVAL_MS !== 0
    ? `the public development key, refused with NODE_ENV=production while the canary runs: set ${name} to a key of your own, or CANARY_INTERVAL_MS=0`
    : undefined;

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
  /**
   * Time between two checkpoints of every job the worker starts (`--checkpoint-interval-ms`): shorter
   * means less to replay after a failure and rows sooner in ClickHouse, for more checkpoint work.
   * 0 keeps each job's own (trending 10 s, archive 5 s, sessions 3 s, ads 1 s). At least 10 ms, the jobs' floor.
   */
  FLINK_CHECKPOINT_INTERVAL_MS: z.coerce
    .number({ error: 'expected a number of milliseconds' })
    .int('expected a whole number of milliseconds')
    .refine((ms) => ms === 0 || ms >= 10, "expected 0 (each job's own) or at least 10 milliseconds")
    .default(0),
  CLICKHOUSE_URL: env.url(`http://127.0.0.1:${DEFAULT_PORTS.clickhouseHttp}`),
  /**
   * A ClickHouse cluster (as its servers' remote_servers name it) that CLICKHOUSE_URL is a host of: the
   * bootstrap applies the migrations ON CLUSTER, with replicated and Distributed tables. Empty: one server.
   */
  CLICKHOUSE_CLUSTER: env
    .text('')
    .refine(
      (name) => name === '' || identifierProblem(name) === undefined,
      'expected a cluster name: letters, digits and _, not starting with a digit',
    ),
  /** How long the last good copy of each refreshed answer is kept (the API serves it when ClickHouse fails). */
  ANSWER_MAX_STALE_SECONDS: env.positiveInt(DEFAULT_ANSWER_MAX_STALE_SECONDS),
  /**
   * The canary (canary/canary-runner.ts): a marked event per feature through the collector every
   * this many milliseconds, timed until the API shows it; 0 turns it off.
   */
  CANARY_INTERVAL_MS: z.coerce
    .number({ error: 'expected a number of milliseconds' })
    .int('expected a whole number of milliseconds')
    .min(0, 'expected 0 (off) or more milliseconds')
    .default(5000),
  /** A canary unseen this long is given up and counted in pulse_canary_timeouts_total. */
  CANARY_TIMEOUT_MS: env.positiveInt(60_000),
  /** Where the canary sends its events, and the write key that marks them (the collector's COLLECTOR_CANARY_WRITE_KEY). */
  COLLECTOR_URL: env.url(`http://127.0.0.1:${DEFAULT_PORTS.collector}`),
  CANARY_WRITE_KEY: env.production(env.secret(env.text(DEV_CANARY_WRITE_KEY)), {
    check: refuseWhileCanaryRuns(DEV_CANARY_WRITE_KEY, 'CANARY_WRITE_KEY'),
  }),
  /** Where the canary looks for its events, with an admin key (the API's API_ADMIN_KEYS; its dev default). */
  API_URL: env.url(`http://127.0.0.1:${DEFAULT_PORTS.api}`),
  CANARY_API_KEY: env.production(env.secret(env.text(DEV_ADMIN_API_KEY)), {
    check: refuseWhileCanaryRuns(DEV_ADMIN_API_KEY, 'CANARY_API_KEY'),
  }),
  LOG_LEVEL: env.logLevel(),
};

export const loadWorkerConfig = (source: NodeJS.ProcessEnv = process.env) => loadConfig(workerConfigShape, source);

export type WorkerConfig = ReturnType<typeof loadWorkerConfig>;
