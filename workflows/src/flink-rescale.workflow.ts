import { ApplicationFailure, defineQuery, proxyActivities, setHandler } from '@temporalio/workflow';
// Types only: workflow code must stay deterministic and never load activity implementations.
import type { FlinkDeployActivities, FlinkRescaleActivities } from '@social-pulse/activities';
import type { FlinkJobKey } from '@social-pulse/shared';
import { newFlinkJobId, start } from './flink-start';
import { validateRescaleInput } from './workflow-inputs';

export { MAX_JOB_PARALLELISM } from './workflow-inputs';

const quick = proxyActivities<FlinkDeployActivities & FlinkRescaleActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 3 },
});
// As the deploy's: the stop and the wait heartbeat every half second, so a dead worker is noticed
// within 3 s and the step retried on the next one (a stop resumes the savepoint its attempt triggered).
const slow = proxyActivities<FlinkDeployActivities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '3 seconds',
  retry: { maximumAttempts: 2 },
});

/** The failure type of a rescale that found another job of the same program started meanwhile. */
export const RESCALE_CONFLICT = 'RescaleConflict';

export interface RescaleInput {
  job: FlinkJobKey;
  /** The new parallelism: 1 to MAX_JOB_PARALLELISM, within the job's max parallelism and the cluster's free slots. */
  parallelism: number;
}

export interface RescaleResult {
  job: FlinkJobKey;
  from: number;
  /** The parallelism asked for. */
  to: number;
  /** The parallelism the job runs at now: `to`, or `from` after a rollback. */
  parallelism: number;
  /** The job now running: the new one, or the restored one after a rollback, or the same one when nothing changed. */
  jobId: string;
  previousJobId: string;
  savepoint: string | null;
  /** Milliseconds from the old job's stop to the new one running (processing again); null when nothing changed. */
  pausedMs: number | null;
  /** Milliseconds from the old job's stop to the new one's first completed checkpoint. */
  verifiedMs: number | null;
  /** The new parallelism failed to come up and the job runs at its old one again. */
  rolledBack: boolean;
  /** Why it rolled back; null when it did not. */
  rollbackReason: string | null;
}

export interface RescaleProgress {
  stage: 'starting' | 'plan' | 'savepoint' | 'start' | 'verify' | 'rollback' | 'done';
  job: FlinkJobKey | null;
  from: number | null;
  to: number | null;
  steps: { at: string; step: string }[];
}

export const rescaleProgressQuery = defineQuery<RescaleProgress>('progress');

/**
 * Rescales a Flink job: checks the new parallelism against the job's max parallelism and the
 * cluster's free slots (refusing with a non-retryable 'RescaleRefused' before touching the job),
 * stops it with a savepoint, starts the same jar with the same arguments from the savepoint at
 * the new parallelism, and waits until it runs and has checkpointed. Keyed state is redistributed
 * by key group and Kafka offsets come from the savepoint, so no record is lost or counted twice
 * (with the jobs' exactly-once sinks). If the new job does not get there, it is cancelled and the
 * job started again at its old parallelism from the same savepoint.
 *
 * Each new job gets an id chosen in the workflow, so a start retried after a lost worker finds the
 * job it submitted instead of starting a second. The input is checked first (InvalidWorkflowInput).
 */
export async function rescaleFlinkJobWorkflow(...args: [input: RescaleInput]): Promise<RescaleResult> {
  const { job, parallelism } = validateRescaleInput(args);
  const progress: RescaleProgress = { stage: 'starting', job, from: null, to: parallelism, steps: [] };
  const note = (stage: RescaleProgress['stage'], step: string) => {
    progress.stage = stage;
    progress.steps.push({ at: new Date().toISOString(), step });
  };
  setHandler(rescaleProgressQuery, () => progress);

  note('plan', `checking ${job} against its max parallelism and the cluster's free slots`);
  const plan = await quick.planRescale(job, parallelism);
  progress.from = plan.from;
  const unchanged = {
    job,
    from: plan.from,
    to: plan.to,
    previousJobId: plan.jobId,
    rolledBack: false,
    rollbackReason: null,
  };
  if (plan.from === plan.to) {
    note('done', `${job} already runs at parallelism ${plan.to} (job ${plan.jobId}); nothing to do`);
    return { ...unchanged, parallelism: plan.to, jobId: plan.jobId, savepoint: null, pausedMs: null, verifiedMs: null };
  }
  note(
    'savepoint',
    `job ${plan.jobId} runs at ${plan.from} (max ${plan.maxParallelism}; ${plan.slots.needed} slots needed, ` +
      `${plan.slots.available} free + ${plan.slots.heldByJob} held); stopping it with a savepoint`,
  );
  const { savepoint, stoppedAt } = await slow.stopWithSavepoint(plan.jobId, job);

  // Another operation (a deploy) may have started the program meanwhile: a second copy would double its output.
  const others = await quick.activeJobIds(job);
  if (others.length > 0) {
    throw ApplicationFailure.create({
      type: RESCALE_CONFLICT,
      message:
        `${job} job ${others.join(', ')} was started by another operation while the rescale stopped ${plan.jobId}; ` +
        `not starting a second copy. Savepoint: ${savepoint}`,
      nonRetryable: true,
    });
  }

  const newJobId = newFlinkJobId();
  note('start', `starting ${job} from ${savepoint} at parallelism ${plan.to} as job ${newJobId}`);
  try {
    await start.startJob(plan.jarId, job, savepoint, {
      parallelism: plan.to,
      programArgs: plan.programArgs,
      jobId: newJobId,
    });
    note('verify', `job ${newJobId} submitted; waiting until it runs and has checkpointed`);
    const healthy = await slow.awaitHealthyJob(newJobId);
    const result: RescaleResult = {
      ...unchanged,
      parallelism: plan.to,
      jobId: newJobId,
      savepoint,
      pausedMs: healthy.runningAt - stoppedAt,
      verifiedMs: healthy.checkpointedAt - stoppedAt,
    };
    note(
      'done',
      `${job} runs at parallelism ${plan.to} as job ${newJobId}; processing paused ${seconds(result.pausedMs)}`,
    );
    return result;
  } catch (error) {
    const reason = innermost(error);
    note('rollback', `parallelism ${plan.to} did not come up (${reason}); restarting at ${plan.from}`);
    await quick.cancelJob(newJobId).catch(() => undefined);
    const restoredId = newFlinkJobId();
    await start.startJob(plan.jarId, job, savepoint, {
      parallelism: plan.from,
      programArgs: plan.programArgs,
      jobId: restoredId,
    });
    const healthy = await slow.awaitHealthyJob(restoredId);
    note('done', `${job} runs at parallelism ${plan.from} again as job ${restoredId}`);
    return {
      ...unchanged,
      parallelism: plan.from,
      jobId: restoredId,
      savepoint,
      pausedMs: healthy.runningAt - stoppedAt,
      verifiedMs: healthy.checkpointedAt - stoppedAt,
      rolledBack: true,
      rollbackReason: reason,
    };
  }
}

/** A Flink job id (32 hex digits) from a workflow-made UUID. */
const seconds = (ms: number | null) => (ms === null ? '-' : `${(ms / 1000).toFixed(1)} s`);

function innermost(error: unknown): string {
  let cause = error as Error;
  while (cause.cause instanceof Error) cause = cause.cause;
  return cause.message;
}
