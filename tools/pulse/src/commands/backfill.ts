import { BACKFILL_VIEWS, TASK_QUEUES, backfillWorkflowId, isBackfillViewName } from '@social-pulse/shared';
import { Client, Connection, WorkflowExecutionAlreadyStartedError, WorkflowFailedError } from '@temporalio/client';
import {
  backfillProgressQuery,
  backfillViewWorkflow,
  type BackfillInput,
  type BackfillResult,
} from '@social-pulse/workflows';
import { PulseError, say } from '../console';
import { loadSettings } from '../settings';

export interface BackfillOptions {
  from?: string;
  maxChunkRows?: string;
  settleSeconds?: string;
}

/** The views `pulse backfill` takes, for its --help. */
export const BACKFILL_VIEW_NAMES = Object.keys(BACKFILL_VIEWS).join(', ');

/** The workflow input from the command line; the workflow checks it again (and says what is wrong). */
export function backfillInput(view: string, options: BackfillOptions): BackfillInput {
  if (!isBackfillViewName(view)) throw new PulseError(`unknown view "${view}".`, `one of: ${BACKFILL_VIEW_NAMES}`);
  const whole = (name: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    if (!/^\d+$/.test(text)) throw new PulseError(`--${name} must be a whole number (got "${text}")`);
    return Number(text);
  };
  const maxChunkRows = whole('max-chunk-rows', options.maxChunkRows);
  const settleSeconds = whole('settle-seconds', options.settleSeconds);
  return {
    view,
    ...(options.from === undefined ? {} : { from: options.from }),
    ...(maxChunkRows === undefined ? {} : { maxChunkRows }),
    ...(settleSeconds === undefined ? {} : { settleSeconds }),
  };
}

/**
 * `pulse backfill <view>`: runs the backfill workflow on the worker and prints its steps as they
 * happen. A backfill of the same view already under way is followed rather than started twice.
 */
export async function backfill(view: string, options: BackfillOptions = {}): Promise<BackfillResult> {
  const input = backfillInput(view, options);
  const settings = loadSettings();
  const connection = await Connection.connect({
    address: `127.0.0.1:${settings.TEMPORAL_PORT}`,
    connectTimeout: 10_000,
  }).catch((error: Error) => {
    throw new PulseError(
      `Temporal is not reachable: ${error.message}`,
      'start the platform with `npx pulse up --detach`',
    );
  });
  const client = new Client({ connection });
  const workflowId = backfillWorkflowId(input.view);
  let handle;
  try {
    handle = await client.workflow.start(backfillViewWorkflow, {
      taskQueue: TASK_QUEUES.operations,
      workflowId,
      args: [input],
    });
    say.step(`backfilling ${view} (workflow ${workflowId}, see the Temporal UI)`);
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    say.warn(`a backfill of ${view} is already running; following it (with the options it was started with)`);
    handle = client.workflow.getHandle(workflowId);
  }

  let shown = 0;
  const follow = async () => {
    const progress = await handle.query(backfillProgressQuery).catch(() => undefined);
    for (; progress && shown < progress.steps.length; shown++) say.step(`  ${progress.steps[shown].step}`);
  };
  const timer = setInterval(() => void follow(), 500);
  try {
    const result = (await handle.result().catch(async (error: unknown) => {
      await follow();
      if (!(error instanceof WorkflowFailedError)) throw error;
      let cause: Error = error;
      while (cause.cause instanceof Error) cause = cause.cause;
      throw new PulseError(
        `the backfill of ${view} failed: ${cause.message}`,
        `see workflow ${workflowId} in the Temporal UI`,
      );
    })) as BackfillResult;
    await follow();
    const summary = `${result.chunks} chunks, ${result.rows} rows, ${result.rowsPerSecond} rows/s, cut-over ${result.cutover}`;
    if (result.reconcile.equal)
      say.ok(`${view} backfilled: ${summary}; ${result.reconcile.periods} periods equal the source`);
    else {
      say.warn(
        `${view} backfilled (${summary}) but ${result.reconcile.mismatched} of ${result.reconcile.periods} periods ` +
          `differ from the source, e.g. ${result.reconcile.examples.join(', ')}`,
      );
    }
    return result;
  } finally {
    clearInterval(timer);
    await connection.close();
  }
}
