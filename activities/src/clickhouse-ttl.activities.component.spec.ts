import { afterEach, describe, expect, it, vi } from 'vitest';
import { metricsRegistry } from '@social-pulse/observability';
import {
  TTL_MUTATION_FAILED,
  UNKNOWN_TABLE,
  createClickHouseTtlActivities,
  type PartitionTtlFacts,
} from './clickhouse-ttl.activities';
import { failureOf, inActivity, inActivityAttempt, isRetryable, runActivity } from './testing/activity-environment';
import { ScriptedClickHouse, clickHouseError, type RecordedCall } from './testing/scripted-clickhouse';

// Component tier: the TTL maintenance activities in-process, with a scripted ClickHouse client at
// their one outgoing port. The SQL itself runs against the real server in the integration spec;
// here: which statements are sent, with which parameters and settings, and what is made of the answers.

const EVENTS_TTL = 'toDateTime(event_time) + toIntervalDay(90)';
const SESSIONS_TTL = 'toDateTime(session_start) + toIntervalDay(90)';
const ENGINES: Record<string, string> = {
  dead_letters: 'MergeTree PARTITION BY toDate(received_at) ORDER BY received_at SETTINGS index_granularity = 8192',
  events:
    'ReplacingMergeTree PARTITION BY toDate(event_time) ORDER BY (user_id, event_time, event_id) ' +
    `TTL ${EVENTS_TTL} SETTINGS non_replicated_deduplication_window = 1000, index_granularity = 8192`,
  sessions: `ReplacingMergeTree PARTITION BY toDate(session_start) ORDER BY (user_id, session_start) TTL ${SESSIONS_TTL}`,
  trending_topic_history:
    "MergeTree PARTITION BY toDate(minute) ORDER BY minute TTL minute + toIntervalDay(7) TO VOLUME 'cold' SETTINGS index_granularity = 8192",
};

/** The statements the activities send, told apart by how they start (whitespace collapsed). */
const SQL = {
  tables: /^SELECT name, engine_full FROM system\.tables /,
  ttlOf: /^SELECT engine_full FROM system\.tables /,
  parts: /^SELECT name, partition_id, rows, bytes_on_disk AS bytes, /,
  expiredCount: /^SELECT _part AS part, count\(\) AS expired FROM \{table:Identifier\} /,
  figures: /^SELECT partition_id, sum\(rows\) AS rows, sum\(bytes_on_disk\) AS bytes, max\(max_block_number\)/,
  liveCount: /^SELECT count\(\) AS live FROM \{table:Identifier\} /,
  expiredParts: /^SELECT count\(\) AS parts FROM system\.parts /,
  mutations: /^SELECT mutation_id, command, latest_fail_reason FROM system\.mutations /,
  sizes: /^SELECT table, sum\(rows\) AS rows, sum\(bytes_on_disk\) AS bytes FROM system\.parts /,
  drop: 'ALTER TABLE {table:Identifier} DROP PARTITION ID {partition:String}',
  materialize: 'ALTER TABLE {table:Identifier} MATERIALIZE TTL IN PARTITION ID {partition:String}',
};

/** A part as system.parts gives it in JSONEachRow: UInt64 quoted, UInt8 flags as numbers. */
const part = (name: string, rows: number, bytes: number, flags: { allExpired: boolean; mayHaveExpired: boolean }) => ({
  name,
  partition_id: name.split('_')[0],
  rows: String(rows),
  bytes: String(bytes),
  all_expired: flags.allExpired ? 1 : 0,
  may_have_expired: flags.mayHaveExpired ? 1 : 0,
});
const EXPIRED = { allExpired: true, mayHaveExpired: true };
const PARTLY = { allExpired: false, mayHaveExpired: true };
const LIVE = { allExpired: false, mayHaveExpired: false };

const figures = (partitionId: string, rows: number, bytes: number, maxBlock: number) => ({
  partition_id: partitionId,
  rows: String(rows),
  bytes: String(bytes),
  max_block: String(maxBlock),
});

function maintenance(options: { heartbeatMs?: number } = {}) {
  const ch = new ScriptedClickHouse();
  let opened = 0;
  const activities = createClickHouseTtlActivities({
    clickhouseUrl: 'http://clickhouse.invalid:8123',
    connect: () => {
      opened++;
      return ch.client;
    },
    pollIntervalMs: 1,
    // Only the beats the activities send themselves, unless a test asks for the timer's.
    heartbeatMs: options.heartbeatMs ?? 60_000,
  });
  // The catalogue: what deleteTtlOf and the survey read of each table.
  ch.onQuery(SQL.tables, () => Object.entries(ENGINES).map(([name, engine_full]) => ({ name, engine_full }))).onQuery(
    SQL.ttlOf,
    ({ params }) => (ENGINES[params.table as string] ? [{ engine_full: ENGINES[params.table as string] }] : []),
  );
  return { ch, activities, opened: () => opened };
}

const only = (calls: RecordedCall[]) => calls.map(({ sql, params, settings }) => ({ sql, params, settings }));

afterEach(() => {
  vi.useRealTimers();
});

describe('surveyTtlTables', () => {
  /** events: two parts wholly past the TTL, one partly (30 of 100 rows), two live; sessions: one part past it. */
  function scriptParts(ch: ScriptedClickHouse) {
    const parts: Record<string, ReturnType<typeof part>[]> = {
      events: [
        part('20260101_1_1_0', 100, 1_000, EXPIRED),
        part('20260101_2_2_0', 50, 400, EXPIRED),
        part('20260102_3_3_0', 100, 2_000, PARTLY),
        part('20260102_4_4_0', 10, 100, LIVE),
        part('20260103_5_5_0', 20, 300, LIVE),
      ],
      sessions: [part('20260101_1_1_0', 40, 800, EXPIRED), part('20260102_2_2_0', 5, 50, LIVE)],
    };
    ch.onQuery(SQL.parts, ({ params }) => parts[params.table as string] ?? []);
    ch.onQuery(SQL.expiredCount, [{ part: '20260102_3_3_0', expired: '30' }]);
  }

  it('should report per table and partition the rows and bytes past the TTL, counting only the parts that need it', async () => {
    const { ch, activities } = maintenance();
    scriptParts(ch);

    const { heartbeats, result } = inActivity(activities.surveyTtlTables, null);
    const survey = await result;

    const events = {
      table: 'events',
      ttl: EVENTS_TTL,
      rows: 280,
      bytes: 3_800,
      partitions: 3,
      expiredRows: 180,
      // Whole parts past the TTL weigh their full size, the partly expired part 30 % of its 2 000 bytes.
      expiredBytes: 2_000,
      expiredPartitions: [
        { partitionId: '20260101', parts: 2, rows: 150, bytes: 1_400, expiredRows: 150, expiredBytes: 1_400 },
        { partitionId: '20260102', parts: 2, rows: 110, bytes: 2_100, expiredRows: 30, expiredBytes: 600 },
      ] satisfies PartitionTtlFacts[],
    };
    expect(survey).toEqual({
      tables: [
        events,
        {
          table: 'sessions',
          ttl: SESSIONS_TTL,
          rows: 45,
          bytes: 850,
          partitions: 2,
          expiredRows: 40,
          expiredBytes: 800,
          expiredPartitions: [
            { partitionId: '20260101', parts: 1, rows: 40, bytes: 800, expiredRows: 40, expiredBytes: 800 },
          ],
        },
      ],
      // Found without being asked for: tables without a TTL are not worth a line, a TTL it leaves alone is.
      skipped: [
        {
          table: 'trending_topic_history',
          reason: "its TTL is not a plain delete: minute + toIntervalDay(7) TO VOLUME 'cold'",
        },
      ],
    });
    // Only the partly expired part is counted, with the table's own TTL expression; sessions needs no count.
    expect(only(ch.callsMatching(SQL.expiredCount))).toEqual([
      {
        sql: expect.stringContaining(
          `WHERE _part IN {parts:Array(String)} AND (${EVENTS_TTL}) <= now() GROUP BY _part`,
        ),
        params: { table: 'events', parts: ['20260102_3_3_0'] },
        settings: {},
      },
    ]);
    // A survey only reads.
    expect(ch.commands).toEqual([]);
    expect(heartbeats).toEqual(['surveying events', 'surveying sessions']);
  });

  it('should survey only the tables asked for, naming those without a TTL as skipped', async () => {
    const { ch, activities } = maintenance();
    scriptParts(ch);

    const survey = await runActivity(activities.surveyTtlTables, ['events', 'dead_letters']);

    expect(survey.tables.map((t) => t.table)).toEqual(['events']);
    expect(survey.skipped).toEqual([{ table: 'dead_letters', reason: 'it has no TTL' }]);
    expect(ch.callsMatching(SQL.parts).map((c) => c.params.table)).toEqual(['events']);
  });

  it('should fail without retrying on a table that is not a MergeTree table, before reading any part', async () => {
    const { ch, activities, opened } = maintenance();

    const error = await failureOf(runActivity(activities.surveyTtlTables, ['events', 'no_such_table']));

    expect(error).toMatchObject({
      type: UNKNOWN_TABLE,
      nonRetryable: true,
      message: 'no_such_table is not a MergeTree table of the database',
    });
    expect(ch.callsMatching(SQL.parts)).toEqual([]);
    expect([opened(), ch.closed]).toEqual([1, 1]);
  });

  it('should heartbeat while a slow query runs, and stop once it has returned', async () => {
    const { ch, activities } = maintenance({ heartbeatMs: 5 });
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    ch.onQuery(SQL.parts, async () => {
      await slow;
      return [];
    });

    const { heartbeats, result } = inActivity(activities.surveyTtlTables, ['events']);
    await vi.waitFor(() => expect(heartbeats.filter((h) => h === 'surveying tables').length).toBeGreaterThanOrEqual(2));
    release();
    await result;
    const beats = heartbeats.length;
    // The behaviour under test is an absence: six heartbeat intervals pass with no beat after the end.
    await new Promise((resolve) => setTimeout(resolve, 30));

    expect(heartbeats[0]).toBe('surveying events');
    expect(heartbeats.length).toBe(beats);
    expect(ch.closed).toBe(1);
  });
});

describe('dropExpiredPartition', () => {
  it('should drop a partition whose rows are all past the TTL, checked again with the table’s TTL right before', async () => {
    const { ch, activities, opened } = maintenance();
    ch.onQuery(SQL.figures, [figures('20260101', 150, 1_400, 2)])
      .onQuery(SQL.liveCount, [{ live: '0' }])
      .onCommand(SQL.drop);

    const drop = await runActivity(activities.dropExpiredPartition, 'events', '20260101');

    expect(drop).toEqual({ table: 'events', partitionId: '20260101', outcome: 'dropped', rows: 150, bytes: 1_400 });
    expect(only(ch.callsMatching(SQL.liveCount))).toEqual([
      {
        sql: `SELECT count() AS live FROM {table:Identifier} WHERE _partition_id = {partition:String} AND NOT ((${EVENTS_TTL}) <= now())`,
        params: { table: 'events', partition: '20260101' },
        settings: {},
      },
    ]);
    expect(only(ch.commands)).toEqual([
      { sql: SQL.drop, params: { table: 'events', partition: '20260101' }, settings: {} },
    ]);
    // The drop comes after the check, never before it.
    expect(ch.calls.findIndex((c) => c.kind === 'command')).toBeGreaterThan(
      ch.calls.findIndex((c) => SQL.liveCount.test(c.sql)),
    );
    expect([opened(), ch.closed]).toEqual([1, 1]);
  });

  it('should keep a partition that holds rows within the TTL now (an insert since the survey)', async () => {
    const { ch, activities } = maintenance();
    ch.onQuery(SQL.figures, [figures('20260102', 110, 2_100, 4)]).onQuery(SQL.liveCount, [{ live: '80' }]);

    const drop = await runActivity(activities.dropExpiredPartition, 'events', '20260102');

    expect(drop).toEqual({ table: 'events', partitionId: '20260102', outcome: 'live-rows', rows: 0, bytes: 0 });
    expect(ch.commands).toEqual([]);
  });

  it('should find a partition an earlier attempt dropped gone, and drop nothing', async () => {
    const { ch, activities } = maintenance();
    ch.onQuery(SQL.figures, []);

    const drop = await runActivity(activities.dropExpiredPartition, 'events', '20260101');

    expect(drop).toEqual({ table: 'events', partitionId: '20260101', outcome: 'gone', rows: 0, bytes: 0 });
    expect(ch.callsMatching(SQL.liveCount)).toEqual([]);
    expect(ch.commands).toEqual([]);
  });

  it('should refuse, for good, a partition id that is not one, before anything reaches ClickHouse', async () => {
    const { ch, activities, opened } = maintenance();

    const error = await failureOf(runActivity(activities.dropExpiredPartition, 'events', "1' OR 1 = 1 --"));

    expect(error).toMatchObject({ type: 'InvalidPartitionId', nonRetryable: true });
    expect(ch.calls).toEqual([]);
    expect(opened()).toBe(0);
  });

  it('should fail to be retried when ClickHouse rejects the drop, and still close its client', async () => {
    const { ch, activities } = maintenance();
    ch.onQuery(SQL.figures, [figures('20260101', 150, 1_400, 2)])
      .onQuery(SQL.liveCount, [{ live: '0' }])
      .onCommand(SQL.drop, clickHouseError(252, 'TOO_MANY_PARTS', 'Too many parts (3001) in table events'));

    const error = await failureOf(runActivity(activities.dropExpiredPartition, 'events', '20260101'));

    // The client's own error, as it parsed the server's: a plain error, so Temporal retries the attempt.
    expect(error).toMatchObject({ code: '252', type: 'TOO_MANY_PARTS' });
    expect(isRetryable(error)).toBe(true);
    expect(ch.closed).toBe(1);
  });
});

describe('materializeExpiredTtl', () => {
  const BEFORE = {
    '20260102': { partitionId: '20260102', rows: 110, bytes: 2_100, maxBlock: 4 },
    '20260103': { partitionId: '20260103', rows: 20, bytes: 300, maxBlock: 5 },
  };

  /**
   * system.mutations as ClickHouse keeps it: a MATERIALIZE TTL the activity starts is pending for
   * `polls` reads of it, then done; `failing` gives it a fail reason. `running` starts some as if
   * an earlier attempt had started them.
   */
  function scriptMutations(ch: ScriptedClickHouse, { polls = 2, running = [] as string[], failing = '' } = {}) {
    const pending = new Map<string, number>(running.map((id) => [id, polls]));
    ch.onCommand(SQL.materialize, ({ params }) => {
      pending.set(params.partition as string, polls);
      return {};
    });
    ch.onQuery(SQL.mutations, ({ params }) =>
      (params.partitions as string[])
        .filter((id) => (pending.get(id) ?? 0) > 0)
        .map((id) => {
          pending.set(id, pending.get(id)! - 1);
          return {
            mutation_id: `mutation_${id}.txt`,
            command: `MATERIALIZE TTL IN PARTITION ID '${id}'`,
            latest_fail_reason: failing,
          };
        }),
    );
  }

  /** Partition figures: all of them before, those no newer than the `upTo` blocks after. */
  function scriptFigures(ch: ScriptedClickHouse, after: ReturnType<typeof figures>[]) {
    ch.onQuery(SQL.figures, ({ params }) =>
      (params.upToIds as string[]).length > 0
        ? after
        : Object.values(BEFORE)
            .filter((f) => (params.partitions as string[]).includes(f.partitionId))
            .map((f) => figures(f.partitionId, f.rows, f.bytes, f.maxBlock)),
    );
  }

  const expiredParts = (ch: ScriptedClickHouse, byPartition: Record<string, number>) =>
    ch.onQuery(SQL.expiredParts, ({ params }) => [{ parts: String(byPartition[params.partition as string] ?? 0) }]);

  it('should materialize the TTL where parts hold expired rows, wait until ClickHouse has applied it, and report what it reclaimed', async () => {
    const { ch, activities } = maintenance();
    scriptMutations(ch, { polls: 2 });
    scriptFigures(ch, [figures('20260102', 80, 1_600, 4), figures('20260103', 20, 300, 5)]);
    expiredParts(ch, { '20260102': 1, '20260103': 0 });

    const { heartbeats, result } = inActivity(activities.materializeExpiredTtl, 'events', ['20260102', '20260103']);

    expect(await result).toEqual([
      { partitionId: '20260102', outcome: 'materialized', rowsReclaimed: 30, bytesReclaimed: 500 },
      { partitionId: '20260103', outcome: 'nothing-expired', rowsReclaimed: 0, bytesReclaimed: 0 },
    ]);
    // One mutation, for the partition with expired parts, returning at once so the activity polls.
    expect(only(ch.commands)).toEqual([
      { sql: SQL.materialize, params: { table: 'events', partition: '20260102' }, settings: { mutations_sync: '0' } },
    ]);
    // Polled until ClickHouse had applied it: twice pending, then done.
    expect(ch.callsMatching(SQL.mutations).filter((c) => (c.params.partitions as string[]).length === 2)).toHaveLength(
      3,
    );
    // The after is measured over the parts no newer than before, so an insert meanwhile does not count.
    expect(ch.callsMatching(SQL.figures).at(-1)!.params).toMatchObject({
      upToIds: ['20260102', '20260103'],
      upToBlocks: [4, 5],
    });
    // The figures from before go out first, and with every poll, for a retry to measure from.
    const checkpoint = { before: BEFORE };
    expect(heartbeats).toEqual([checkpoint, checkpoint, checkpoint]);
  });

  it('should fail without retrying when ClickHouse reports the mutation failing', async () => {
    const { ch, activities } = maintenance();
    scriptMutations(ch, { polls: 5, failing: 'Code: 241. DB::Exception: Memory limit (total) exceeded' });
    scriptFigures(ch, []);
    expiredParts(ch, { '20260102': 1 });

    const error = await failureOf(runActivity(activities.materializeExpiredTtl, 'events', ['20260102']));

    expect(error).toMatchObject({
      type: TTL_MUTATION_FAILED,
      nonRetryable: true,
      message:
        "events: MATERIALIZE TTL IN PARTITION ID '20260102' failed: Code: 241. DB::Exception: Memory limit (total) exceeded " +
        '(see system.mutations mutation_20260102.txt)',
    });
    expect(ch.closed).toBe(1);
  });

  it('should, on a retry, await the mutation the earlier attempt started rather than start another, and measure from its figures', async () => {
    const { ch, activities } = maintenance();
    // The first attempt started 20260102's mutation and died; it is still running.
    scriptMutations(ch, { polls: 1, running: ['20260102'] });
    scriptFigures(ch, [figures('20260102', 80, 1_600, 4), figures('20260103', 20, 300, 5)]);
    expiredParts(ch, { '20260102': 1, '20260103': 0 });

    const { heartbeats, result } = inActivityAttempt(
      { attempt: 2, heartbeatDetails: { before: BEFORE } },
      activities.materializeExpiredTtl,
      'events',
      ['20260102', '20260103'],
    );

    expect(await result).toEqual([
      { partitionId: '20260102', outcome: 'materialized', rowsReclaimed: 30, bytesReclaimed: 500 },
      // Nothing expired in either attempt: the partition did not shrink, so no mutation of the first counts.
      { partitionId: '20260103', outcome: 'nothing-expired', rowsReclaimed: 0, bytesReclaimed: 0 },
    ]);
    expect(ch.commands).toEqual([]);
    // The figures from before are the first attempt's: only the after is read.
    expect(ch.callsMatching(SQL.figures)).toHaveLength(1);
    expect(heartbeats[0]).toEqual({ before: BEFORE });
  });

  it("should, on a retry, count an earlier attempt's finished mutation by the partition having shrunk", async () => {
    const { ch, activities } = maintenance();
    // The first attempt's mutation of 20260102 finished before it died: nothing pending, nothing expired.
    scriptMutations(ch);
    scriptFigures(ch, [figures('20260102', 80, 1_600, 4), figures('20260103', 20, 300, 5)]);
    expiredParts(ch, {});

    const { result } = inActivityAttempt(
      { attempt: 2, heartbeatDetails: { before: BEFORE } },
      activities.materializeExpiredTtl,
      'events',
      ['20260102', '20260103'],
    );

    expect(await result).toEqual([
      { partitionId: '20260102', outcome: 'materialized', rowsReclaimed: 30, bytesReclaimed: 500 },
      { partitionId: '20260103', outcome: 'nothing-expired', rowsReclaimed: 0, bytesReclaimed: 0 },
    ]);
    expect(ch.commands).toEqual([]);
  });

  it('should report nothing expired and start no mutation where no part holds expired rows', async () => {
    const { ch, activities } = maintenance();
    scriptMutations(ch);
    scriptFigures(ch, [figures('20260103', 20, 300, 5)]);
    expiredParts(ch, {});

    const materialized = await runActivity(activities.materializeExpiredTtl, 'events', ['20260103']);

    expect(materialized).toEqual([
      { partitionId: '20260103', outcome: 'nothing-expired', rowsReclaimed: 0, bytesReclaimed: 0 },
    ]);
    expect(ch.commands).toEqual([]);
  });

  it('should fail without retrying on a table whose TTL it does not evaluate, and send no ALTER', async () => {
    const { ch, activities } = maintenance();

    const error = await failureOf(
      runActivity(activities.materializeExpiredTtl, 'trending_topic_history', ['20260101']),
    );

    expect(error).toMatchObject({
      type: UNKNOWN_TABLE,
      nonRetryable: true,
      message: 'trending_topic_history has no TTL this maintenance evaluates (unsupported)',
    });
    expect(ch.commands).toEqual([]);
  });
});

describe('recordTableSizes', () => {
  const gauge = async (name: string, table: string) =>
    (await metricsRegistry.getSingleMetric(name)!.get()).values.find((v) => v.labels.table === table)?.value;

  it('should report each table’s size against its budget and set the worker’s gauges', async () => {
    const { ch, activities } = maintenance();
    ch.onQuery(SQL.sizes, [{ table: 'events', rows: '1200', bytes: '5000' }]);

    const sizes = await runActivity(activities.recordTableSizes, [
      { table: 'events', budgetBytes: 4_000 },
      { table: 'sessions', budgetBytes: 1_000 },
    ]);

    // A table without active parts is empty, not missing.
    expect(sizes).toEqual([
      { table: 'events', rows: 1_200, bytes: 5_000, budgetBytes: 4_000, overBudget: true },
      { table: 'sessions', rows: 0, bytes: 0, budgetBytes: 1_000, overBudget: false },
    ]);
    expect(ch.queries.at(-1)!.params).toEqual({ tables: ['events', 'sessions'] });
    expect(await gauge('pulse_clickhouse_table_bytes', 'events')).toBe(5_000);
    expect(await gauge('pulse_clickhouse_table_budget_bytes', 'events')).toBe(4_000);
    expect(await gauge('pulse_clickhouse_table_over_budget', 'events')).toBe(1);
    expect(await gauge('pulse_clickhouse_table_bytes', 'sessions')).toBe(0);
    expect(await gauge('pulse_clickhouse_table_over_budget', 'sessions')).toBe(0);
  });
});
