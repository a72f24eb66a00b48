import { defineQuery, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
// Types only: workflow code must stay deterministic and never load activity implementations.
import type { BackfillPlan, Chunk, ReconcileResult, ViewBackfillActivities } from '@social-pulse/activities';
import type { BackfillViewName } from '@social-pulse/shared';
import { validateBackfillInput, type CheckedBackfillInput } from './workflow-inputs';

const quick = proxyActivities<ViewBackfillActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 5 },
});
// A batch of chunks heartbeats after each chunk and every 2 s inside one: a dead worker is noticed
// in 10 s, and the retry resumes after the last chunk it reported.
const fill = proxyActivities<ViewBackfillActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { maximumAttempts: 10, initialInterval: '1 second' },
});
// The switch and the reconcile read the clock and the live tables: their failures say why, and
// CUTOVER_PASSED must reach the workflow at once rather than after retries.
const once = proxyActivities<ViewBackfillActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: ['CutoverPassed'] },
});

/** The input, as `pulse backfill` or the Temporal UI sends it (JSON). */
export interface BackfillInput {
  /** A view of BACKFILL_VIEWS, e.g. 'engagement_minute_mv'. */
  view: BackfillViewName;
  /** The first day to fill, 'YYYY-MM-DD' (UTC); default the oldest source row the target's TTL keeps. */
  from?: string;
  /** Source rows per chunk (one INSERT … SELECT); default 500,000. */
  maxChunkRows?: number;
  /** Chunks per activity; default 20. */
  chunksPerBatch?: number;
  /** How far ahead of the start the cut-over lies: the view must be in place before it; default 10 s. */
  cutoverLeadSeconds?: number;
  /** How long after the cut-over rows written before it may still arrive (the writers' lag); default 30 s. */
  settleSeconds?: number;
}

export interface BackfillResult {
  view: BackfillViewName;
  /** The instant rows written at or after are counted by the live view, before it by the backfill. */
  cutover: string;
  /** The first day filled (midnight UTC), or null when the source had no history. */
  from: string | null;
  chunks: number;
  rows: number;
  /** Rows ClickHouse wrote to the target (aggregated: fewer than the source rows). */
  writtenRows: number;
  /** Chunk inserts ClickHouse dropped as repeats (after a retry); each counted once. */
  repeatedChunks: number;
  /** Attempts of a batch that resumed after a retry. */
  resumed: number;
  fillMs: number;
  rowsPerSecond: number;
  reconcile: ReconcileResult;
}

export interface BackfillProgress {
  view: BackfillViewName;
  stage: 'starting' | 'switching' | 'settling' | 'planning' | 'filling' | 'reconciling' | 'done';
  cutover: string | null;
  chunks: { done: number; total: number };
  rows: { done: number; total: number };
  /** The index of the last chunk in the target; the fill resumes after it. -1: none yet. */
  lastFinishedChunk: number;
  rowsPerSecond: number | null;
  steps: { at: string; step: string }[];
}

export const backfillProgressQuery = defineQuery<BackfillProgress>('backfillProgress');

/** Attempts at a cut-over before giving up (each later than the one before). */
const CUTOVER_ATTEMPTS = 3;

/**
 * (Re)builds a materialized view and fills its target from the source's history, with an exact
 * cut-over: the view is replaced by one counting rows written at or after an instant chosen once
 * here (workflow time, kept in history, so a replay or retry reuses it), the target is emptied,
 * and the rows written before the instant are inserted chunk by chunk, each with a deduplication
 * token unique per (view, cut-over, chunk). It ends by comparing the target with the source,
 * period by period, and returns the figures.
 *
 * The input is checked first: a bad one fails with a non-retryable 'InvalidWorkflowInput'
 * ApplicationFailure before any activity runs.
 */
export async function backfillViewWorkflow(...args: [input: BackfillInput]): Promise<BackfillResult> {
  const input = validateBackfillInput(args);
  const progress: BackfillProgress = {
    view: input.view,
    stage: 'starting',
    cutover: null,
    chunks: { done: 0, total: 0 },
    rows: { done: 0, total: 0 },
    lastFinishedChunk: -1,
    rowsPerSecond: null,
    steps: [],
  };
  const note = (stage: BackfillProgress['stage'], step: string) => {
    progress.stage = stage;
    progress.steps.push({ at: new Date().toISOString(), step });
  };
  setHandler(backfillProgressQuery, () => progress);

  const described = await quick.describeBackfillView(input.view);
  note(
    'switching',
    `${described.view}: ${described.source} → ${described.target} (dedup window ${described.deduplicationWindow}, ` +
      `TTL ${described.ttlDays === null ? 'none' : `${described.ttlDays} days`}); replacing the view`,
  );
  const cutover = await switchView(input, note);
  progress.cutover = cutover;

  const settleUntil = Date.parse(cutover) + input.settleSeconds * 1000;
  if (settleUntil > Date.now()) {
    note('settling', `waiting until ${new Date(settleUntil).toISOString()} for rows written before the cut-over`);
    await sleep(settleUntil - Date.now());
  }

  note('planning', 'counting the history to fill');
  const plan: BackfillPlan = await quick.planBackfillChunks({
    view: input.view,
    cutover,
    from: input.from === null ? null : `${input.from}T00:00:00.000Z`,
    maxChunkRows: input.maxChunkRows,
  });
  progress.chunks.total = plan.chunks.length;
  progress.rows.total = plan.rows;
  note(
    'filling',
    `${plan.chunks.length} chunks, ${plan.rows} source rows from ${plan.from ?? '(none)'}` +
      (plan.clippedToTtl ? ' (from the TTL horizon)' : ''),
  );

  const totals = { writtenRows: 0, repeated: 0, resumed: 0, fillMs: 0 };
  for (let next = 0; next < plan.chunks.length;) {
    const batch: Chunk[] = plan.chunks.slice(next, next + input.chunksPerBatch);
    const done = await fill.fillBackfillChunks({ view: input.view, cutover, chunks: batch });
    // Chunks of an earlier attempt count too: the plan's rows of every chunk up to the last finished.
    const finished = plan.chunks.slice(next, done.lastFinished + 1);
    next = done.lastFinished + 1;
    progress.lastFinishedChunk = done.lastFinished;
    progress.chunks.done += finished.length;
    progress.rows.done += finished.reduce((sum, c) => sum + c.rows, 0);
    totals.writtenRows += done.writtenRows;
    totals.repeated += done.repeated;
    totals.fillMs += done.ms;
    if (done.resumedAfter !== null) {
      totals.resumed++;
      note('filling', `a retry resumed after chunk ${done.resumedAfter}`);
    }
    progress.rowsPerSecond = rate(progress.rows.done, totals.fillMs);
    note(
      'filling',
      `chunk ${done.lastFinished + 1}/${plan.chunks.length}: ${progress.rows.done}/${plan.rows} rows` +
        (progress.rowsPerSecond === null ? '' : `, ${progress.rowsPerSecond} rows/s`),
    );
  }

  const reconcileFrom = plan.from ?? `${cutover.slice(0, 10)}T00:00:00.000Z`;
  note('reconciling', `comparing ${described.target} with ${described.source} per period since ${reconcileFrom}`);
  const reconcile = await once.reconcileBackfillView({ view: input.view, from: reconcileFrom });
  note(
    'done',
    reconcile.equal
      ? `${reconcile.periods} periods equal the source`
      : `${reconcile.mismatched} of ${reconcile.periods} periods differ from the source, e.g. ${reconcile.examples.join(', ')}`,
  );
  return {
    view: input.view,
    cutover,
    from: plan.from,
    chunks: plan.chunks.length,
    rows: plan.rows,
    writtenRows: totals.writtenRows,
    repeatedChunks: totals.repeated,
    resumed: totals.resumed,
    fillMs: totals.fillMs,
    rowsPerSecond: rate(plan.rows, totals.fillMs) ?? 0,
    reconcile,
  };
}

/** Chooses the cut-over and replaces the view before it; a switch that came too late tries a later instant. */
async function switchView(
  input: CheckedBackfillInput,
  note: (stage: BackfillProgress['stage'], step: string) => void,
): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const cutover = new Date(Date.now() + input.cutoverLeadSeconds * 1000).toISOString();
    try {
      const { switched } = await once.switchBackfillView({ view: input.view, cutover });
      note('switching', `${switched ? 'view replaced' : 'view already in place'}; cut-over at ${cutover}`);
      return cutover;
    } catch (error) {
      const type = (error as { cause?: { type?: string } }).cause?.type;
      if (type !== 'CutoverPassed' || attempt >= CUTOVER_ATTEMPTS) throw error;
      note('switching', `the cut-over ${cutover} passed before the view was in place; choosing a later one`);
    }
  }
}

const rate = (rows: number, ms: number): number | null => (ms > 0 ? Math.round((rows * 1000) / ms) : null);
