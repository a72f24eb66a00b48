import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { ApplicationFailure } from '@temporalio/workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClickHouseTtlActivities,
  type ClickHouseTtlActivities,
  type PartitionTtlFacts,
  type TtlSurvey,
} from '@social-pulse/activities';
import { createClickHouse } from '@social-pulse/clickhouse';
import { platform } from '@social-pulse/testing';
import { runWorkflow, startWorkflowTestEnvironment, testWorkflowBundle } from '@social-pulse/testing/temporal';
import {
  ttlMaintenanceProgressQuery,
  ttlMaintenanceWorkflow,
  type TtlMaintenanceInput,
  type TtlMaintenanceProgress,
} from './ttl-maintenance.workflow';

/** The worker bundles the workflows from the package's entry, as the real worker does. */
const workflowsPath = join(__dirname, 'index.ts');

const partition = (partitionId: string, rows: number, expiredRows: number): PartitionTtlFacts => ({
  partitionId,
  parts: 1,
  rows,
  bytes: rows * 10,
  expiredRows,
  expiredBytes: expiredRows * 10,
});

/** events: two partitions entirely past the TTL and one partly; sessions: nothing expired. */
const SURVEY: TtlSurvey = {
  tables: [
    {
      table: 'events',
      ttl: 'toDateTime(event_time) + toIntervalDay(90)',
      rows: 1_000,
      bytes: 10_000,
      partitions: 5,
      expiredRows: 340,
      expiredBytes: 3_400,
      expiredPartitions: [
        partition('20200101', 200, 200),
        partition('20200102', 100, 100),
        partition('20200103', 100, 40),
      ],
    },
    {
      table: 'sessions',
      ttl: 'toDateTime(session_start) + toIntervalDay(180)',
      rows: 50,
      bytes: 500,
      partitions: 1,
      expiredRows: 0,
      expiredBytes: 0,
      expiredPartitions: [],
    },
  ],
  skipped: [],
};

/** Activities that record their calls; each test overrides what it needs. */
function fakeActivities(overrides: Partial<ClickHouseTtlActivities> = {}) {
  const calls: string[] = [];
  const record =
    <A extends unknown[], R>(name: string, result: (...args: A) => R) =>
    async (...args: A) => {
      calls.push(`${name}(${args.map((a) => JSON.stringify(a)).join(', ')})`);
      return result(...args);
    };
  const activities: ClickHouseTtlActivities = {
    surveyTtlTables: record('surveyTtlTables', () => SURVEY),
    dropExpiredPartition: record('dropExpiredPartition', (table: string, partitionId: string) => {
      const facts = SURVEY.tables[0].expiredPartitions.find((p) => p.partitionId === partitionId)!;
      return { table, partitionId, outcome: 'dropped' as const, rows: facts.rows, bytes: facts.bytes };
    }),
    materializeExpiredTtl: record('materializeExpiredTtl', (_table: string, partitionIds: string[]) =>
      partitionIds.map((partitionId) => ({
        partitionId,
        outcome: 'materialized' as const,
        rowsReclaimed: 40,
        bytesReclaimed: 350,
      })),
    ),
    recordTableSizes: record('recordTableSizes', (budgets: { table: string; budgetBytes: number }[]) =>
      budgets.map(({ table, budgetBytes }) => {
        const bytes = table === 'events' ? 6_250 : 500;
        return { table, rows: 1, bytes, budgetBytes, overBudget: bytes > budgetBytes };
      }),
    ),
    ...overrides,
  };
  return { activities, calls };
}

describe(ttlMaintenanceWorkflow.name, () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await startWorkflowTestEnvironment();
  });
  afterAll(() => env?.teardown());

  const maintain = (activities: ClickHouseTtlActivities, args: [TtlMaintenanceInput?] = [{}]) =>
    runWorkflow(env, ttlMaintenanceWorkflow, args, activities, { workflowsPath });

  it('should drop the partitions entirely past the TTL, materialize the partly expired one, and report what was reclaimed', async () => {
    const { activities, calls } = fakeActivities();

    const result = await maintain(activities, [{ budgets: { events: 5_000 } }]);

    expect(calls).toEqual([
      'surveyTtlTables(null)',
      'dropExpiredPartition("events", "20200101")',
      'dropExpiredPartition("events", "20200102")',
      'materializeExpiredTtl("events", ["20200103"])',
      'recordTableSizes([{"table":"events","budgetBytes":5000},{"table":"sessions","budgetBytes":107374182400}])',
    ]);
    expect(result.reclaimed).toEqual({ rows: 340, bytes: 3_350, partitionsDropped: 2, partitionsMaterialized: 1 });
    expect(result.tables.find((t) => t.table === 'events')).toMatchObject({
      expired: { rows: 340, bytes: 3_400, partitions: 3 },
      reclaimed: { rows: 340, bytes: 3_350, partitionsDropped: 2, partitionsMaterialized: 1 },
      size: { bytes: 6_250, budgetBytes: 5_000, overBudget: true },
    });
    expect(result.overBudget).toEqual(['events']);
    expect(result.dryRun).toBe(false);
  });

  it('should only survey and measure on a dry run', async () => {
    const { activities, calls } = fakeActivities();

    const result = await maintain(activities, [{ tables: ['events'], dryRun: true }]);

    expect(calls.map((call) => call.slice(0, call.indexOf('(')))).toEqual(['surveyTtlTables', 'recordTableSizes']);
    expect(calls[0]).toBe('surveyTtlTables(["events"])');
    expect(result.reclaimed).toEqual({ rows: 0, bytes: 0, partitionsDropped: 0, partitionsMaterialized: 0 });
    expect(result.tables[0].expired.rows).toBe(340);
    expect(result.overBudget).toEqual([]);
  });

  it('should count a partition its retried drop found gone, as when the worker died after dropping it', async () => {
    let attempts = 0;
    const { activities } = fakeActivities({
      dropExpiredPartition: async (table, partitionId) => {
        if (partitionId !== '20200101') return { table, partitionId, outcome: 'dropped', rows: 100, bytes: 1_000 };
        attempts++;
        // The first attempt drops the partition, then its worker is gone before it can report.
        if (attempts === 1) throw new Error('worker lost');
        return { table, partitionId, outcome: 'gone', rows: 0, bytes: 0 };
      },
    });

    const result = await maintain(activities);

    expect(attempts).toBe(2);
    expect(result.tables[0].reclaimed).toMatchObject({ rows: 340, partitionsDropped: 2 });
  });

  it('should answer the progress query with each step, up to the totals', async () => {
    const { activities } = fakeActivities();
    const taskQueue = `test-${Math.random().toString(36).slice(2)}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await testWorkflowBundle(workflowsPath),
      activities,
    });

    const progress = await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(ttlMaintenanceWorkflow, {
        taskQueue,
        workflowId: taskQueue,
        args: [{}],
      });
      await handle.result();
      return handle.query(ttlMaintenanceProgressQuery);
    });

    expect(progress.stage).toBe('done');
    expect(progress.steps.map((s) => s.step)).toEqual([
      'surveying every table with a TTL',
      'events: 340 of 1000 rows past the TTL (3.3 KiB of 9.8 KiB) in 3 partitions',
      'sessions: 0 of 50 rows past the TTL (0 B of 500 B) in 0 partitions',
      'events: dropping partition 20200101 (200 rows, 2.0 KiB)',
      'events: dropping partition 20200102 (100 rows, 1000 B)',
      'events: MATERIALIZE TTL in 1 partly expired partitions',
      'events: 40 expired rows removed',
      'measuring tables against their budgets',
      'reclaimed 340 rows, 3.3 KiB: 2 partitions dropped, 1 materialized',
    ] satisfies string[]);
    expect((progress satisfies TtlMaintenanceProgress).dryRun).toBe(false);
  });

  it('should fail for good on a bad input, before any activity runs', async () => {
    const { activities, calls } = fakeActivities();

    const failure = await maintain(activities, [{ tables: ['events; DROP TABLE events'] }]).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe('InvalidWorkflowInput');
    expect(cause?.message).toContain('input.tables[0]');
    expect(calls).toEqual([]);
  });
});

describe(`${ttlMaintenanceWorkflow.name} with the real activities`, () => {
  let env: TestWorkflowEnvironment;
  const ch = createClickHouse({ url: platform.clickhouseUrl }, 'ttl-maintenance-test');
  const table = `ttl_maintenance_wf_${randomUUID().replaceAll('-', '').slice(0, 12)}`;

  beforeAll(async () => {
    env = await startWorkflowTestEnvironment();
    // Partition 1 entirely past a one-day TTL, partition 2 partly; TTL merges stopped, so only the workflow removes rows.
    await ch.command({
      query: `CREATE TABLE ${table} (k UInt8, ts DateTime('UTC'), v String)
              ENGINE = MergeTree PARTITION BY k ORDER BY ts TTL ts + INTERVAL 1 DAY
              SETTINGS merge_with_ttl_timeout = 31536000`,
    });
    await ch.command({ query: `SYSTEM STOP TTL MERGES ${table}` });
    await ch.command({
      query: `INSERT INTO ${table} SELECT 1 + (number % 2), if(number % 4 = 3, now(), toDateTime('2020-01-01', 'UTC')),
              randomPrintableASCII(100) FROM numbers(400)`,
    });
  });
  afterAll(async () => {
    await ch.command({ query: `DROP TABLE IF EXISTS ${table} SYNC` });
    await ch.close();
    await env?.teardown();
  });

  it('should reclaim the expired rows of a real table and measure it against its budget', async () => {
    const activities = createClickHouseTtlActivities({ clickhouseUrl: platform.clickhouseUrl, pollIntervalMs: 50 });

    const result = await runWorkflow(
      env,
      ttlMaintenanceWorkflow,
      [{ tables: [table], budgets: { [table]: 1_000 } }],
      activities,
      { workflowsPath },
    );

    const rows = await (
      await ch.query({ query: `SELECT count() AS n FROM ${table}`, format: 'JSONEachRow' })
    ).json<{ n: string }>();
    expect(Number(rows[0].n)).toBe(100);
    expect(result.tables).toHaveLength(1);
    expect(result.tables[0]).toMatchObject({
      table,
      expired: { rows: 300, partitions: 2 },
      reclaimed: { rows: 300, partitionsDropped: 1, partitionsMaterialized: 1 },
      size: { rows: 100, budgetBytes: 1_000, overBudget: true },
    });
    expect(result.reclaimed.bytes).toBeGreaterThan(20_000);
    expect(result.overBudget).toEqual([table]);
  });
});
