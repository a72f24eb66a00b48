import { ApplicationFailure, defineQuery, proxyActivities, setHandler } from '@temporalio/workflow';
// Types only: workflow code must stay deterministic and never load activity implementations.
import type { FlinkDeployActivities } from '@social-pulse/activities';
import type { FlinkJobKey } from '@social-pulse/shared';
import { rollbackReason, type RollbackReason } from './flink-deploy.rollback';
import { validateDeployInput } from './workflow-inputs';

export type { RollbackReason } from './flink-deploy.rollback';

const quick = proxyActivities<FlinkDeployActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 3 },
});
// Long steps heartbeat (every half second while they poll Flink, every second while building), so a
// dead worker is noticed within 3 s and the step retried on the next one: the job stays stopped no
// longer than that plus the step (a stop-with-savepoint resumes the savepoint its attempt triggered).
const slow = proxyActivities<FlinkDeployActivities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '3 seconds',
  retry: { maximumAttempts: 2 },
});

export interface DeployInput {
  job: FlinkJobKey;
  /**
   * Start the new version even if the savepoint has state of operators it no longer has (a uid
   * removed or renamed): that state is dropped; Kafka offsets and the state of kept operators are
   * restored. Default false. Never applies to a rollback, which restores the old version's own savepoint.
   */
  allowNonRestoredState?: boolean;
}

export interface DeployResult {
  jobId: string;
  jarId: string;
  /** The savepoint the new job started from, if any. */
  savepoint: string | null;
  /** Milliseconds from the old job's stop to the new job running (processing again). */
  pausedMs: number | null;
  /** Milliseconds from the old job's stop to the new job's first completed checkpoint. */
  verifiedMs: number | null;
  rolledBack: boolean;
  /** Whether the new version was started allowing non-restored state (the input, defaulted). */
  allowNonRestoredState: boolean;
  /** Why the new version was rolled back; null when it was not. */
  rollback: RollbackReason | null;
}

export interface DeployProgress {
  stage: string;
  /** Whether the new version is (to be) started allowing non-restored state. */
  allowNonRestoredState: boolean;
  steps: { at: string; step: string }[];
}

export const deployProgressQuery = defineQuery<DeployProgress>('progress');

/**
 * Deploys a Flink job: build or locate the jar, upload it, stop the running job with a savepoint,
 * start the new one from it and wait until it runs and has checkpointed. If the new one does not
 * get there, it is cancelled and the previous jar is started from the same savepoint.
 *
 * The result says why it rolled back. A rollback for unmapped savepoint state names the remedy (a
 * deploy with `allowNonRestoredState`); with no previous jar to restore, the workflow fails with it.
 *
 * The input is checked first: anything but `{ job, allowNonRestoredState? }` with one of FLINK_JOBS'
 * own keys and a boolean fails the workflow with a non-retryable 'InvalidWorkflowInput'
 * ApplicationFailure before any activity runs.
 */
export async function deployFlinkJobWorkflow(...args: [input: DeployInput]): Promise<DeployResult> {
  const { job, allowNonRestoredState } = validateDeployInput(args);
  const progress: DeployProgress = { stage: 'starting', allowNonRestoredState, steps: [] };
  const note = (stage: string, step: string) => {
    progress.stage = stage;
    progress.steps.push({ at: new Date().toISOString(), step });
  };
  setHandler(deployProgressQuery, () => progress);

  note('build', 'locating the jobs jar (building it when stale)');
  const jar = await slow.prepareJobJar();
  note('upload', `${jar.built ? 'built' : 'found'} jar ${jar.sha256.slice(0, 12)}; uploading it to Flink`);
  const previousJars = await quick.listJars();
  const jarId = await quick.uploadJar(jar.path);

  const running = await quick.findActiveJob(job);
  let savepoint: string | null;
  let stoppedAt: number | null = null;
  if (running) {
    note('savepoint', `stopping job ${running} with a savepoint`);
    ({ savepoint, stoppedAt } = await slow.stopWithSavepoint(running, job));
  } else {
    savepoint = await quick.latestSavepoint(job);
  }
  note('start', startNote(savepoint, allowNonRestoredState));

  let jobId: string | undefined;
  try {
    jobId = await quick.startJob(jarId, job, savepoint, { allowNonRestoredState });
    note('verify', `job ${jobId} submitted; waiting until it runs and has checkpointed`);
    const healthy = await slow.awaitHealthyJob(jobId);
    await quick.pruneJars([jarId, ...previousJars.slice(0, 1)]);
    note('done', `job ${jobId} is running and checkpointing`);
    return {
      jobId,
      jarId,
      savepoint,
      ...pauses(stoppedAt, healthy),
      rolledBack: false,
      allowNonRestoredState,
      rollback: null,
    };
  } catch (error) {
    const reason = rollbackReason(error, job);
    const previousJar = previousJars.find((id) => id !== jarId);
    note('rollback', `${reason.message}; ${previousJar ? 'restoring the previous jar' : 'no previous jar to restore'}`);
    if (jobId) await quick.cancelJob(jobId).catch(() => undefined);
    if (!previousJar) {
      if (reason.remedy === null) throw error;
      // The client sees this message, remedy included, rather than the activity's bare failure.
      throw ApplicationFailure.create({
        type: reason.cause,
        message: reason.message,
        nonRetryable: true,
        details: [reason],
        cause: error as Error,
      });
    }
    // The savepoint is the old version's own: the previous jar restores all of it, so no state is dropped.
    const restored = await quick.startJob(previousJar, job, savepoint);
    const healthy = await slow.awaitHealthyJob(restored);
    note('rolled back', `previous jar running again as job ${restored}`);
    return {
      jobId: restored,
      jarId: previousJar,
      savepoint,
      ...pauses(stoppedAt, healthy),
      rolledBack: true,
      allowNonRestoredState,
      rollback: reason,
    };
  }
}

function startNote(savepoint: string | null, allowNonRestoredState: boolean): string {
  if (!savepoint) return 'starting the new job from scratch';
  return allowNonRestoredState
    ? `starting the new job from ${savepoint}, dropping the state of operators it no longer has (allowNonRestoredState)`
    : `starting the new job from ${savepoint}`;
}

function pauses(stoppedAt: number | null, healthy: { runningAt: number; checkpointedAt: number }) {
  return stoppedAt === null
    ? { pausedMs: null, verifiedMs: null }
    : { pausedMs: healthy.runningAt - stoppedAt, verifiedMs: healthy.checkpointedAt - stoppedAt };
}
