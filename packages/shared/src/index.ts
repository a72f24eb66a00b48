/** Names that several parts of the platform must agree on. */

export const TOPICS = {
  userEvents: 'user-events',
  contentEvents: 'content-events',
  adEvents: 'ad-events',
  deadLetter: 'events-dlq',
} as const;

/** Partition counts from the design: user and content events carry the most volume. */
export const TOPIC_PARTITIONS: Record<string, number> = {
  [TOPICS.userEvents]: 32,
  [TOPICS.contentEvents]: 32,
  [TOPICS.adEvents]: 16,
  [TOPICS.deadLetter]: 4,
};

export const TASK_QUEUES = {
  operations: 'pulse-operations',
} as const;

/**
 * Default local ports; every one can be changed through the environment. Kafka's broker i listens
 * on kafka + 2(i-1) and its controller on the port after (9092-9097 with three brokers), so
 * Alertmanager leaves its own default, 9093, for 9193. The metrics ports are the first of a run:
 * broker i serves its metrics on kafkaMetrics + i - 1; the JobManager on flinkMetrics and
 * TaskManager i on flinkMetrics + i (Flink's reporter default is 9249).
 */
export const DEFAULT_PORTS = {
  collector: 8080,
  api: 3000,
  worker: 9464,
  clickhouseHttp: 8123,
  kafka: 9092,
  kafkaController: 9093,
  kafkaMetrics: 7071,
  flinkRest: 8081,
  flinkRpc: 6123,
  flinkMetrics: 9249,
  temporal: 7233,
  temporalUi: 8233,
  redis: 6379,
  prometheus: 9090,
  alertmanager: 9193,
} as const;

/** The Flink jobs the platform deploys: the jar's entry class and the job's name in Flink. */
export const FLINK_JOBS = {
  trending: { name: 'trending-topics', entryClass: 'dev.socialpulse.flink.trending.TrendingTopicsJob' },
  archive: { name: 'event-archive', entryClass: 'dev.socialpulse.flink.archive.EventArchiveJob' },
  sessions: { name: 'session-analyzer', entryClass: 'dev.socialpulse.flink.sessions.SessionAnalyzerJob' },
  ads: { name: 'ad-performance', entryClass: 'dev.socialpulse.flink.ads.AdPerformanceJob' },
} as const;

export type FlinkJobKey = keyof typeof FLINK_JOBS;

/** Temporal workflow ids are business ids: one deploy of a job at a time. */
export const deployWorkflowId = (job: FlinkJobKey) => `deploy-flink-${job}`;

/** One bootstrap of the platform at a time: `pulse up`, `pulse bootstrap` and docker-compose's start it under this id. */
export const BOOTSTRAP_WORKFLOW_ID = 'pulse-bootstrap';

/**
 * The memo key under which the bootstrap records on each deploy it starts the sha-256 of the jar it
 * deploys: a later bootstrap leaves a job alone that still runs what that deploy started.
 */
export const DEPLOYED_JAR_MEMO = 'jarSha256';

/**
 * The jobs jar's file name on Flink: the hash of its content names its version, so deploys of the
 * same build (the bootstrap's, at once) share one upload, and a rollback restores the newest jar of
 * another version rather than the newest other upload.
 */
export const jobsJarName = (sha256: string) => `social-pulse-jobs-${jobsJarBuild(sha256)}.jar`;

/** The version of a build of the jobs jar: the start of its sha-256. */
export const jobsJarBuild = (sha256: string) => sha256.slice(0, 16);

/** The version of an uploaded jar (Flink's id is `<uuid>_<file name>`): the hash in its name, or the id itself. */
export function jobsJarVersion(jarId: string): string {
  return /_social-pulse-jobs-([0-9a-f]{16})\.jar$/.exec(jarId)?.[1] ?? jarId;
}

/**
 * Whose Flink jobs a worker operates on (its FLINK_JOB_SCOPE, recorded on each job it starts): the
 * platform's by default. It goes unquoted into Flink's `key:value,…` map syntax, hence the pattern.
 */
export const PLATFORM_JOB_SCOPE = 'platform';
export const FLINK_JOB_SCOPE_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** One rescale of a job at a time, whether `pulse rescale` or the autoscaling workflow starts it. */
export const rescaleWorkflowId = (job: FlinkJobKey) => `rescale-flink-${job}`;

export * from './trending-horizons';
export * from './answer-envelope';
export * from './precomputed-answers';
export * from './backfill-views';
export * from './format-bytes';
export * from './user-state-bounds';
