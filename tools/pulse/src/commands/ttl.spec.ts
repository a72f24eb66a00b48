import { describe, expect, it } from 'vitest';
import type { TtlMaintenanceResult } from '@social-pulse/workflows';
import { PulseError } from '../console';
import { parseBytes, ttlInput, ttlSummaryLines } from './ttl';

describe(parseBytes.name, () => {
  it.each([
    ['1048576', 1_048_576],
    ['500GiB', 500 * 1024 ** 3],
    ['1.5 TiB', 1.5 * 1024 ** 4],
    ['2gb', 2e9],
    ['0', 0],
  ])('should read %j as %d bytes', (text, bytes) => {
    expect(parseBytes(text)).toBe(bytes);
  });

  it.each(['', 'lots', '-1GiB', '5 parsecs', '1e3', '99999999999 TiB'])('should refuse %j', (text) => {
    expect(() => parseBytes(text)).toThrow(PulseError);
  });
});

describe(ttlInput.name, () => {
  it('should send nothing for no options, leaving the defaults to the workflow', () => {
    expect(ttlInput({})).toEqual({});
  });

  it('should collect tables (repeated or comma-separated), the dry run and budgets', () => {
    expect(
      ttlInput({
        table: ['events,sessions', 'dead_letters'],
        dryRun: true,
        budget: ['events=500GiB', 'sessions=1024'],
        defaultBudget: '1MiB',
      }),
    ).toEqual({
      tables: ['events', 'sessions', 'dead_letters'],
      dryRun: true,
      budgets: { events: 500 * 1024 ** 3, sessions: 1024 },
      defaultBudgetBytes: 1024 ** 2,
    });
  });

  it('should refuse a budget without a table', () => {
    expect(() => ttlInput({ budget: ['500GiB'] })).toThrow(/not a budget/);
  });
});

describe(ttlSummaryLines.name, () => {
  const result = (dryRun: boolean): TtlMaintenanceResult => ({
    dryRun,
    tables: [
      {
        table: 'events',
        ttl: 'toDateTime(event_time) + toIntervalDay(90)',
        expired: { rows: 300, bytes: 3 * 1024, partitions: 2 },
        reclaimed: dryRun
          ? { rows: 0, bytes: 0, partitionsDropped: 0, partitionsMaterialized: 0 }
          : { rows: 300, bytes: 3 * 1024, partitionsDropped: 1, partitionsMaterialized: 1 },
        partitionsKept: [],
        size: { table: 'events', rows: 10, bytes: 2 * 1024 ** 2, budgetBytes: 1024 ** 2, overBudget: true },
      },
    ],
    skipped: [{ table: 'odd', reason: "its TTL is not a plain delete: ts TO DISK 'cold'" }],
    reclaimed: dryRun
      ? { rows: 0, bytes: 0, partitionsDropped: 0, partitionsMaterialized: 0 }
      : { rows: 300, bytes: 3 * 1024, partitionsDropped: 1, partitionsMaterialized: 1 },
    overBudget: ['events'],
  });

  it('should say per table what went and warn about a table over its budget', () => {
    expect(ttlSummaryLines(result(false))).toEqual({
      ok: ['TTL maintenance reclaimed 300 rows, 3.0 KiB: 1 partitions dropped, 1 materialized'],
      warn: [
        'events: 300 rows past the TTL (3.0 KiB); reclaimed 300 rows, 3.0 KiB (1 partitions dropped, 1 materialized); 2.0 MiB of 1.0 MiB budget: OVER BUDGET',
        "odd: skipped, its TTL is not a plain delete: ts TO DISK 'cold'",
      ],
    });
  });

  it('should say a dry run removed nothing', () => {
    const lines = ttlSummaryLines(result(true));
    expect(lines.warn[0]).toContain('dry run, nothing removed');
    expect(lines.ok).toEqual(['dry run: 300 rows past their TTL in 1 tables']);
  });
});
