import { FLINK_JOBS, rescaleWorkflowId, type FlinkJobKey } from '@social-pulse/shared';
import type { WorkflowFailedError } from '@temporalio/client';
import {
  MAX_JOB_PARALLELISM,
  rescaleFlinkJobWorkflow,
  rescaleProgressQuery,
  type RescaleResult,
} from '@social-pulse/workflows';
import { PulseError, say } from '../console';
import { runFollowingSteps, withTemporal } from '../temporal';

/** What `pulse rescale` does, for `pulse rescale --help`. */
export const RESCALE_HELP =
  'rescale a Flink job through its Temporal workflow: stop it with a savepoint, start the same jar from it at the ' +
  "new parallelism (within the job's max parallelism and the cluster's free slots), verify it runs and checkpoints; " +
  'back to the old parallelism if it does not';

/** The new parallelism as typed: a whole number from 1 to MAX_JOB_PARALLELISM; a PulseError naming it otherwise. */
export function parseParallelism(text: string): number {
  const parallelism = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(parallelism) || parallelism < 1 || parallelism > MAX_JOB_PARALLELISM) {
    throw new PulseError(`not a parallelism: "${text}"`, `a whole number from 1 to ${MAX_JOB_PARALLELISM}`);
  }
  return parallelism;
}

/** What to tell people once the rescale ended: what runs now, at what parallelism, and the pause. */
export function rescaleSummary(result: RescaleResult): { ok: string[]; warn: string[] } {
  const pause =
    result.pausedMs === null
      ? ''
      : `; processing paused ${(result.pausedMs / 1000).toFixed(1)} s, first checkpoint after ${((result.verifiedMs ?? 0) / 1000).toFixed(1)} s`;
  if (result.rolledBack) {
    return {
      ok: [],
      warn: [
        `${result.job}: parallelism ${result.to} did not come up (${result.rollbackReason}); ` +
          `it runs at ${result.parallelism} again as job ${result.jobId}${pause}`,
      ],
    };
  }
  if (result.pausedMs === null) {
    return { ok: [`${result.job} already runs at parallelism ${result.parallelism} (job ${result.jobId})`], warn: [] };
  }
  return {
    ok: [`${result.job} rescaled ${result.from} → ${result.parallelism} as job ${result.jobId}${pause}`],
    warn: [],
  };
}

/**
 * `pulse rescale <job> <parallelism>`: runs the rescale workflow on the worker and prints its steps
 * as they happen. A rescale of the job already under way (by hand or the autoscaler) is followed.
 */
export async function rescale(job: string, parallelismText: string): Promise<RescaleResult> {
  if (!Object.hasOwn(FLINK_JOBS, job)) {
    throw new PulseError(`unknown Flink job "${job}".`, `one of: ${Object.keys(FLINK_JOBS).join(', ')}`);
  }
  const parallelism = parseParallelism(parallelismText);
  const workflowId = rescaleWorkflowId(job as FlinkJobKey);
  const result = await withTemporal((client) =>
    runFollowingSteps(client, {
      workflow: rescaleFlinkJobWorkflow,
      workflowId,
      args: [{ job: job as FlinkJobKey, parallelism }],
      progress: rescaleProgressQuery,
      started: `rescaling ${job} to parallelism ${parallelism}`,
      alreadyRunning: `a rescale of ${job} is already running; following it (with the parallelism it was started with)`,
      failedAs: `the rescale of ${job} failed`,
      failure: (error) => failedRescale(job, workflowId, error),
    }),
  );
  const { ok, warn } = rescaleSummary(result);
  for (const line of warn) say.warn(line);
  for (const line of ok) say.ok(line);
  return result;
}

/** A refused rescale says why (the job untouched); anything else names the innermost failure. */
function failedRescale(job: string, workflowId: string, error: WorkflowFailedError): PulseError {
  let cause: Error = error;
  while (cause.cause instanceof Error) cause = cause.cause;
  const refused = (cause as { type?: string }).type === 'RescaleRefused';
  return new PulseError(
    refused ? `${job} was not rescaled: ${cause.message}` : `the rescale of ${job} failed: ${cause.message}`,
    refused ? `${job} still runs as it did` : `see workflow ${workflowId} in the Temporal UI`,
  );
}
