import {
  ApplicationFailure,
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  defineQuery,
  proxyActivities,
  setHandler,
  startChild,
  type RetryPolicy,
} from '@temporalio/workflow';
// Types only: workflow code must stay deterministic and never load activity implementations.
import type {
  BootstrapActivities,
  EnsureSchedulesResult,
  FlinkDeployActivities,
  TopicsReport,
} from '@social-pulse/activities';
import { DEPLOYED_JAR_MEMO, FLINK_JOBS, deployWorkflowId, type FlinkJobKey } from '@social-pulse/shared';
import { validateBootstrapInput } from './bootstrap-platform.input';
import { deployFlinkJobWorkflow, type DeployResult } from './flink-deploy.workflow';

// Retried with backoff for minutes: on a cluster coming up (docker-compose), Kafka or ClickHouse may
// answer a little after the worker does.
const retry: RetryPolicy = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '15 seconds',
  maximumAttempts: 12,
};
const quick = proxyActivities<BootstrapActivities>({ startToCloseTimeout: '1 minute', retry });
// Long steps heartbeat every second: a dead worker is noticed within 5 s and the step repeated on
// the next one (each step reconciles, so repeating it is safe).
const slow = proxyActivities<BootstrapActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '5 seconds',
  retry,
});
const jar = proxyActivities<FlinkDeployActivities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '3 seconds',
  retry: { maximumAttempts: 2 },
});

export interface BootstrapInput {
  /**
   * Deploy every job even when it already runs the current jar from an earlier bootstrap's deploy.
   * Default false: such a job is left running, so a repeated bootstrap pauses nothing.
   */
  redeployJobs?: boolean;
}

export interface BootstrapJobReport {
  job: FlinkJobKey;
  outcome: 'deployed' | 'rolled back' | 'already deployed' | 'busy' | 'failed';
  /** The job running at the end, when known. */
  jobId: string | null;
  /** Why it was deployed or left alone, or why its deploy failed. */
  reason: string;
  /** The deploy's result, when this bootstrap deployed it. */
  deploy: DeployResult | null;
}

export interface BootstrapResult {
  topics: TopicsReport;
  migrations: { applied: string[]; alreadyApplied: number; cluster: string };
  jarSha256: string;
  jobs: BootstrapJobReport[];
  schedules: EnsureSchedulesResult;
}

export interface BootstrapProgress {
  stage: 'starting' | 'topics' | 'migrations' | 'jobs' | 'schedules' | 'done';
  steps: { at: string; step: string }[];
}

export const bootstrapProgressQuery = defineQuery<BootstrapProgress>('progress');

/** The failure type of a bootstrap whose every step ran but some job's deploy failed. */
export const BOOTSTRAP_JOBS_FAILED = 'BootstrapJobsFailed';

/**
 * Brings a platform, empty or not, to what it needs, in order: the Kafka topics (created, partitions
 * added, configs set), the ClickHouse migrations, every Flink job at the jar the worker ships (each
 * through the deploy workflow as a child, without a watch, all at once), then every
 * platform Schedule and the live refresher. Each step reconciles, so the workflow can be run again
 * at any time, and a step repeated after a retry or a dead worker changes nothing twice; a second
 * run changes nothing (a job already running the same jar from an earlier bootstrap is left alone).
 *
 * A job whose deploy fails does not stop the rest: the Schedules are still made, and the workflow
 * then fails naming the jobs (BOOTSTRAP_JOBS_FAILED, the full result in its details).
 */
export async function bootstrapPlatformWorkflow(...args: [input?: BootstrapInput]): Promise<BootstrapResult> {
  const { redeployJobs } = validateBootstrapInput(args);
  const progress: BootstrapProgress = { stage: 'starting', steps: [] };
  const note = (stage: BootstrapProgress['stage'], step: string) => {
    progress.stage = stage;
    progress.steps.push({ at: new Date().toISOString(), step });
  };
  setHandler(bootstrapProgressQuery, () => progress);

  note('topics', 'reconciling the Kafka topics');
  const topics = await slow.reconcileKafkaTopics();
  note('topics', topicsLine(topics));
  for (const { topic, replicas, wanted } of topics.underReplicated) {
    note('topics', `${topic} has ${replicas} replicas, ${wanted} wanted: reassign its partitions (docs/operations.md)`);
  }

  note('migrations', 'applying the ClickHouse migrations');
  const migrations = await slow.applyMigrations();
  const where = migrations.cluster ? ` on cluster ${migrations.cluster}` : '';
  note(
    'migrations',
    `ClickHouse schema up to date${where} (${migrations.applied.length} applied` +
      `${migrations.applied.length ? `: ${migrations.applied.join(', ')}` : ''}, ${migrations.alreadyApplied} already there)`,
  );

  note('jobs', 'locating the jobs jar (building it when stale)');
  const { sha256 } = await jar.prepareJobJar();
  // The jobs are deployed at once: each waits mostly for its first checkpoint, and the deploys of
  // one build share its upload (jobsJarName).
  const jobs = await Promise.all(
    (Object.keys(FLINK_JOBS) as FlinkJobKey[]).map(async (job): Promise<BootstrapJobReport> => {
      const check = redeployJobs
        ? { deploy: true, reason: 'redeploy asked', jobId: null }
        : await quick.checkJobDeployed(job, sha256);
      if (!check.deploy) {
        note('jobs', `${job}: already deployed (${check.reason})`);
        return { job, outcome: 'already deployed', jobId: check.jobId, reason: check.reason, deploy: null };
      }
      note('jobs', `${job}: deploying (${check.reason})`);
      const report = await deployJob(job, sha256, check.reason);
      note('jobs', `${job}: ${jobLine(report)}`);
      return report;
    }),
  );

  note('schedules', 'creating or updating the Temporal Schedules and the live refresher');
  const schedules = await quick.reconcileSchedules();
  note('schedules', schedulesLine(schedules));

  const result: BootstrapResult = { topics, migrations, jarSha256: sha256, jobs, schedules };
  const failed = jobs.filter((j) => j.outcome === 'failed');
  if (failed.length > 0) {
    note('done', `failed: the deploy of ${failed.map((j) => j.job).join(', ')}`);
    throw ApplicationFailure.create({
      type: BOOTSTRAP_JOBS_FAILED,
      message: failed.map((j) => `the deploy of ${j.job} failed: ${j.reason}`).join('; '),
      nonRetryable: true,
      details: [result],
    });
  }
  note('done', 'the platform is bootstrapped');
  return result;
}

/**
 * Deploys one job through the deploy workflow as a child under the job's own deploy id, so it is
 * never deployed twice at once (a deploy already under way is left to finish). The child outlives
 * this run if it ends: a deploy must never be cut between its stop and its start.
 */
async function deployJob(job: FlinkJobKey, sha256: string, why: string): Promise<BootstrapJobReport> {
  let child;
  try {
    child = await startChild(deployFlinkJobWorkflow, {
      workflowId: deployWorkflowId(job),
      args: [{ job, watchSeconds: 0 }],
      memo: { [DEPLOYED_JAR_MEMO]: sha256 },
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    });
  } catch (error) {
    if ((error as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw error;
    return {
      job,
      outcome: 'busy',
      jobId: null,
      reason: `a deploy (${deployWorkflowId(job)}) is under way`,
      deploy: null,
    };
  }
  try {
    const deploy = await child.result();
    return { job, outcome: deploy.rolledBack ? 'rolled back' : 'deployed', jobId: deploy.jobId, reason: why, deploy };
  } catch (error) {
    let cause = error as Error;
    while (cause.cause instanceof Error) cause = cause.cause;
    return { job, outcome: 'failed', jobId: null, reason: cause.message, deploy: null };
  }
}

function topicsLine(report: TopicsReport): string {
  const changes = [
    report.created.length ? `created ${report.created.join(', ')}` : '',
    report.grown.length
      ? `partitions added to ${report.grown.map((g) => `${g.topic} (${g.from} → ${g.to})`).join(', ')}`
      : '',
    report.reconfigured.length ? `configs set on ${report.reconfigured.join(', ')}` : '',
  ].filter(Boolean);
  return (
    `Kafka topics ready: ${report.topics.join(', ')} (replication ${report.replicationFactor}; ` +
    `${changes.length ? changes.join('; ') : 'nothing to change'})`
  );
}

function jobLine(report: BootstrapJobReport): string {
  const deploy = report.deploy;
  if (!deploy) return `${report.outcome}: ${report.reason}`;
  const pause = deploy.pausedMs === null ? '' : `, processing paused ${(deploy.pausedMs / 1000).toFixed(1)} s`;
  return deploy.rolledBack
    ? `the new version was rolled back, the previous one runs as job ${deploy.jobId} (${deploy.rollback?.why ?? 'no reason recorded'})`
    : `deployed as job ${deploy.jobId}${pause}`;
}

function schedulesLine(result: EnsureSchedulesResult): string {
  const changes = [
    result.created.length ? `${result.created.length} created` : '',
    result.updated.length ? `${result.updated.length} updated` : '',
    result.removed.length ? `${result.removed.length} removed (${result.removed.join(', ')})` : '',
  ].filter(Boolean);
  return `Temporal Schedules ready (${changes.join(', ') || 'none'}); live answer refresher ${result.liveRefresher}`;
}
