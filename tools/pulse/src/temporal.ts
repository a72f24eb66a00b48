import {
  Client,
  Connection,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  type WorkflowHandle,
  type WorkflowStartOptions,
} from '@temporalio/client';
import type { QueryDefinition, Workflow } from '@temporalio/workflow';
import { TASK_QUEUES } from '@social-pulse/shared';
import { PulseError, say } from './console';
import { loadSettings } from './settings';

/**
 * Runs `work` with a client of the platform's Temporal; a Temporal that does not answer is a PulseError.
 * TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE, the apps' variables, name another one (docker-compose.yml's
 * bootstrap container runs `pulse bootstrap` so); without them, the local one on TEMPORAL_PORT.
 */
export async function withTemporal<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const settings = loadSettings();
  const connection = await Connection.connect({
    address: process.env.TEMPORAL_ADDRESS || `127.0.0.1:${settings.TEMPORAL_PORT}`,
    connectTimeout: 10_000,
  }).catch((error: Error) => {
    throw new PulseError(
      `Temporal is not reachable: ${error.message}`,
      'start the platform with `npx pulse up --detach`',
    );
  });
  try {
    return await work(new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE || 'default' }));
  } finally {
    await connection.close();
  }
}

/** What a workflow with a progress query reports: its steps so far. */
export interface StepProgress {
  steps: { step: string }[];
}

export interface FollowedWorkflow<W extends Workflow> {
  workflow: W;
  workflowId: string;
  args: Parameters<W>;
  progress: QueryDefinition<StepProgress>;
  /** Said when it starts, and when one with the id already runs (it is then followed, not started twice). */
  started: string;
  alreadyRunning: string;
  /** Called once this call started the run (not when it follows one already running). */
  onStarted?: () => void;
  /** The PulseError of a failed run; by default `<failedAs>: <innermost cause>` with the Temporal UI as the hint. */
  failedAs: string;
  failure?: (error: WorkflowFailedError) => PulseError;
}

/**
 * Starts a workflow on the operations queue, TEMPORAL_TASK_QUEUE when set (or follows the one running with its id) and prints
 * its steps as they happen, every half second, until it ends; resolves with its result.
 */
export async function runFollowingSteps<W extends Workflow>(
  client: Client,
  run: FollowedWorkflow<W>,
): Promise<Awaited<ReturnType<W>>> {
  let handle: WorkflowHandle<W>;
  try {
    handle = await client.workflow.start(run.workflow, {
      // The worker's own variable when set (docker-compose.yml's bootstrap container sets it).
      taskQueue: process.env.TEMPORAL_TASK_QUEUE || TASK_QUEUES.operations,
      workflowId: run.workflowId,
      args: run.args,
      // The generic W hides which arguments the workflow takes, so the options go in untyped.
    } as unknown as WorkflowStartOptions<W>);
    say.step(`${run.started} (workflow ${run.workflowId}, see the Temporal UI)`);
    run.onStarted?.();
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    say.warn(run.alreadyRunning);
    handle = client.workflow.getHandle(run.workflowId);
  }
  let shown = 0;
  // One query at a time, and the last one awaited before returning: a query still retrying when the
  // caller closes the connection throws "Channel has been shut down" from a timer, killing the CLI.
  let inFlight: Promise<void> | undefined;
  const follow = () =>
    (inFlight ??= handle
      .query(run.progress)
      .then((progress) => {
        for (; shown < progress.steps.length; shown++) say.step(`  ${progress.steps[shown].step}`);
      })
      .catch(() => undefined)
      .finally(() => (inFlight = undefined)));
  const timer = setInterval(() => void follow(), 500);
  // After the end: a query begun before it may have missed the last steps.
  const followToEnd = async () => {
    await inFlight;
    await follow();
  };
  try {
    const result = await handle.result().catch(async (error: unknown) => {
      await followToEnd();
      if (!(error instanceof WorkflowFailedError)) throw error;
      if (run.failure) throw run.failure(error);
      let cause: Error = error;
      while (cause.cause instanceof Error) cause = cause.cause;
      throw new PulseError(`${run.failedAs}: ${cause.message}`, `see workflow ${run.workflowId} in the Temporal UI`);
    });
    await followToEnd();
    return result as Awaited<ReturnType<W>>;
  } finally {
    clearInterval(timer);
    await inFlight;
  }
}
