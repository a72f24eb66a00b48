import { CancelledFailure } from '@temporalio/activity';
import { describe, expect, it, vi } from 'vitest';
import { MIGRATIONS_DIR, readMigrations } from '@social-pulse/clickhouse';
import { BACKFILL_VIEWS } from '@social-pulse/shared';
import { CUTOVER_PASSED, TARGET_WITHOUT_DEDUPLICATION, createViewBackfillActivities } from './view-backfill.activities';
import {
  chunkInsertSettings,
  chunkInsertSql,
  createViewSql,
  cutoverComment,
  dedupToken,
  instantParam,
  measuresOf,
  planQuerySql,
  reconcileSql,
  resolveViewDefinition,
  type Chunk,
} from './view-backfill.sql';
import { failureOf, inActivity, inActivityAttempt, isRetryable, runActivity } from './testing/activity-environment';
import {
  ScriptedClickHouse,
  clickHouseError,
  collapse,
  inTurn,
  type RecordedCall,
} from './testing/scripted-clickhouse';

// Component tier: the backfill activities in-process, with a scripted ClickHouse client at their
// one outgoing port and the project's own migrations as the views' definitions. The SQL builders
// are unit-tested in view-backfill.sql.spec.ts and run against the real server in
// test/integration/view-backfill.test.ts; here: what is sent in which order, with which
// parameters and settings, and how heartbeats, retries and cancellation drive it.

const VIEW = 'engagement_minute_mv';
const DEF = resolveViewDefinition(
  VIEW,
  BACKFILL_VIEWS[VIEW],
  readMigrations(MIGRATIONS_DIR).flatMap((m) => m.statements),
);
const CUTOVER = '2026-11-27T12:00:10.000Z';

/** engagement_minute's columns as system.columns lists them: two exact measures and the period and dimensions. */
const COLUMNS = [
  { name: 'period', type: "DateTime('UTC')" },
  { name: 'event_type', type: 'LowCardinality(String)' },
  { name: 'events', type: 'SimpleAggregateFunction(sum, UInt64)' },
  { name: 'users', type: 'AggregateFunction(uniq, String)' },
];

const createTable = (name: string, tail: string) =>
  `CREATE TABLE pulse.${name} (\`period\` DateTime('UTC'), \`events\` SimpleAggregateFunction(sum, UInt64)) ENGINE = AggregatingMergeTree PARTITION BY toDate(period) ORDER BY period ${tail}`;
const TARGET_WITH_WINDOW = createTable(
  'engagement_minute',
  'TTL period + toIntervalDay(14) SETTINGS non_replicated_deduplication_window = 1000, index_granularity = 8192',
);

const SQL = {
  tableInfo: /^SELECT create_table_query, comment, engine FROM system\.tables /,
  columns: /^SELECT name, type FROM system\.columns /,
  now: "SELECT toString(now64(3, 'UTC')) AS now",
};

/** The chunks the plan below makes of its hours, and that the fill tests insert. */
const CHUNKS: Chunk[] = [
  { index: 0, from: '2026-11-20T00:00:00.000Z', to: '2026-11-20T11:00:00.000Z', rows: 3_000 },
  { index: 1, from: '2026-11-20T11:00:00.000Z', to: '2026-11-21T00:00:00.000Z', rows: 2_500 },
  { index: 2, from: '2026-11-21T00:00:00.000Z', to: '2026-11-22T00:00:00.000Z', rows: 100 },
];

interface TableInfo {
  create_table_query: string;
  comment: string;
  engine: string;
}

function backfill() {
  const ch = new ScriptedClickHouse();
  const activities = createViewBackfillActivities({
    clickhouse: ch.client,
    migrationsDir: MIGRATIONS_DIR,
    reconcileRetryMs: 1,
  });
  // system.tables: what each test leaves in it.
  const tables = new Map<string, TableInfo>([
    ['events', { create_table_query: createTable('events', ''), comment: '', engine: 'ReplacingMergeTree' }],
    ['engagement_minute', { create_table_query: TARGET_WITH_WINDOW, comment: '', engine: 'AggregatingMergeTree' }],
    [VIEW, { create_table_query: 'CREATE MATERIALIZED VIEW …', comment: '', engine: 'MaterializedView' }],
  ]);
  ch.onQuery(SQL.tableInfo, ({ params }) => {
    const info = tables.get(params.name as string);
    return info ? [{ ...info }] : [];
  });
  ch.onQuery(SQL.columns, COLUMNS);
  /** ClickHouse's clock at each read of it, in turn. */
  const clock = (...instants: string[]) =>
    ch.onQuery(SQL.now, inTurn(...instants.map((iso) => [{ now: iso.replace('T', ' ').replace('Z', '') }])));
  return { ch, activities, tables, clock };
}

const sqlOf = (calls: RecordedCall[]) => calls.map((c) => c.sql);
/** Waits until every callback queued so far has run: what a loop that did not stop would have sent by then. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('describeBackfillView', () => {
  it('should resolve the view from its migration and describe its tables: TTL, deduplication window and measures', async () => {
    const { ch, activities } = backfill();

    const description = await runActivity(activities.describeBackfillView, VIEW);

    expect(description).toEqual({
      view: VIEW,
      target: 'engagement_minute',
      source: 'events',
      timeColumn: 'event_time',
      cutoverColumn: 'received_at',
      ttlDays: 14,
      deduplicationWindow: 1_000,
      // Sums and uniq states merge exactly; the period and dimensions are not measures.
      measures: ['events', 'users'],
    });
    expect(ch.callsMatching(SQL.tableInfo).map((c) => c.params)).toEqual([
      { name: 'events' },
      { name: 'engagement_minute' },
    ]);
    expect(ch.callsMatching(SQL.columns).map((c) => c.params)).toEqual([{ table: 'engagement_minute' }]);
  });

  it('should fail without retrying when the target would not drop a repeated chunk, naming the migration to add', async () => {
    const { activities, tables } = backfill();
    tables.get('engagement_minute')!.create_table_query = createTable(
      'engagement_minute',
      'TTL period + toIntervalDay(14) SETTINGS index_granularity = 8192',
    );

    const error = await failureOf(runActivity(activities.describeBackfillView, VIEW));

    expect(error).toMatchObject({ type: TARGET_WITHOUT_DEDUPLICATION, nonRetryable: true });
    expect(error.message).toContain(
      'ALTER TABLE engagement_minute MODIFY SETTING non_replicated_deduplication_window = 1000',
    );
  });

  it('should fail without retrying when a table does not exist yet', async () => {
    const { activities, tables } = backfill();
    tables.delete('events');

    const error = await failureOf(runActivity(activities.describeBackfillView, VIEW));

    expect(error).toMatchObject({
      nonRetryable: true,
      message: 'events does not exist: apply the migrations first (npx pulse up)',
    });
  });

  it('should refuse a view it cannot backfill before asking ClickHouse anything', async () => {
    const { ch, activities } = backfill();

    const error = await failureOf(runActivity(activities.describeBackfillView, 'trending_topic_history_mv'));

    expect(error).toMatchObject({
      nonRetryable: true,
      message: 'trending_topic_history_mv is not a backfillable view',
    });
    expect(ch.calls).toEqual([]);
  });
});

describe('switchBackfillView', () => {
  it('should stop the old view, empty the target and start the view from the cut-over, in that order', async () => {
    const { ch, activities, clock } = backfill();
    ch.onCommand(/^(DROP VIEW|TRUNCATE TABLE|CREATE MATERIALIZED VIEW) /);
    clock('2026-11-27T12:00:00.000Z', '2026-11-27T12:00:01.000Z');

    const switched = await runActivity(activities.switchBackfillView, { view: VIEW, cutover: CUTOVER });

    expect(switched).toEqual({ switched: true });
    expect(sqlOf(ch.commands)).toEqual([
      `DROP VIEW IF EXISTS ${VIEW}`,
      'TRUNCATE TABLE engagement_minute',
      collapse(createViewSql(DEF, CUTOVER)),
    ]);
    expect(ch.commands[2].sql).toMatch(
      /WHERE received_at >= toDateTime64\('2026-11-27 12:00:10\.000', 3, 'UTC'\) GROUP BY .* COMMENT 'backfill cutover 2026-11-27T12:00:10\.000Z'$/,
    );
    // The clock is read before the first statement and after the last.
    expect(ch.calls.map((c) => (c.sql === SQL.now ? 'clock' : c.kind))).toEqual([
      'query',
      'clock',
      'command',
      'command',
      'command',
      'clock',
    ]);
  });

  it('should find the view a previous attempt created, by its comment, and change nothing', async () => {
    const { ch, activities, tables } = backfill();
    tables.get(VIEW)!.comment = cutoverComment(CUTOVER);

    const switched = await runActivity(activities.switchBackfillView, { view: VIEW, cutover: CUTOVER });

    expect(switched).toEqual({ switched: false });
    expect(ch.commands).toEqual([]);
  });

  it('should fail without retrying, and change nothing, when the cut-over is less than 2 s ahead of ClickHouse’s clock', async () => {
    const { ch, activities, clock } = backfill();
    clock('2026-11-27T12:00:08.500Z');

    const error = await failureOf(runActivity(activities.switchBackfillView, { view: VIEW, cutover: CUTOVER }));

    expect(error).toMatchObject({ type: CUTOVER_PASSED, nonRetryable: true });
    expect(error.message).toContain("(ClickHouse's clock: 2026-11-27T12:00:08.500Z)");
    expect(ch.commands).toEqual([]);
  });

  it('should fail without retrying when the switch itself ran past the guard, for the workflow to pick a later cut-over', async () => {
    const { ch, activities, clock } = backfill();
    ch.onCommand(/^(DROP VIEW|TRUNCATE TABLE|CREATE MATERIALIZED VIEW) /);
    clock('2026-11-27T12:00:00.000Z', '2026-11-27T12:00:09.000Z');

    const error = await failureOf(runActivity(activities.switchBackfillView, { view: VIEW, cutover: CUTOVER }));

    expect(error).toMatchObject({ type: CUTOVER_PASSED, nonRetryable: true });
    expect(ch.commands).toHaveLength(3);
  });
});

describe('planBackfillChunks', () => {
  const HOURS = [
    { hour: '2026-11-20 10:00:00', rows: '3000' },
    { hour: '2026-11-20 11:00:00', rows: '2500' },
    { hour: '2026-11-21 09:00:00', rows: '100' },
  ];

  it('should cut the history since the target’s TTL horizon into chunks of whole hours within a day', async () => {
    const { ch, activities, clock } = backfill();
    clock('2026-11-27T12:00:00.000Z');
    ch.onQuery(planQuerySql(DEF), HOURS);

    const plan = await runActivity(activities.planBackfillChunks, {
      view: VIEW,
      cutover: CUTOVER,
      from: null,
      maxChunkRows: 4_000,
    });

    expect(plan).toEqual({ from: '2026-11-20T00:00:00.000Z', chunks: CHUNKS, rows: 5_600, clippedToTtl: true });
    // 14 days of TTL before ClickHouse's now, to the next midnight, and a day of margin.
    expect(ch.callsMatching(planQuerySql(DEF))[0].params).toEqual({
      from: '2026-11-15 00:00:00.000',
      cutover: '2026-11-27 12:00:10.000',
    });
  });

  it('should start from the day asked for when it is within the TTL', async () => {
    const { ch, activities, clock } = backfill();
    clock('2026-11-27T12:00:00.000Z');
    ch.onQuery(planQuerySql(DEF), HOURS);

    const plan = await runActivity(activities.planBackfillChunks, {
      view: VIEW,
      cutover: CUTOVER,
      from: '2026-11-18T00:00:00.000Z',
      maxChunkRows: 4_000,
    });

    expect(plan.clippedToTtl).toBe(false);
    expect(ch.callsMatching(planQuerySql(DEF))[0].params.from).toBe('2026-11-18 00:00:00.000');
  });

  it('should reach back to the oldest row when the target has no TTL, without reading the clock', async () => {
    const { ch, activities, tables } = backfill();
    tables.get('engagement_minute')!.create_table_query = createTable(
      'engagement_minute',
      'SETTINGS non_replicated_deduplication_window = 1000',
    );
    ch.onQuery(planQuerySql(DEF), []);

    const plan = await runActivity(activities.planBackfillChunks, {
      view: VIEW,
      cutover: CUTOVER,
      from: null,
      maxChunkRows: 4_000,
    });

    expect(plan).toEqual({ from: null, chunks: [], rows: 0, clippedToTtl: false });
    expect(ch.callsMatching(planQuerySql(DEF))[0].params.from).toBe('1970-01-01 00:00:00.000');
    expect(ch.callsMatching(SQL.now)).toEqual([]);
  });
});

describe('fillBackfillChunks', () => {
  const INSERT = chunkInsertSql(DEF);
  const input = { view: VIEW, cutover: CUTOVER, chunks: CHUNKS };
  const chunkOf = (call: RecordedCall) => CHUNKS.find((c) => instantParam(c.from) === call.params.from)!;

  /** What each chunk's insert answers: rows read and written (a repeat reads and writes none). */
  function scriptInserts(ch: ScriptedClickHouse, answer?: (call: RecordedCall) => unknown) {
    ch.onCommand(INSERT, async (call) => {
      await answer?.(call);
      const chunk = chunkOf(call);
      const written = chunk.index === 1 ? 0 : chunk.rows / 10;
      return { summary: { read_rows: String(chunk.rows), written_rows: String(written) } };
    });
  }

  it('should insert each chunk with its deduplication token and settings, and heartbeat each one finished', async () => {
    const { ch, activities } = backfill();
    const order: string[] = [];
    scriptInserts(ch, (call) => order.push(`insert ${chunkOf(call).index}`));
    const run = inActivity(activities.fillBackfillChunks, input);
    run.env.on('heartbeat', (details: { lastFinished: number }) => order.push(`beat ${details.lastFinished}`));

    const fill = await run.result;

    expect(fill).toMatchObject({
      lastFinished: 2,
      chunks: 3,
      rows: 5_600,
      writtenRows: 310,
      // Chunk 1 read rows and wrote none: ClickHouse dropped it as a repeat of its token.
      repeated: 1,
      resumedAfter: null,
    });
    expect(ch.commands.map(({ sql, params, settings }) => ({ sql, params, settings }))).toEqual(
      CHUNKS.map((chunk) => ({
        sql: collapse(INSERT),
        params: {
          from: chunk.from.slice(0, 23).replace('T', ' '),
          to: chunk.to.slice(0, 23).replace('T', ' '),
          cutover: '2026-11-27 12:00:10.000',
        },
        settings: chunkInsertSettings(dedupToken(VIEW, CUTOVER, chunk)),
      })),
    );
    expect(ch.commands[0].settings).toMatchObject({
      insert_deduplicate: 1,
      insert_deduplication_token: `backfill:${VIEW}:${CUTOVER}:2026-11-20T00:00:00.000Z/2026-11-20T11:00:00.000Z`,
    });
    // Each insert can be aborted by the activity's cancellation.
    expect(ch.commands.every((c) => c.signal !== undefined)).toBe(true);
    // A chunk's heartbeat goes out once it is in, before the next one starts.
    expect(run.heartbeats).toEqual([{ lastFinished: 0 }, { lastFinished: 1 }, { lastFinished: 2 }]);
    expect(order).toEqual(['insert 0', 'beat 0', 'insert 1', 'beat 1', 'insert 2', 'beat 2']);
  });

  it('should resume a retry after the chunk the failed attempt last heartbeated, repeating only the one it was inside with the same token', async () => {
    const { ch, activities } = backfill();
    let failChunk1 = true;
    scriptInserts(ch, (call) => {
      if (chunkOf(call).index === 1 && failChunk1) {
        failChunk1 = false;
        return Promise.reject(
          clickHouseError(252, 'TOO_MANY_PARTS', 'Too many parts (3001) in table engagement_minute'),
        );
      }
    });

    const first = inActivity(activities.fillBackfillChunks, input);
    const error = await failureOf(first.result);
    expect(error).toMatchObject({ type: 'TOO_MANY_PARTS' });
    expect(isRetryable(error)).toBe(true);
    expect(first.heartbeats).toEqual([{ lastFinished: 0 }]);

    const retry = inActivityAttempt(
      { attempt: 2, heartbeatDetails: first.heartbeats.at(-1) },
      activities.fillBackfillChunks,
      input,
    );
    const fill = await retry.result;

    expect(fill).toMatchObject({ lastFinished: 2, chunks: 2, rows: 2_600, resumedAfter: 0 });
    // Chunk 0 is never inserted again; chunk 1 repeats under the token it had.
    expect(ch.commands.map((c) => chunkOf(c).index)).toEqual([0, 1, 1, 2]);
    expect(ch.commands[2].settings.insert_deduplication_token).toBe(ch.commands[1].settings.insert_deduplication_token);
    expect(retry.heartbeats).toEqual([{ lastFinished: 1 }, { lastFinished: 2 }]);
  });

  it('should insert nothing on a retry after the last chunk was heartbeated', async () => {
    const { ch, activities } = backfill();

    const fill = await inActivityAttempt(
      { attempt: 3, heartbeatDetails: { lastFinished: 2 } },
      activities.fillBackfillChunks,
      input,
    ).result;

    expect(fill).toMatchObject({ lastFinished: 2, chunks: 0, rows: 0, resumedAfter: 2 });
    expect(ch.commands).toEqual([]);
  });

  it('should stop between chunks when the cancellation comes back with a heartbeat', async () => {
    const { ch, activities } = backfill();
    scriptInserts(ch);
    const run = inActivity(activities.fillBackfillChunks, input);
    // As from the server: the answer to chunk 0's heartbeat cancels the activity.
    run.env.on('heartbeat', (details: { lastFinished: number }) => {
      if (details.lastFinished === 0) run.env.cancel();
    });

    const error = await failureOf(run.result);
    await settled();

    expect(error).toBeInstanceOf(CancelledFailure);
    expect(run.heartbeats).toEqual([{ lastFinished: 0 }]);
    expect(ch.commands).toHaveLength(1);
  });

  it('should abort the insert in flight when Temporal cancels it, and start no other', async () => {
    const { ch, activities } = backfill();
    // Chunk 1's insert runs until the request is aborted.
    scriptInserts(ch, (call) => (chunkOf(call).index === 1 ? new Promise(() => undefined) : undefined));
    const run = inActivity(activities.fillBackfillChunks, input);
    await vi.waitFor(() => expect(ch.commands).toHaveLength(2));

    run.env.cancel();
    // Reported as the cancellation it is, not as a failed insert.
    expect(await failureOf(run.result)).toBeInstanceOf(CancelledFailure);
    await settled();

    expect(ch.commands[1].signal?.aborted).toBe(true);
    expect(run.heartbeats).toEqual([{ lastFinished: 0 }]);
    expect(ch.commands).toHaveLength(2);
  });
});

describe('reconcileBackfillView', () => {
  const RECONCILE = reconcileSql(DEF, measuresOf(COLUMNS));
  const FROM = '2026-11-20T00:00:00.000Z';
  const answer = (mismatched: number, examples: string[] = []) => [
    {
      periods: '2880',
      mismatched: String(mismatched),
      examples,
      target_events: mismatched ? '5598' : '5600',
      source_events: '5600',
      target_users: '9223372036854775807',
      source_users: '9223372036854775807',
    },
  ];

  it('should compare every period since `from` once when they are equal, with exact totals per measure', async () => {
    const { ch, activities } = backfill();
    ch.onQuery(RECONCILE, answer(0));

    const result = await runActivity(activities.reconcileBackfillView, { view: VIEW, from: FROM });

    expect(result).toEqual({
      equal: true,
      periods: 2_880,
      mismatched: 0,
      examples: [],
      // Int64 sums stay decimal strings: no rounding through a JS number.
      totals: {
        events: { target: '5600', source: '5600' },
        users: { target: '9223372036854775807', source: '9223372036854775807' },
      },
      attempts: 1,
    });
    expect(ch.callsMatching(RECONCILE).map((c) => c.params)).toEqual([{ from: '2026-11-20 00:00:00.000' }]);
  });

  it('should read a difference again while live writes settle, and report equal once they have', async () => {
    const { ch, activities } = backfill();
    ch.onQuery(RECONCILE, inTurn(answer(2, ['2026-11-27 12:00:00']), answer(0)));

    const result = await runActivity(activities.reconcileBackfillView, { view: VIEW, from: FROM });

    expect(result).toMatchObject({ equal: true, mismatched: 0, attempts: 2 });
  });

  it('should report the periods that still differ after three reads', async () => {
    const { ch, activities } = backfill();
    ch.onQuery(RECONCILE, answer(2, ['2026-11-20 10:07:00', '2026-11-21 09:13:00']));

    const result = await runActivity(activities.reconcileBackfillView, { view: VIEW, from: FROM });

    expect(result).toMatchObject({
      equal: false,
      mismatched: 2,
      examples: ['2026-11-20 10:07:00', '2026-11-21 09:13:00'],
      totals: { events: { target: '5598', source: '5600' } },
      attempts: 3,
    });
    expect(ch.callsMatching(RECONCILE)).toHaveLength(3);
  });
});
