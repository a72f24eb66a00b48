import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { ApplicationFailure } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouse } from '@social-pulse/clickhouse';
import { metricsRegistry } from '@social-pulse/observability';
import { platform } from '@social-pulse/testing';
import { createClickHouseTtlActivities, UNKNOWN_TABLE, type TableTtlSurvey } from './clickhouse-ttl.activities';
import { failureOf, inActivity, runActivity as run } from './testing/activity-environment';

// Against the platform's real ClickHouse (the chDB server locally), on a scratch table of its own:
// partitions 1 and 2 entirely past a one-day TTL, partition 3 partly (30 expired rows and 70 live in
// one part, so the survey has to count them with the TTL expression, plus a live part), 4 all live.
// TTL merges are stopped on it, so only the activities remove anything.

const table = `ttl_maintenance_it_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
const activities = createClickHouseTtlActivities({
  clickhouseUrl: platform.clickhouseUrl,
  pollIntervalMs: 50,
  heartbeatMs: 100,
});

describe(createClickHouseTtlActivities.name, () => {
  let ch: ClickHouseClient;
  const count = async (where = '1') => {
    const result = await ch.query({
      query: `SELECT count() AS n FROM {table:Identifier} WHERE ${where}`,
      query_params: { table },
      format: 'JSONEachRow',
    });
    return Number((await result.json<{ n: string }>())[0].n);
  };
  const activePartitions = async () => {
    const result = await ch.query({
      query: `SELECT DISTINCT partition_id FROM system.parts
              WHERE database = currentDatabase() AND table = {table:String} AND active AND rows > 0 ORDER BY partition_id`,
      query_params: { table },
      format: 'JSONEachRow',
    });
    return (await result.json<{ partition_id: string }>()).map((r) => r.partition_id);
  };
  const mutations = async () => {
    const result = await ch.query({
      query: `SELECT count() AS n FROM system.mutations WHERE database = currentDatabase() AND table = {table:String}`,
      query_params: { table },
      format: 'JSONEachRow',
    });
    return Number((await result.json<{ n: string }>())[0].n);
  };

  beforeAll(async () => {
    ch = createClickHouse({ url: platform.clickhouseUrl }, 'ttl-maintenance-test');
    await ch.command({
      query: `CREATE TABLE ${table} (k UInt8, ts DateTime('UTC'), v String)
              ENGINE = MergeTree PARTITION BY k ORDER BY ts TTL ts + INTERVAL 1 DAY
              SETTINGS merge_with_ttl_timeout = 31536000, ttl_only_drop_parts = 0`,
    });
    await ch.command({ query: `SYSTEM STOP TTL MERGES ${table}` });
    const old = `toDateTime('2020-01-01 00:00:00', 'UTC') + number * 60`;
    const live = `now() - INTERVAL 1 HOUR + number`;
    for (const insert of [
      `SELECT 1, ${old}, randomPrintableASCII(100) FROM numbers(240)`,
      `SELECT 2, ${old}, randomPrintableASCII(100) FROM numbers(120)`,
      `SELECT 3, if(number < 30, ${old}, ${live}), randomPrintableASCII(100) FROM numbers(100)`,
      `SELECT 3, ${live}, 'd' FROM numbers(50)`,
      `SELECT 4, ${live}, 'e' FROM numbers(10)`,
    ]) {
      await ch.command({ query: `INSERT INTO ${table} ${insert}` });
    }
  });

  afterAll(async () => {
    await ch?.command({ query: `DROP TABLE IF EXISTS ${table} SYNC` });
    await ch?.close();
  });

  let survey: TableTtlSurvey;

  it('should report the rows and bytes past the TTL per partition, counted with the table’s own TTL expression', async () => {
    const result = await run(activities.surveyTtlTables, [table]);

    expect(result.skipped).toEqual([]);
    expect(result.tables).toHaveLength(1);
    survey = result.tables[0];
    expect(survey).toMatchObject({
      table,
      ttl: 'ts + toIntervalDay(1)',
      rows: 520,
      partitions: 4,
      expiredRows: 390,
    });
    expect(survey.expiredPartitions.map((p) => [p.partitionId, p.rows, p.expiredRows, p.parts])).toEqual([
      ['1', 240, 240, 1],
      ['2', 120, 120, 1],
      ['3', 150, 30, 2],
    ]);
    const [one, two, three] = survey.expiredPartitions;
    // Whole parts past the TTL weigh their full size; a partly expired part its share by rows.
    expect(one.expiredBytes).toBe(one.bytes);
    expect(two.expiredBytes).toBe(two.bytes);
    expect(three.expiredBytes).toBeGreaterThan(0);
    expect(three.expiredBytes).toBeLessThan(three.bytes);
    expect(survey.expiredBytes).toBe(one.bytes + two.bytes + three.expiredBytes);
    // A survey only reads.
    expect(await count()).toBe(520);
  });

  it('should refuse a table the database does not have, for good', async () => {
    const failure = await failureOf(run(activities.surveyTtlTables, [table, 'no_such_table']));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).type).toBe(UNKNOWN_TABLE);
    expect((failure as ApplicationFailure).nonRetryable).toBe(true);
  });

  it('should keep a partition that holds live rows rather than drop it', async () => {
    const result = await run(activities.dropExpiredPartition, table, '3');

    expect(result).toEqual({ table, partitionId: '3', outcome: 'live-rows', rows: 0, bytes: 0 });
    expect(await count('k = 3')).toBe(150);
  });

  it('should drop a partition entirely past its TTL, and find it gone when repeated', async () => {
    const first = await run(activities.dropExpiredPartition, table, '1');
    const again = await run(activities.dropExpiredPartition, table, '1');

    expect(first).toEqual({
      table,
      partitionId: '1',
      outcome: 'dropped',
      rows: 240,
      bytes: survey.expiredPartitions[0].bytes,
    });
    expect(again).toEqual({ table, partitionId: '1', outcome: 'gone', rows: 0, bytes: 0 });
    expect(await count('k = 1')).toBe(0);
    expect(await activePartitions()).toEqual(['2', '3', '4']);
  });

  it('should materialize the TTL of a partly live partition, removing only its expired rows, once', async () => {
    const mutationsBefore = await mutations();
    const { heartbeats, result } = inActivity(activities.materializeExpiredTtl, table, ['3']);

    const [materialized] = await result;
    expect(materialized).toMatchObject({ partitionId: '3', outcome: 'materialized', rowsReclaimed: 30 });
    // 30 rows of 100 random characters went (about 3 KB); the rewritten part costs some back in files of its own.
    expect(materialized.bytesReclaimed).toBeGreaterThan(0);
    expect(await count('k = 3')).toBe(120);
    expect(await count('k = 3 AND ts + INTERVAL 1 DAY <= now()')).toBe(0);
    expect(await mutations()).toBe(mutationsBefore + 1);
    // Its first heartbeat is the checkpoint, sent before the mutation starts.
    expect(heartbeats[0]).toMatchObject({ before: { '3': { rows: 150 } } });

    // A retry of an attempt that died after its mutation: the figures it heartbeated say what it
    // reclaimed, and no second mutation starts.
    const retry = new MockActivityEnvironment({ heartbeatDetails: heartbeats[0] });
    expect(await retry.run(activities.materializeExpiredTtl, table, ['3'])).toEqual([materialized]);
    // A fresh run finds nothing expired and starts nothing.
    expect(await run(activities.materializeExpiredTtl, table, ['3'])).toEqual([
      { partitionId: '3', outcome: 'nothing-expired', rowsReclaimed: 0, bytesReclaimed: 0 },
    ]);
    expect(await mutations()).toBe(mutationsBefore + 1);
  });

  it('should leave nothing past the TTL once the rest is dropped', async () => {
    expect((await run(activities.dropExpiredPartition, table, '2')).outcome).toBe('dropped');

    const after = (await run(activities.surveyTtlTables, [table])).tables[0];

    expect(after).toMatchObject({ rows: 130, expiredRows: 0, expiredBytes: 0, expiredPartitions: [] });
    // 390 rows of 100 random characters are gone.
    expect(survey.bytes - after.bytes).toBeGreaterThan(30_000);
    expect(await count()).toBe(130);
  });

  it('should measure the table against its budget and export both on the worker’s metrics', async () => {
    const [small, big] = await run(activities.recordTableSizes, [
      { table, budgetBytes: 1 },
      { table: 'no_such_table', budgetBytes: 1_000 },
    ]);

    expect(small).toMatchObject({ table, rows: 130, budgetBytes: 1, overBudget: true });
    expect(small.bytes).toBeGreaterThan(1);
    expect(big).toEqual({ table: 'no_such_table', rows: 0, bytes: 0, budgetBytes: 1_000, overBudget: false });
    const metrics = await metricsRegistry.metrics();
    expect(metrics).toContain(`pulse_clickhouse_table_over_budget{table="${table}"} 1`);
    expect(metrics).toContain(`pulse_clickhouse_table_bytes{table="${table}"} ${small.bytes}`);
    expect(metrics).toContain(`pulse_clickhouse_table_budget_bytes{table="${table}"} 1`);

    await run(activities.recordTableSizes, [{ table, budgetBytes: small.bytes }]);
    expect(await metricsRegistry.metrics()).toContain(`pulse_clickhouse_table_over_budget{table="${table}"} 0`);
  });
});
