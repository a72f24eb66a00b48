import { FLINK_JOBS, deployWorkflowId, type FlinkJobKey } from '@social-pulse/shared';
import type { Client, WorkflowFailedError } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import { InvalidArgumentError } from 'commander';
import {
  deployFlinkJobWorkflow,
  deployProgressQuery,
  rollbackSignal,
  type DeployResult,
  type RollbackReason,
} from '@social-pulse/workflows';
import { PulseError, say } from '../console';
import { runFollowingSteps, withTemporal } from '../temporal';

export interface DeployOptions {
  /** Start the new version even if its savepoint has state of operators it no longer has (that state is dropped). */
  allowNonRestoredState?: boolean;
  /** Seconds to watch the new job's metrics before the deploy counts as done (the workflow's default when absent). */
  watch?: number;
}

/** What `--watch` does, for `pulse deploy --help`. */
export const WATCH_HELP =
  'seconds to watch the new job once it runs (default 30, 0 for none): restarts, failed checkpoints, ' +
  'sources emitting while the sinks take nothing, or a Kafka lag growing at every sample roll it back; ' +
  'so does `pulse rollback <job>` until the watch ends';

/** What `--allow-non-restored-state` does, for `pulse deploy --help`. */
export const ALLOW_NON_RESTORED_STATE_HELP =
  'start the new version from the savepoint even if it has state of operators the new version no longer has ' +
  '(a uid removed or renamed): that state is dropped; Kafka offsets and the state of kept operators are restored. ' +
  'Only the new version: a rollback restores the old one with all its state';

/** `--watch`: whole seconds, 0 to 3600, as the deploy workflow takes them. */
export function parseWatchSeconds(value: string): number {
  const seconds = Number(value);
  if (!/^\d+$/.test(value) || seconds > 3_600) throw new InvalidArgumentError('expected whole seconds from 0 to 3600');
  return seconds;
}

/**
 * `pulse deploy <job>`: runs the deploy workflow on the worker and prints its steps as they
 * happen. A deploy of the same job already under way is followed rather than started twice.
 */
export async function deploy(job: string, options: DeployOptions = {}): Promise<DeployResult> {
  if (!Object.hasOwn(FLINK_JOBS, job)) {
    throw new PulseError(`unknown Flink job "${job}".`, `one of: ${Object.keys(FLINK_JOBS).join(', ')}`);
  }
  return withTemporal((client) => deployWith(client, job, options));
}

async function deployWith(client: Client, job: string, options: DeployOptions): Promise<DeployResult> {
  const workflowId = deployWorkflowId(job as FlinkJobKey);
  const result = await runFollowingSteps(client, {
    workflow: deployFlinkJobWorkflow,
    workflowId,
    // The flag only when set, so the default stays the workflow's own.
    args: [
      {
        job: job as FlinkJobKey,
        ...(options.allowNonRestoredState ? { allowNonRestoredState: true } : {}),
        ...(options.watch === undefined ? {} : { watchSeconds: options.watch }),
      },
    ],
    progress: deployProgressQuery,
    started: `deploying ${job}`,
    alreadyRunning: `a deploy of ${job} is already running; following it (with the options it was started with)`,
    onStarted: () => {
      if (options.allowNonRestoredState) {
        say.warn(
          `${job}: state of operators the new version no longer has will be dropped (--allow-non-restored-state)`,
        );
      }
    },
    failedAs: `the deploy of ${job} failed`,
    failure: (error) => failedDeploy(job, workflowId, error),
  });
  const pause = result.pausedMs === null ? '' : `, processing paused ${(result.pausedMs / 1000).toFixed(1)} s`;
  if (result.rolledBack) for (const line of rollbackLines(job, result)) say.warn(line);
  else say.ok(`${job} deployed as job ${result.jobId}${pause}`);
  return result;
}

/**
 * `pulse rollback <job>`: sends the rollback signal to the deploy of that job under way (until its
 * watch ends), which then restores the previous version from the deploy's savepoint; the deploy's
 * own `pulse deploy` prints the outcome.
 */
export async function rollback(job: string, options: { reason?: string } = {}): Promise<void> {
  if (!Object.hasOwn(FLINK_JOBS, job)) {
    throw new PulseError(`unknown Flink job "${job}".`, `one of: ${Object.keys(FLINK_JOBS).join(', ')}`);
  }
  const workflowId = deployWorkflowId(job as FlinkJobKey);
  await withTemporal(async (client) => {
    const handle = client.workflow.getHandle(workflowId);
    const running = await handle
      .describe()
      .then((d) => d.status.name === 'RUNNING')
      .catch((error: unknown) => {
        if (error instanceof WorkflowNotFoundError) return false;
        throw error;
      });
    if (!running) {
      throw new PulseError(
        `no deploy of ${job} is under way (workflow ${workflowId}).`,
        `a finished deploy is undone by deploying the previous version: check it out and run \`npx pulse deploy ${job}\``,
      );
    }
    await handle.signal(rollbackSignal, options.reason ?? `pulse rollback by ${process.env.USER ?? 'an operator'}`);
    say.ok(`asked the deploy of ${job} to roll back (workflow ${workflowId}); it restores the previous version`);
  });
}

/** What to tell people about a deploy that rolled back: what runs now, why, and what would help. */
export function rollbackLines(job: string, result: Pick<DeployResult, 'jobId' | 'rollback'>): string[] {
  const lines = [`${job}: the new version was rolled back and the previous one restored (job ${result.jobId})`];
  // Results of deploys started by an older worker carry no reason.
  const rollback = result.rollback;
  if (!rollback) return lines;
  lines.push(`  why: ${rollback.why}`);
  if (rollback.remedy) lines.push(`  to upgrade anyway: ${rollback.remedy.command}`, `    (${rollback.remedy.effect})`);
  return lines;
}

/**
 * The warning `pulse up` ends its start-up with when a job was not upgraded for a reason the
 * developer can act on (unmapped savepoint state); none otherwise.
 */
export function upgradeRemedyLines(job: string, result: Pick<DeployResult, 'rolledBack' | 'rollback'>): string[] {
  const remedy = result.rolledBack ? result.rollback?.remedy : undefined;
  if (!remedy) return [];
  return [
    `${job} was NOT upgraded: the previous version still runs. ${result.rollback!.why}.`,
    `  to upgrade anyway: ${remedy.command}`,
    `    (${remedy.effect})`,
  ];
}

/** A failed deploy workflow as a PulseError: the innermost failure's message, and the remedy as the hint when one helps. */
function failedDeploy(job: string, workflowId: string, error: WorkflowFailedError): PulseError {
  let cause: Error = error;
  while (cause.cause instanceof Error) cause = cause.cause;
  // A failure for unmapped savepoint state carries the rollback reason, remedy included, as its details.
  const reason = (error.cause as { details?: Partial<RollbackReason>[] } | undefined)?.details?.[0];
  return new PulseError(
    `the deploy of ${job} failed: ${reason?.why ?? cause.message}`,
    reason?.remedy
      ? `${reason.remedy.command} (${reason.remedy.effect})`
      : `see workflow ${workflowId} in the Temporal UI`,
  );
}
