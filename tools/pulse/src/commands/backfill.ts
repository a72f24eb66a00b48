import { BACKFILL_VIEWS, backfillWorkflowId, isBackfillViewName } from '@social-pulse/shared';
import {
  backfillProgressQuery,
  backfillViewWorkflow,
  type BackfillInput,
  type BackfillResult,
} from '@social-pulse/workflows';
import { PulseError, say } from '../console';
import { runFollowingSteps, withTemporal } from '../temporal';

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
  const workflowId = backfillWorkflowId(input.view);
  const result = await withTemporal((client) =>
    runFollowingSteps(client, {
      workflow: backfillViewWorkflow,
      workflowId,
      args: [input],
      progress: backfillProgressQuery,
      started: `backfilling ${view}`,
      alreadyRunning: `a backfill of ${view} is already running; following it (with the options it was started with)`,
      failedAs: `the backfill of ${view} failed`,
    }),
  );
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
}
