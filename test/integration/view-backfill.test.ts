import { randomBytes } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { Client, Connection } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createViewBackfillActivities } from '@social-pulse/activities';
import { MIGRATIONS_DIR, createClickHouse, migrate, readMigrations } from '@social-pulse/clickhouse';
import { platform, startWorker as startTestWorker, type AppProcess } from '@social-pulse/testing';
import { backfillProgressQuery, backfillViewWorkflow } from '@social-pulse/workflows';

/**
 * The backfill against the real ClickHouse and the real Temporal: the project's migrations are
 * applied to a database of the test's own, so the platform's tables are never touched; the
 * workers are processes this test starts (and kills mid-run) on a task queue of its own.
 */
describe('materialized-view backfill', () => {
  const database = `backfill_test_${randomBytes(4).toString('hex')}`;
  const admin = createClickHouse({ url: platform.clickhouseUrl });
  let ch: ClickHouseClient;
  let activities: ReturnType<typeof createViewBackfillActivities>;
  const HISTORY_ROWS = 60_000;
  const DAY_MS = 86_400_000;
  const historyStart = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - 4 * DAY_MS);

  const value = async (query: string) =>
    Object.values((await (await ch.query({ query, format: 'JSONEachRow' })).json<Record<string, unknown>>())[0])[0];

  /** `rows` events from `start`, 4.321 s apart, received a second later (or at `receivedAt`). */
  const insertEvents = (rows: number, start: Date, receivedAt: 'event' | 'now' = 'event') =>
    ch.command({
      query: `INSERT INTO events (event_id, event_type, family, schema_version, user_id, anonymous_id, session_id,
          event_time, client_ts, received_at, device_type, os, browser, country, is_bot, page_path, referrer, properties, context)
        SELECT generateUUIDv4(), ['page.viewed', 'post.created', 'post.liked'][number % 3 + 1], 'user', 2,
          if(number % 5 = 0, '', concat('u', toString(number % 997))), concat('a', toString(number % 1301)),
          if(number % 7 = 0, '', concat('s', toString(number % 2003))), t, t,
          ${receivedAt === 'now' ? 'now64(3)' : 't + toIntervalSecond(1)'},
          ['desktop', 'mobile'][number % 2 + 1], 'linux', 'firefox', ['DE', 'US', 'FR', 'BR'][number % 4 + 1],
          false, '/', '', '{}', '{}'
        FROM (SELECT number, {start:DateTime64(3, 'UTC')} + toIntervalMillisecond(number * 4321) AS t FROM numbers({rows:UInt32}))`,
      query_params: { start: start.toISOString().slice(0, 23).replace('T', ' '), rows },
    });

  const runActivity = <R>(fn: () => Promise<R>, env = new MockActivityEnvironment()): Promise<R> => env.run(fn);

  beforeAll(async () => {
    await admin.command({ query: `CREATE DATABASE ${database}` });
    ch = createClickHouse({ url: platform.clickhouseUrl, database });
    // The real definitions: the live view starts as the migration created it, with no cut-over.
    await migrate(ch, readMigrations(MIGRATIONS_DIR));
    await insertEvents(HISTORY_ROWS, historyStart);
    activities = createViewBackfillActivities({ clickhouse: ch, migrationsDir: MIGRATIONS_DIR, reconcileRetryMs: 200 });
  }, 60_000);
  afterAll(async () => {
    await admin.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    await Promise.all([admin.close(), ch?.close()]);
  });

  it('should fill the history exactly once when a fill is abandoned mid-run and run again from the start', async () => {
    const view = 'engagement_minute_mv';
    const described = await runActivity(() => activities.describeBackfillView(view));
    expect(described).toMatchObject({ target: 'engagement_minute', source: 'events', deduplicationWindow: 1000 });

    const cutover = new Date(Date.now() + 4_000).toISOString();
    expect(await runActivity(() => activities.switchBackfillView({ view, cutover }))).toEqual({ switched: true });
    // A retried switch finds its view and leaves the target alone.
    expect(await runActivity(() => activities.switchBackfillView({ view, cutover }))).toEqual({ switched: false });
    // Written before the cut-over: the backfill's.
    await insertEvents(500, new Date(historyStart.getTime() + DAY_MS), 'now');
    await new Promise((resolve) => setTimeout(resolve, Date.parse(cutover) - Date.now() + 200));
    // Written after it, with old event times (late events): the live view's only.
    await insertEvents(700, new Date(historyStart.getTime() + 2 * DAY_MS), 'now');

    const plan = await runActivity(() =>
      activities.planBackfillChunks({ view, cutover, from: null, maxChunkRows: 4_000 }),
    );
    expect(plan.rows).toBe(HISTORY_ROWS + 500);
    expect(plan.chunks.length).toBeGreaterThan(10);

    // The first run is abandoned (cancelled, as a lost worker's attempt is) after a few chunks.
    const first = new MockActivityEnvironment();
    const beats: { lastFinished: number }[] = [];
    first.on('heartbeat', (details: { lastFinished: number }) => {
      beats.push(details);
      if (beats.length === 4) first.cancel();
    });
    const abandoned = await first
      .run(() => activities.fillBackfillChunks({ view, cutover, chunks: plan.chunks }))
      .then(
        () => 'finished',
        () => 'abandoned',
      );
    expect(abandoned).toBe('abandoned');
    expect(beats.length).toBeGreaterThanOrEqual(4);
    expect(beats.length).toBeLessThan(plan.chunks.length);

    // Run again from the first chunk, as if no heartbeat had reached Temporal: the repeats are dropped.
    const again = await runActivity(() => activities.fillBackfillChunks({ view, cutover, chunks: plan.chunks }));
    // (chDB does not report written rows, so `repeated` stays 0 there: the exact totals below are the proof.)
    expect(again.chunks).toBe(plan.chunks.length);
    // And a retry resuming after a heartbeat skips what was done.
    const resumed = await runActivity(
      () => activities.fillBackfillChunks({ view, cutover, chunks: plan.chunks }),
      new MockActivityEnvironment({ heartbeatDetails: { lastFinished: plan.chunks.length - 2 } }),
    );
    expect(resumed).toMatchObject({ chunks: 1, resumedAfter: plan.chunks.length - 2 });

    const reconcile = await runActivity(() => activities.reconcileBackfillView({ view, from: plan.from! }));
    expect(reconcile).toMatchObject({ equal: true, mismatched: 0 });
    expect(reconcile.totals.events).toEqual({
      target: String(HISTORY_ROWS + 1_200),
      source: String(HISTORY_ROWS + 1_200),
    });
    expect(Number(await value('SELECT sum(events) FROM engagement_minute'))).toBe(HISTORY_ROWS + 1_200);
    console.info(`abandoned after ${beats.length} of ${plan.chunks.length} chunks; refill ${again.ms} ms`);
  }, 60_000);

  it('should run the workflow on a real worker, killed (kill -9) inside a batch, to an exact reconcile', async () => {
    const taskQueue = `backfill-test-${randomBytes(4).toString('hex')}`;
    const clientConnection = await Connection.connect({ address: platform.temporalAddress });
    const client = new Client({ connection: clientConnection });
    // Worker processes of the test's own, on its task queue, writing to its database (the URL's path).
    const workers: AppProcess[] = [];
    const startWorker = async () => {
      const worker = await startTestWorker(taskQueue, { CLICKHOUSE_URL: `${platform.clickhouseUrl}/${database}` });
      workers.push(worker);
      return worker;
    };
    try {
      const first = await startWorker();
      const handle = await client.workflow.start(backfillViewWorkflow, {
        taskQueue,
        workflowId: `${taskQueue}-engagement-hour`,
        args: [
          {
            view: 'engagement_hour_mv',
            // Small chunks in few batches: the kill lands inside a batch, after its first heartbeat.
            maxChunkRows: 500,
            chunksPerBatch: 80,
            cutoverLeadSeconds: 3,
            settleSeconds: 0,
          },
        ],
      });
      // The first heartbeat of a fill reaches Temporal at once (later ones are throttled): kill then.
      const heartbeated = await vi.waitFor(
        async () => {
          const { raw } = await handle.describe();
          const pending = raw.pendingActivities?.find((a) => a.activityType?.name === 'fillBackfillChunks');
          const payload = pending?.heartbeatDetails?.payloads?.[0]?.data;
          expect(payload).toBeTruthy();
          return JSON.parse(Buffer.from(payload!).toString()) as { lastFinished: number };
        },
        { timeout: 60_000, interval: 50 },
      );
      await first.stop('SIGKILL');
      const killedAt = Date.now();
      await startWorker();

      const result = await handle.result();
      const progress = await handle.query(backfillProgressQuery);
      // The killed batch was retried on the second worker, after the chunk it had reported.
      expect(result.resumed).toBeGreaterThanOrEqual(1);
      expect(progress.steps.map((s) => s.step)).toContain(`a retry resumed after chunk ${heartbeated.lastFinished}`);
      expect(result.reconcile).toMatchObject({ equal: true, mismatched: 0 });
      expect(result.reconcile.totals.events.target).toBe(String(HISTORY_ROWS + 1_200));
      // Every row was written before this run's cut-over, the late ones included.
      expect(result.rows).toBe(HISTORY_ROWS + 1_200);
      expect(progress).toMatchObject({ stage: 'done', chunks: { done: result.chunks, total: result.chunks } });
      console.info(
        `workflow: ${result.chunks} chunks, ${result.rows} rows, ${result.rowsPerSecond} rows/s; worker killed ` +
          `after chunk ${heartbeated.lastFinished}, done ${Date.now() - killedAt} ms later; ` +
          `reconcile ${result.reconcile.periods} periods equal`,
      );
    } finally {
      await Promise.all(workers.map((worker) => worker.stop()));
      await clientConnection.close();
    }
  }, 120_000);

  it('should refuse a target without a deduplication window, before touching the view', async () => {
    await ch.command({ query: 'ALTER TABLE engagement_day MODIFY SETTING non_replicated_deduplication_window = 0' });
    const error = await runActivity(() => activities.describeBackfillView('engagement_day_mv')).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/non_replicated_deduplication_window/);
  });
});
