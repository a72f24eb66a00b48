import { defineQuery, proxyActivities, setHandler } from '@temporalio/workflow';
// Types only: workflow code must stay deterministic and never load activity implementations.
import type { FlinkDeployActivities } from '@social-pulse/activities';
import type { FlinkJobKey } from '@social-pulse/shared';
import { validateDeployInput } from './workflow-inputs';

const quick = proxyActivities<FlinkDeployActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 3 },
});
// Long steps heartbeat, so a dead worker is noticed in 30 s rather than at the timeout.
const slow = proxyActivities<FlinkDeployActivities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { maximumAttempts: 2 },
});

export interface DeployInput {
  job: FlinkJobKey;
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
}

export interface DeployProgress {
  stage: string;
  steps: { at: string; step: string }[];
}

export const deployProgressQuery = defineQuery<DeployProgress>('progress');

/**
 * Deploys a Flink job: build or locate the jar, upload it, stop the running job with a savepoint,
 * start the new one from it and wait until it runs and has checkpointed. If the new one does not
 * get there, it is cancelled and the previous jar is started from the same savepoint.
 *
 * The input is checked first: anything but `{ job }` naming one of FLINK_JOBS' own keys fails the
 * workflow with a non-retryable 'InvalidWorkflowInput' ApplicationFailure before any activity runs.
 */
export async function deployFlinkJobWorkflow(...args: [input: DeployInput]): Promise<DeployResult> {
  const { job } = validateDeployInput(args);
  const progress: DeployProgress = { stage: 'starting', steps: [] };
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
  note('start', savepoint ? `starting the new job from ${savepoint}` : 'starting the new job from scratch');

  let jobId: string | undefined;
  try {
    jobId = await quick.startJob(jarId, job, savepoint);
    note('verify', `job ${jobId} submitted; waiting until it runs and has checkpointed`);
    const healthy = await slow.awaitHealthyJob(jobId);
    await quick.pruneJars([jarId, ...previousJars.slice(0, 1)]);
    note('done', `job ${jobId} is running and checkpointing`);
    return { jobId, jarId, savepoint, ...pauses(stoppedAt, healthy), rolledBack: false };
  } catch (error) {
    const previousJar = previousJars.find((id) => id !== jarId);
    note(
      'rollback',
      `the new job failed (${(error as Error).message}); ${previousJar ? 'restoring the previous jar' : 'no previous jar to restore'}`,
    );
    if (jobId) await quick.cancelJob(jobId).catch(() => undefined);
    if (!previousJar) throw error;
    const restored = await quick.startJob(previousJar, job, savepoint);
    const healthy = await slow.awaitHealthyJob(restored);
    note('rolled back', `previous jar running again as job ${restored}`);
    return { jobId: restored, jarId: previousJar, savepoint, ...pauses(stoppedAt, healthy), rolledBack: true };
  }
}

function pauses(stoppedAt: number | null, healthy: { runningAt: number; checkpointedAt: number }) {
  return stoppedAt === null
    ? { pausedMs: null, verifiedMs: null }
    : { pausedMs: healthy.runningAt - stoppedAt, verifiedMs: healthy.checkpointedAt - stoppedAt };
}
