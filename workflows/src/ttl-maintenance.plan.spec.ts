import { describe, expect, it } from 'vitest';
import type { PartitionTtlFacts, TableSize, TableTtlSurvey, TtlSurvey } from '@social-pulse/activities';
import {
  DEFAULT_TABLE_BUDGET_BYTES,
  planTtlMaintenance,
  summarize,
  TABLE_BUDGET_BYTES,
  tableBudgets,
} from './ttl-maintenance.plan';

const partition = (partitionId: string, rows: number, expiredRows: number, bytes = rows * 10): PartitionTtlFacts => ({
  partitionId,
  parts: 1,
  rows,
  bytes,
  expiredRows,
  expiredBytes: Math.round((bytes * expiredRows) / rows),
});

const surveyed = (table: string, expiredPartitions: PartitionTtlFacts[]): TableTtlSurvey => ({
  table,
  ttl: 'ts + toIntervalDay(1)',
  rows: 10_000,
  bytes: 100_000,
  partitions: 10,
  expiredRows: expiredPartitions.reduce((sum, p) => sum + p.expiredRows, 0),
  expiredBytes: expiredPartitions.reduce((sum, p) => sum + p.expiredBytes, 0),
  expiredPartitions,
});

describe(planTtlMaintenance.name, () => {
  it('should drop partitions entirely past the TTL and materialize the TTL where only some rows are', () => {
    const plan = planTtlMaintenance([
      surveyed('events', [
        partition('20200101', 100, 100),
        partition('20200102', 100, 40),
        partition('20200103', 5, 5),
      ]),
      surveyed('sessions', [partition('20200101', 10, 1)]),
    ]);

    expect(plan).toEqual({
      drops: [
        { table: 'events', partitionId: '20200101', rows: 100, bytes: 1_000 },
        { table: 'events', partitionId: '20200103', rows: 5, bytes: 50 },
      ],
      materializations: [
        { table: 'events', partitionIds: ['20200102'] },
        { table: 'sessions', partitionIds: ['20200101'] },
      ],
    });
  });

  it('should plan nothing for tables with nothing past the TTL', () => {
    expect(planTtlMaintenance([surveyed('events', []), surveyed('sessions', [partition('1', 10, 0)])])).toEqual({
      drops: [],
      materializations: [],
    });
  });
});

describe(tableBudgets.name, () => {
  it("should take the input's budget, else the table's own, else the default", () => {
    expect(tableBudgets(['events', 'sessions', 'dead_letters'], { sessions: 5 })).toEqual([
      { table: 'events', budgetBytes: TABLE_BUDGET_BYTES.events },
      { table: 'sessions', budgetBytes: 5 },
      { table: 'dead_letters', budgetBytes: DEFAULT_TABLE_BUDGET_BYTES },
    ]);
    expect(tableBudgets(['dead_letters', 'events'], {}, 7)).toEqual([
      { table: 'dead_letters', budgetBytes: 7 },
      { table: 'events', budgetBytes: TABLE_BUDGET_BYTES.events },
    ]);
  });

  it('should not take an object-prototype key for a budget', () => {
    expect(tableBudgets(['constructor', 'toString'], {}, 3)).toEqual([
      { table: 'constructor', budgetBytes: 3 },
      { table: 'toString', budgetBytes: 3 },
    ]);
  });
});

describe(summarize.name, () => {
  const survey: TtlSurvey = {
    tables: [
      surveyed('events', [
        partition('a', 100, 100),
        partition('b', 100, 100),
        partition('c', 100, 40),
        partition('d', 50, 50),
      ]),
      surveyed('sessions', []),
    ],
    skipped: [{ table: 'odd', reason: 'its TTL is not a plain delete: x TO DISK' }],
  };
  const size = (table: string, bytes: number, budgetBytes: number): TableSize => ({
    table,
    rows: 1,
    bytes,
    budgetBytes,
    overBudget: bytes > budgetBytes,
  });

  it('should count dropped partitions, partitions an earlier attempt dropped, and materialized rows; not kept ones', () => {
    const result = summarize(
      false,
      survey,
      [
        { table: 'events', partitionId: 'a', outcome: 'dropped', rows: 100, bytes: 1_000 },
        // Its first attempt dropped it and the worker died before reporting: the survey's figures count.
        { table: 'events', partitionId: 'b', outcome: 'gone', rows: 0, bytes: 0 },
        { table: 'events', partitionId: 'd', outcome: 'live-rows', rows: 0, bytes: 0 },
      ],
      [
        {
          table: 'events',
          partitions: [{ partitionId: 'c', outcome: 'materialized', rowsReclaimed: 40, bytesReclaimed: 300 }],
        },
      ],
      [size('events', 5_000, 4_000), size('sessions', 10, 100)],
    );

    expect(result.tables[0]).toEqual({
      table: 'events',
      ttl: 'ts + toIntervalDay(1)',
      expired: { rows: 290, bytes: 2_900, partitions: 4 },
      reclaimed: { rows: 240, bytes: 2_300, partitionsDropped: 2, partitionsMaterialized: 1 },
      partitionsKept: ['d'],
      size: size('events', 5_000, 4_000),
    });
    expect(result.reclaimed).toEqual({ rows: 240, bytes: 2_300, partitionsDropped: 2, partitionsMaterialized: 1 });
    expect(result.overBudget).toEqual(['events']);
    expect(result.skipped).toEqual(survey.skipped);
    expect(result.dryRun).toBe(false);
  });

  it('should report what is expired but nothing reclaimed on a dry run', () => {
    const result = summarize(true, survey, [], [], [size('events', 5_000, 10_000), size('sessions', 10, 100)]);

    expect(result.dryRun).toBe(true);
    expect(result.tables[0].expired.rows).toBe(290);
    expect(result.reclaimed).toEqual({ rows: 0, bytes: 0, partitionsDropped: 0, partitionsMaterialized: 0 });
    expect(result.overBudget).toEqual([]);
  });
});
