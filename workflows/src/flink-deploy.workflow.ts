import {
  ApplicationFailure,
  CancellationScope,
  defineQuery,
  defineSignal,
  isCancellation,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
// Types only: workflow code must stay deterministic and never load activity implementations.
import type { FlinkDeployActivities, JobWatchResult } from '@social-pulse/activities';
import { jobsJarVersion, type FlinkJobKey } from '@social-pulse/shared';
import { operatorReason, rollbackReason, unhealthyReason, type RollbackReason } from './flink-deploy.rollback';
import { newFlinkJobId, start } from './flink-start';
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
  /**
   * How long the new job is watched once it runs and has checkpointed (default 30, 0 to skip):
   * restarts, failed checkpoints, sources emitting while the sinks take nothing, or a Kafka lag
   * growing at every sample roll it back, as does the `rollback` signal until the watch ends.
   */
  watchSeconds?: number;
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
  /** How the new job did during its watch; null when it was not watched (it failed first, or watchSeconds 0). */
  watch: Pick<JobWatchResult, 'healthy' | 'verdict' | 'samples' | 'watchedMs'> | null;
}

export interface DeployProgress {
  stage: string;
  /** Whether the new version is (to be) started allowing non-restored state. */
  allowNonRestoredState: boolean;
  steps: { at: string; step: string }[];
}

export const deployProgressQuery = defineQuery<DeployProgress>('progress');

/** Rolls the deploy back (with a reason for the record) while it has not finished watching the new job. */
export const rollbackSignal = defineSignal<[reason?: string]>('rollback');

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
  const { job, allowNonRestoredState, watchSeconds } = validateDeployInput(args);
  const progress: DeployProgress = { stage: 'starting', allowNonRestoredState, steps: [] };
  const note = (stage: string, step: string) => {
    progress.stage = stage;
    progress.steps.push({ at: new Date().toISOString(), step });
  };
  setHandler(deployProgressQuery, () => progress);
  // An operator's rollback: taken at once during the watch, or as soon as the new job is healthy.
  let rollbackAsked: string | null = null;
  let watchScope: CancellationScope | null = null;
  setHandler(rollbackSignal, (reason) => {
    if (rollbackAsked !== null || progress.stage === 'done' || progress.stage === 'rolled back') return;
    rollbackAsked = reason?.trim() || 'no reason given';
    note(progress.stage, `rollback asked by an operator: ${rollbackAsked}`);
    watchScope?.cancel();
  });

  note('build', 'locating the jobs jar (building it when stale)');
  const jar = await slow.prepareJobJar();
  note('upload', `${jar.built ? 'built' : 'found'} jar ${jar.sha256.slice(0, 12)}; uploading it to Flink`);
  const previousJars = await quick.listJars();
  const jarId = await quick.uploadJar(jar.path, jar.sha256);
  // What a rollback restores: the newest jar of another version (this one's may be on Flink already).
  const previousJar = previousJars.find((id) => jobsJarVersion(id) !== jobsJarVersion(jarId));

  const running = await quick.findActiveJob(job);
  // The new version (and a rollback) runs at the old job's parallelism, so a rescale survives a deploy.
  const parallelism = running?.parallelism ?? undefined;
  let savepoint: string | null;
  let stoppedAt: number | null = null;
  if (running) {
    note('savepoint', `stopping job ${running.jobId} with a savepoint`);
    ({ savepoint, stoppedAt } = await slow.stopWithSavepoint(running.jobId, job));
  } else {
    savepoint = await quick.latestSavepoint(job);
  }
  note('start', startNote(savepoint, allowNonRestoredState));

  const outcome = { jarId, savepoint, allowNonRestoredState };
  let jobId: string | undefined;
  let healthy: { runningAt: number; checkpointedAt: number };
  try {
    jobId = await start.startJob(jarId, job, savepoint, { allowNonRestoredState, parallelism, jobId: newFlinkJobId() });
    note('verify', `job ${jobId} submitted; waiting until it runs and has checkpointed`);
    healthy = await slow.awaitHealthyJob(jobId);
  } catch (error) {
    const reason = rollbackReason(error, job);
    if (jobId) await quick.cancelJob(jobId).catch(() => undefined);
    return rollBack(reason, null, error as Error);
  }

  let watch: DeployResult['watch'] = null;
  if (rollbackAsked === null && watchSeconds > 0) {
    note('watch', `job ${jobId} is running and checkpointing; watching its metrics for ${watchSeconds} s`);
    const scope = new CancellationScope();
    watchScope = scope;
    try {
      const { healthy, verdict, samples, watchedMs } = await scope.run(() =>
        slow.watchNewJob(jobId, watchSeconds * 1000),
      );
      watch = { healthy, verdict, samples, watchedMs };
    } catch (error) {
      // Cancelled by the rollback signal; any other failure of the watch (it only reads) ends it early.
      if (!(isCancellation(error) && rollbackAsked !== null)) throw error;
    }
    watchScope = null;
  }
  if (rollbackAsked !== null || (watch && !watch.healthy)) {
    const reason = rollbackAsked !== null ? operatorReason(rollbackAsked) : unhealthyReason(watch!.verdict!);
    // The new job stops here; the old version resumes from the savepoint it was stopped with.
    return rollBack(reason, watch, null, jobId);
  }

  await quick.pruneJars(previousJar ? [jarId, previousJar] : [jarId]);
  note('done', `job ${jobId} is running and checkpointing${watch ? `, healthy for ${watchSeconds} s` : ''}`);
  return { jobId, ...outcome, ...pauses(stoppedAt, healthy), rolledBack: false, rollback: null, watch };

  /**
   * Starts the previous jar again from the deploy's savepoint (the old version's own, so it restores
   * all of it), after cancelling the new job. With no previous jar: an unhealthy new job is left
   * running for the operator to judge; one that failed leaves the error.
   */
  async function rollBack(
    reason: RollbackReason,
    watched: DeployResult['watch'],
    error: Error | null,
    newJob?: string,
  ): Promise<DeployResult> {
    note('rollback', `${reason.message}; ${previousJar ? 'restoring the previous jar' : 'no previous jar to restore'}`);
    if (!previousJar) {
      if (error && reason.remedy === null) throw error;
      // The client sees this message, remedy included, rather than the activity's bare failure.
      throw ApplicationFailure.create({
        type: reason.cause,
        message: reason.message,
        nonRetryable: true,
        details: [reason],
        cause: error ?? undefined,
      });
    }
    if (newJob) await quick.cancelJob(newJob);
    // The failed jar goes, so that a later deploy's rollback cannot pick it as the previous one.
    await quick.deleteJar(jarId);
    const restored = await start.startJob(previousJar, job, savepoint, { parallelism, jobId: newFlinkJobId() });
    const restoredHealthy = await slow.awaitHealthyJob(restored);
    note('rolled back', `previous jar running again as job ${restored}`);
    return {
      ...outcome,
      jobId: restored,
      jarId: previousJar,
      ...pauses(stoppedAt, restoredHealthy),
      rolledBack: true,
      rollback: reason,
      watch: watched,
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
