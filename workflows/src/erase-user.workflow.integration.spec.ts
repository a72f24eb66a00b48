import { join } from 'node:path';
import { Context } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EraseUserActivities, ErasureRecord, PeriodRange } from '@social-pulse/activities';
import { runWorkflow, startWorkflowTestEnvironment } from '@social-pulse/testing/temporal';
import { eraseUserWorkflow, type EraseUserInput } from './erase-user.workflow';

/** The worker bundles the workflows from the package's entry, as the real worker does. */
const workflowsPath = join(__dirname, 'index.ts');
const DAY = 86_400_000;

const range = (hour: number): PeriodRange => ({
  from: `2026-11-20T${String(hour).padStart(2, '0')}:00:00.000Z`,
  to: `2026-11-20T${String(hour + 1).padStart(2, '0')}:00:00.000Z`,
  periods: 1,
});

/**
 * Activities over in-memory tables: `rows` per table holding the user, `recomputed` every range a
 * refill reached, `audit` the audit rows by erasure id (a repeat of a run's write changes nothing).
 */
function fakeActivities(overrides: Partial<EraseUserActivities> = {}) {
  const calls: string[] = [];
  const rows: Record<string, number> = { events: 40, sessions: 3, dead_letters: 1, ad_performance_changes: 5 };
  const recomputed: string[] = [];
  const audit = new Map<string, ErasureRecord & { runs: string[] }>();
  const activities: EraseUserActivities = {
    surveyUserData: async ({ userId, anonymousIds }) => {
      calls.push(`survey(${userId}, [${anonymousIds.join(',')}])`);
      return {
        userIdSha256: 'f'.repeat(64),
        anonymousIds: ['anon-1', ...anonymousIds],
        rows: Object.entries(rows).map(([table, n]) => ({ table: table as 'events', rows: n })),
        views: [
          {
            view: 'engagement_hour_mv',
            target: 'engagement_hour',
            source: 'events',
            periodMs: 3_600_000,
            periods: 3,
            ranges: [range(10), range(12), range(14)],
            skippedPeriods: 0,
            horizon: '2026-08-31T00:00:00.000Z',
          },
          {
            view: 'session_day_mv',
            target: 'session_day',
            source: 'sessions',
            periodMs: DAY,
            periods: 0,
            ranges: [],
            skippedPeriods: 2,
            horizon: '2026-06-01T00:00:00.000Z',
          },
        ],
      };
    },
    eraseUserRows: async ({ table }) => {
      calls.push(`erase(${table})`);
      const before = rows[table];
      rows[table] = 0;
      return { table, before, remaining: 0, rounds: before > 0 ? 1 : 0, ms: 5 };
    },
    recomputeUserPeriods: async ({ view, ranges }) => {
      const context = Context.current();
      const beat = context.info.heartbeatDetails as { lastFinished?: number } | undefined;
      const resumedAfter = beat?.lastFinished ?? null;
      calls.push(`recompute(${view}, ${ranges.length}${resumedAfter === null ? '' : ` after ${resumedAfter}`})`);
      let lastFinished = resumedAfter ?? -1;
      for (const [i, r] of ranges.entries()) {
        if (resumedAfter !== null && i <= resumedAfter) continue;
        recomputed.push(`${view}:${r.from}`);
        lastFinished = i;
        context.heartbeat({ lastFinished });
      }
      return {
        view,
        target: 'engagement_hour',
        lastFinished,
        ranges: ranges.length,
        periods: ranges.length,
        alreadyEqual: 0,
        rounds: ranges.length,
        resumedAfter,
        ms: 30,
      };
    },
    dropUserRedisKeys: async ({ userId }) => {
      calls.push(`redis(${userId})`);
      return { deleted: 4, patterns: [{ pattern: 'p', deleted: 4 }] };
    },
    readTopicRetention: async () => {
      calls.push('kafka');
      return [
        { topic: 'user-events', retentionMs: 7 * DAY, segmentMs: 7 * DAY },
        { topic: 'events-dlq', retentionMs: 14 * DAY, segmentMs: 7 * DAY },
      ];
    },
    recordUserErasure: async (record) => {
      calls.push(`audit(${record.erasureId})`);
      const existing = audit.get(record.erasureId);
      if (existing?.runs.includes(record.runId)) return { written: false };
      audit.set(record.erasureId, { ...record, runs: [...(existing?.runs ?? []), record.runId] });
      return { written: true };
    },
    ...overrides,
  };
  return { activities, calls, rows, recomputed, audit };
}

describe(eraseUserWorkflow.name, () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await startWorkflowTestEnvironment();
  });
  afterAll(() => env?.teardown());

  const input: EraseUserInput = { userId: 'user-42', requestedBy: 'dpo@example.com', reason: 'DSR-7' };
  const erase = (activities: EraseUserActivities, args: EraseUserInput = input) =>
    runWorkflow(env, eraseUserWorkflow, [args], activities, { workflowsPath });

  it('should survey first, erase every table, recompute the affected rollups, then Redis, bounds and the audit', async () => {
    const fake = fakeActivities();
    const started = Date.now();
    const result = await erase(fake.activities, { ...input, anonymousIds: ['anon-2'] });
    expect(fake.calls).toEqual([
      'survey(user-42, [anon-2])',
      'erase(events)',
      'erase(sessions)',
      'erase(dead_letters)',
      'erase(ad_performance_changes)',
      // Only rollups with periods to recompute; session_day's are all past its source's TTL.
      'recompute(engagement_hour_mv, 3)',
      'redis(user-42)',
      'kafka',
      `audit(${result.erasureId})`,
    ]);
    expect(fake.recomputed).toHaveLength(3);
    expect(result).toMatchObject({
      userIdSha256: 'f'.repeat(64),
      anonymousIds: 2,
      removed: { events: 40, sessions: 3, dead_letters: 1, ad_performance_changes: 5 },
      remaining: { events: 0, sessions: 0, dead_letters: 0, ad_performance_changes: 0 },
      recomputed: [{ view: 'engagement_hour_mv', periods: 3, ranges: 3, rounds: 3 }],
      redisKeys: { deleted: 4 },
    });
    // Kafka: the latest topic's segment roll plus retention plus a retention check; Flink: 30 days.
    const finished = Date.parse(result.finishedAt);
    expect(finished).toBeGreaterThanOrEqual(started);
    expect(Date.parse(result.kafka.agesOutAt!)).toBe(finished + 21 * DAY + 5 * 60_000);
    expect(Date.parse(result.flinkState.agesOutAt)).toBe(finished + 30 * DAY);
    expect(result.notes.join(' ')).toMatch(/Ad counts .* stay/);
    expect(result.notes.join(' ')).toMatch(/session_day: 2 periods before 2026-06-01/);
    const record = fake.audit.get(result.erasureId)!;
    expect(record).toMatchObject({
      requestedBy: 'dpo@example.com',
      reason: 'DSR-7',
      removed: result.removed,
      recomputedPeriods: { engagement_hour: 3 },
      redisKeys: 4,
      kafkaAgesOutAt: result.kafka.agesOutAt,
      flinkStateAgesOutAt: result.flinkState.agesOutAt,
    });
  });

  it('should repeat only the failed step: a table whose delete failed, a recompute after its last range', async () => {
    const fake = fakeActivities();
    let eraseFailures = 0;
    let recomputeFailures = 0;
    let auditFailures = 0;
    const { activities } = fakeActivities({
      eraseUserRows: async (request) => {
        if (request.table === 'sessions' && eraseFailures++ === 0) throw new Error('ClickHouse went away');
        return fake.activities.eraseUserRows(request);
      },
      recomputeUserPeriods: async (request) => {
        if (recomputeFailures++ === 0) {
          // The worker dies inside the recompute: range 0 is done and heartbeated, range 1 is not.
          fake.recomputed.push(`${request.view}:${request.ranges[0].from}`);
          Context.current().heartbeat({ lastFinished: 0 });
          await Context.current().sleep(1_500);
          throw new Error('worker lost');
        }
        return fake.activities.recomputeUserPeriods(request);
      },
      // The audit is written, then the answer is lost: the retry finds its run's row and writes nothing.
      recordUserErasure: async (record) => {
        const written = await fake.activities.recordUserErasure(record);
        if (auditFailures++ === 0) throw new Error('connection reset after the insert');
        return written;
      },
    });
    const result = await erase(activities);
    expect(fake.calls.filter((c) => c.startsWith('erase('))).toEqual([
      'erase(events)',
      'erase(sessions)',
      'erase(dead_letters)',
      'erase(ad_performance_changes)',
    ]);
    expect(fake.calls.filter((c) => c.startsWith('recompute('))).toEqual(['recompute(engagement_hour_mv, 3 after 0)']);
    expect(fake.recomputed).toEqual([
      'engagement_hour_mv:2026-11-20T10:00:00.000Z',
      'engagement_hour_mv:2026-11-20T12:00:00.000Z',
      'engagement_hour_mv:2026-11-20T14:00:00.000Z',
    ]);
    expect(eraseFailures).toBe(2);
    expect(fake.calls.filter((c) => c.startsWith('audit('))).toHaveLength(2);
    expect(fake.audit.size).toBe(1);
    expect(fake.audit.get(result.erasureId)!.runs).toHaveLength(1);
    expect(result.removed).toMatchObject({ sessions: 3 });
  });

  it('should fail, non-retryable and before any activity, without who asked', async () => {
    const { activities, calls } = fakeActivities();
    const error = await erase(activities, { userId: 'user-42' } as EraseUserInput).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as Error | undefined)?.name).toBe('WorkflowFailedError');
    expect((error as Error).cause).toMatchObject({ type: 'InvalidWorkflowInput', nonRetryable: true });
    expect(calls).toEqual([]);
  });
});
