import { Connection, Client, WorkflowNotFoundError } from '@temporalio/client';
import { DEPLOYED_JAR_MEMO, deployWorkflowId, type FlinkJobKey } from '@social-pulse/shared';
import { createKafka } from '@social-pulse/kafka';
import { logLevel } from 'kafkajs';
import { applyClickHouseMigrations, type MigrationTarget } from './clickhouse-migrations';
import { PLATFORM_SCOPE, activeScopedJobs } from './flink-jobs';
import { FlinkRest } from './flink-rest';
import { whileHeartbeating } from './heartbeat';
import { reconcileTopics, type TopicAdmin, type TopicsReport } from './kafka-topics';
import { ensurePlatformSchedules, type EnsureSchedulesResult } from './platform-schedules';

/** The last deploy workflow of a job, as the bootstrap needs it. */
export interface DeployRecord {
  /** Temporal's status name: RUNNING, COMPLETED, FAILED, ... */
  status: string;
  /** The jar the bootstrap recorded on it (DEPLOYED_JAR_MEMO); null for a deploy started otherwise. */
  jarSha256: string | null;
  /** The completed deploy's outcome. */
  result: { jobId: string; rolledBack: boolean } | null;
}

/** The outgoing ports of the bootstrap activities (a component test fakes them). */
export interface BootstrapPorts {
  /** A connected Kafka admin client and how to let go of it. */
  kafkaAdmin: () => Promise<{ admin: TopicAdmin; close: () => Promise<void> }>;
  /** How many brokers the cluster has: its topics are replicated min(3, that) times. */
  kafkaBrokerCount: number;
  /** How long to wait for every broker to join the cluster; default a minute. */
  kafkaBrokerWaitMs?: number;
  clickhouse: MigrationTarget;
  /** The migrations folder; default clickhouse/migrations. */
  migrationsDir?: string;
  flinkRestUrl: string;
  /** Whose jobs this worker runs (FLINK_JOB_SCOPE); default the platform's. */
  scope?: string;
  /** The last deploy of a job, or null when there was none. */
  lastDeploy: (job: FlinkJobKey) => Promise<DeployRecord | null>;
  /** Creates or updates the platform Schedules and the live refresher. */
  ensureSchedules: () => Promise<EnsureSchedulesResult>;
}

/** The real ports, from the worker's configuration. */
export function bootstrapPorts(config: {
  kafkaBrokers: string[];
  clickhouseUrl: string;
  clickhouseCluster: string;
  flinkRestUrl: string;
  scope: string;
  temporalAddress: string;
  temporalNamespace: string;
  taskQueue: string;
}): BootstrapPorts {
  // Connected on first use: the worker starts without waiting for it.
  const temporal = new Client({
    connection: Connection.lazy({ address: config.temporalAddress }),
    namespace: config.temporalNamespace,
  });
  return {
    kafkaAdmin: async () => {
      const admin = createKafka('worker-bootstrap', config.kafkaBrokers, { logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      return { admin, close: () => admin.disconnect() };
    },
    // Every broker is listed in KAFKA_BROKERS (docker-compose.yml, pulse): the list is the cluster.
    kafkaBrokerCount: config.kafkaBrokers.length,
    clickhouse: { url: config.clickhouseUrl, cluster: config.clickhouseCluster },
    flinkRestUrl: config.flinkRestUrl,
    scope: config.scope,
    lastDeploy: (job) => lastDeploy(temporal, job),
    ensureSchedules: () => ensurePlatformSchedules(temporal, config.taskQueue),
  };
}

async function lastDeploy(client: Client, job: FlinkJobKey): Promise<DeployRecord | null> {
  const handle = client.workflow.getHandle(deployWorkflowId(job));
  try {
    const description = await handle.describe();
    const status = description.status.name;
    const sha = description.memo?.[DEPLOYED_JAR_MEMO];
    const result =
      status === 'COMPLETED' ? await handle.result().then((r: { jobId: string; rolledBack: boolean }) => r) : null;
    return { status, jarSha256: typeof sha === 'string' ? sha : null, result };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    throw error;
  }
}

/** Whether a job needs a deploy, and why; for the workflow's progress. */
export interface JobDeployCheck {
  deploy: boolean;
  reason: string;
  /** The job running now, if any. */
  jobId: string | null;
}

/** Activities of the bootstrap workflow: each step reconciles, so any of them can be repeated. */
export function createBootstrapActivities(ports: BootstrapPorts) {
  const rest = new FlinkRest(ports.flinkRestUrl);
  return {
    /** Creates the missing topics, adds partitions and sets their configs where they differ. */
    async reconcileKafkaTopics(): Promise<TopicsReport> {
      return whileHeartbeating(
        () => 'reconciling the Kafka topics',
        1_000,
        async () => {
          const { admin, close } = await ports.kafkaAdmin();
          try {
            return await reconcileTopics(admin, ports.kafkaBrokerCount, { brokerWaitMs: ports.kafkaBrokerWaitMs });
          } finally {
            await close();
          }
        },
      );
    },

    /**
     * Applies the ClickHouse migrations not applied yet. A retry after the worker died re-runs the
     * migration it was in: the migrations create with IF NOT EXISTS, and one is recorded only once applied.
     */
    async applyMigrations(): Promise<{ applied: string[]; alreadyApplied: number; cluster: string }> {
      let doing = 'reading the migrations';
      const report = await whileHeartbeating(
        () => doing,
        1_000,
        () =>
          applyClickHouseMigrations(
            ports.clickhouse,
            (message) => {
              doing = message;
            },
            ports.migrationsDir,
          ),
      );
      return {
        applied: report.applied.map((m) => `${String(m.version).padStart(4, '0')}_${m.name}`),
        alreadyApplied: report.alreadyApplied,
        cluster: ports.clickhouse.cluster,
      };
    },

    /**
     * Whether `job` needs a deploy of the jar `jarSha256`: not when the job running now is the one
     * a completed deploy of that very jar started (and did not roll back). Any doubt means a deploy,
     * which is itself safe: it restarts the job from a savepoint.
     */
    async checkJobDeployed(job: FlinkJobKey, jarSha256: string): Promise<JobDeployCheck> {
      const [running] = await activeScopedJobs(rest, ports.scope ?? PLATFORM_SCOPE, job);
      const jobId = running?.jid ?? null;
      if (!jobId) return { deploy: true, reason: 'not running', jobId };
      const record = await ports.lastDeploy(job);
      if (!record) return { deploy: true, reason: `job ${jobId} runs, deployed by no workflow`, jobId };
      if (record.status === 'RUNNING') return { deploy: true, reason: 'a deploy is under way', jobId };
      if (record.jarSha256 !== jarSha256 || !record.result) {
        return { deploy: true, reason: `job ${jobId} runs another version`, jobId };
      }
      if (record.result.rolledBack) return { deploy: true, reason: 'its last deploy rolled back', jobId };
      if (record.result.jobId !== jobId) return { deploy: true, reason: `job ${jobId} was started otherwise`, jobId };
      return { deploy: false, reason: `job ${jobId} runs jar ${jarSha256.slice(0, 12)}`, jobId };
    },

    /** Creates or updates every platform Schedule and starts the live refresher. */
    async reconcileSchedules(): Promise<EnsureSchedulesResult> {
      return ports.ensureSchedules();
    },
  };
}

export type BootstrapActivities = ReturnType<typeof createBootstrapActivities>;
