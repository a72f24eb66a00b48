import { join } from 'node:path';
import { Context } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { ApplicationFailure } from '@temporalio/workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Chunk, ViewBackfillActivities } from '@social-pulse/activities';
import type { BackfillViewName } from '@social-pulse/shared';
import { runWorkflow, startWorkflowTestEnvironment, testWorkflowBundle } from '@social-pulse/testing/temporal';
import { backfillProgressQuery, backfillViewWorkflow, type BackfillInput } from './backfill-view.workflow';

/** The worker bundles the workflows from the package's entry, as the real worker does. */
const workflowsPath = join(__dirname, 'index.ts');

const chunk = (index: number): Chunk => ({
  index,
  from: `2026-11-2${index}T00:00:00.000Z`,
  to: `2026-11-2${index + 1}T00:00:00.000Z`,
  rows: 100 * (index + 1),
});
const PLAN = [0, 1, 2, 3, 4].map(chunk);

/**
 * Activities over an in-memory target: `filled` lists every chunk insert that reached it, and a
 * repeat of a chunk with the same (view, cut-over, chunk) is dropped as ClickHouse drops a repeated token.
 */
function fakeActivities(overrides: Partial<ViewBackfillActivities> = {}) {
  const calls: string[] = [];
  const filled: number[] = [];
  const tokens = new Set<string>();
  const insert = (cutover: string, c: Chunk) => {
    const token = `${cutover}:${c.from}`;
    if (tokens.has(token)) return false;
    tokens.add(token);
    filled.push(c.index);
    return true;
  };
  const activities: ViewBackfillActivities = {
    describeBackfillView: async (view: string) => {
      calls.push(`describe(${view})`);
      return {
        view,
        target: 'engagement_minute',
        source: 'events',
        timeColumn: 'event_time',
        cutoverColumn: 'received_at',
        ttlDays: 14,
        deduplicationWindow: 1000,
        measures: ['events', 'users', 'sessions'],
      };
    },
    switchBackfillView: async ({ cutover }) => {
      calls.push(`switch(${cutover})`);
      return { switched: true };
    },
    planBackfillChunks: async (input) => {
      calls.push(`plan(${input.from}, ${input.maxChunkRows})`);
      return { from: PLAN[0].from, chunks: PLAN, rows: 1500, clippedToTtl: false };
    },
    fillBackfillChunks: async ({ cutover, chunks }) => {
      const context = Context.current();
      const beat = context.info.heartbeatDetails as { lastFinished?: number } | undefined;
      const resumedAfter = beat?.lastFinished ?? null;
      calls.push(
        `fill(${chunks.map((c) => c.index).join(',')}${resumedAfter === null ? '' : ` after ${resumedAfter}`})`,
      );
      let repeated = 0;
      let lastFinished = resumedAfter ?? -1;
      for (const c of chunks) {
        if (resumedAfter !== null && c.index <= resumedAfter) continue;
        if (!insert(cutover, c)) repeated++;
        lastFinished = c.index;
        context.heartbeat({ lastFinished });
      }
      return { lastFinished, chunks: chunks.length, rows: 0, writtenRows: 10, repeated, resumedAfter, ms: 100 };
    },
    reconcileBackfillView: async ({ from }) => {
      calls.push(`reconcile(${from})`);
      return {
        equal: true,
        periods: 5,
        mismatched: 0,
        examples: [],
        totals: { events: { target: '1500', source: '1500' } },
        attempts: 1,
      };
    },
    ...overrides,
  };
  return { activities, calls, filled, insert };
}

describe(backfillViewWorkflow.name, () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await startWorkflowTestEnvironment();
  });
  afterAll(() => env?.teardown());

  const input = (extra: Partial<BackfillInput> = {}): BackfillInput => ({
    view: 'engagement_minute_mv',
    chunksPerBatch: 2,
    cutoverLeadSeconds: 3,
    settleSeconds: 0,
    ...extra,
  });
  const backfill = (activities: ViewBackfillActivities, extra: Partial<BackfillInput> = {}) =>
    runWorkflow(env, backfillViewWorkflow, [input(extra)], activities, { workflowsPath });

  it('should switch the view, fill every chunk once in batches and return the reconcile and figures', async () => {
    const { activities, calls, filled } = fakeActivities();
    const started = Date.now();
    const result = await backfill(activities, { from: '2026-11-20', maxChunkRows: 1234 });
    expect(calls).toEqual([
      'describe(engagement_minute_mv)',
      `switch(${result.cutover})`,
      'plan(2026-11-20T00:00:00.000Z, 1234)',
      'fill(0,1)',
      'fill(2,3)',
      'fill(4)',
      'reconcile(2026-11-20T00:00:00.000Z)',
    ]);
    expect(filled).toEqual([0, 1, 2, 3, 4]);
    // The cut-over lies the lead ahead of the start, and the fill waited for it.
    expect(Date.parse(result.cutover)).toBeGreaterThanOrEqual(started + 2_000);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(result.cutover));
    expect(result).toMatchObject({
      view: 'engagement_minute_mv',
      from: '2026-11-20T00:00:00.000Z',
      chunks: 5,
      rows: 1500,
      writtenRows: 30,
      repeatedChunks: 0,
      resumed: 0,
      fillMs: 300,
      rowsPerSecond: 5000,
      reconcile: { equal: true, periods: 5 },
    });
  });

  it('should resume a batch after the last chunk its failed attempt heartbeated, filling each chunk once', async () => {
    const fake = fakeActivities();
    let failed = false;
    const { activities } = fakeActivities({
      fillBackfillChunks: async (request) => {
        if (!failed && request.chunks[0].index === 2) {
          // The worker dies inside the batch: chunk 2 is in the target and heartbeated, chunk 3 is not.
          failed = true;
          fake.insert(request.cutover, request.chunks[0]);
          Context.current().heartbeat({ lastFinished: 2 });
          await Context.current().sleep(1_500);
          throw new Error('worker lost');
        }
        return fake.activities.fillBackfillChunks(request);
      },
    });
    const result = await backfill(activities);
    expect(fake.filled).toEqual([0, 1, 2, 3, 4]);
    expect(fake.calls.filter((c) => c.startsWith('fill'))).toEqual(['fill(0,1)', 'fill(2,3 after 2)', 'fill(4)']);
    expect(result).toMatchObject({ chunks: 5, resumed: 1, repeatedChunks: 0 });
  });

  it('should go on from the last finished chunk when its worker is stopped mid-run and another takes over', async () => {
    const taskQueue = `backfill-restart-${Date.now()}`;
    const fake = fakeActivities();
    let release: () => void = () => undefined;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const first = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await testWorkflowBundle(workflowsPath),
      activities: {
        ...fake.activities,
        // The first worker fills one batch, then hangs in the second until it is shut down.
        fillBackfillChunks: async (request: Parameters<ViewBackfillActivities['fillBackfillChunks']>[0]) => {
          if (request.chunks[0].index === 0) return fake.activities.fillBackfillChunks(request);
          fake.insert(request.cutover, request.chunks[0]);
          Context.current().heartbeat({ lastFinished: request.chunks[0].index });
          await Promise.race([stuck, Context.current().cancelled]);
          throw new Error('worker shut down');
        },
      },
    });
    const handle = await env.client.workflow.start(backfillViewWorkflow, {
      taskQueue,
      workflowId: taskQueue,
      args: [input()],
    });
    const running = first.run();
    for (;;) {
      const progress = await handle.query(backfillProgressQuery);
      if (progress.lastFinishedChunk >= 1 && fake.filled.length >= 3) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    first.shutdown();
    release();
    await running;

    const second = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await testWorkflowBundle(workflowsPath),
      activities: fake.activities,
    });
    const { result, progress } = await second.runUntil(async () => ({
      result: await handle.result(),
      progress: await handle.query(backfillProgressQuery),
    }));
    // Chunk 2 was in the target before the first worker stopped; the second resumed after it.
    expect(fake.filled).toEqual([0, 1, 2, 3, 4]);
    expect(fake.calls.filter((c) => c.startsWith('fill'))).toEqual(['fill(0,1)', 'fill(2,3 after 2)', 'fill(4)']);
    expect(result).toMatchObject({ chunks: 5, resumed: 1 });
    expect(progress).toMatchObject({ stage: 'done', lastFinishedChunk: 4, chunks: { done: 5, total: 5 } });
  });

  it('should choose a later cut-over when the switch came too late for the first', async () => {
    let switches = 0;
    const { activities, calls } = fakeActivities({
      switchBackfillView: async ({ cutover }) => {
        calls.push(`switch(${cutover})`);
        if (++switches === 1) {
          throw ApplicationFailure.create({ type: 'CutoverPassed', message: 'too late', nonRetryable: true });
        }
        return { switched: true };
      },
    });
    const result = await backfill(activities);
    const cutovers = calls.filter((c) => c.startsWith('switch(')).map((c) => c.slice(7, -1));
    expect(cutovers).toHaveLength(2);
    expect(cutovers[1] > cutovers[0]).toBe(true);
    expect(result.cutover).toBe(cutovers[1]);
  });

  it('should fail, non-retryable and before any activity, on a view outside the catalogue', async () => {
    const { activities, calls } = fakeActivities();
    const error = await runWorkflow(
      env,
      backfillViewWorkflow,
      [{ ...input(), view: 'events' as BackfillViewName }],
      activities,
      { workflowsPath },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as Error | undefined)?.name).toBe('WorkflowFailedError');
    expect((error as Error).cause).toMatchObject({ type: 'InvalidWorkflowInput', nonRetryable: true });
    expect(calls).toEqual([]);
  });
});
