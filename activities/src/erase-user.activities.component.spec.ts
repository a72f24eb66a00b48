import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  adsCampaignsKey,
  adsPerformanceKey,
  engagementSummaryKey,
  lastGoodKey,
  liveEngagementKey,
  trendingKey,
  userSessionsKey,
} from '@social-pulse/api/redis-repository';
import { MIGRATIONS_DIR, readMigrations } from '@social-pulse/clickhouse';
import {
  RECOMPUTE_MISMATCH,
  createEraseUserActivities,
  userAnswerPatterns,
  type ErasureRecord,
  type ErasureTable,
  type PeriodRange,
} from './erase-user.activities';
import {
  ERASURE_TABLES,
  WAIT_FOR_MUTATION,
  countUserRowsSql,
  eraseSql,
  erasureViews,
  linkedAnonymousIdsSql,
  rangeCompareSql,
  rangeDeleteSql,
  rangeInsertSql,
  recomputeMarker,
  recomputeToken,
  userParams,
  userPeriodsSql,
} from './erase-user.sql';
import { chunkInsertSettings, measuresOf } from './view-backfill.sql';
import { failureOf, inActivity, inActivityAttempt, isRetryable, runActivity } from './testing/activity-environment';
import { FakeRedisKeyspace } from './testing/fake-redis-keyspace';
import {
  ScriptedClickHouse,
  clickHouseError,
  collapse,
  inTurn,
  type RecordedCall,
} from './testing/scripted-clickhouse';

// Component tier: the erasure activities in-process, with fakes at their outgoing ports: a
// scripted ClickHouse client and a Redis keyspace; the project's migrations define the rollups.
// The SQL builders are unit-tested in erase-user.sql.spec.ts and the whole erasure runs against the
// real services in test/integration/user-erasure.test.ts; here: what is sent, with which
// parameters and settings, and how retries, heartbeats and repeated runs come out.

// A quote in the id: spliced into SQL it would break the statement, so it has to travel as a parameter.
const USER = "u'42";
const ANONYMOUS = ['a-7', 'a-input'];
const PARAMS = userParams(USER, ANONYMOUS);
const ERASURE_ID = 'erase-7f3a';
const VIEWS = erasureViews(readMigrations(MIGRATIONS_DIR).flatMap((m) => m.statements));
const ENGAGEMENT_MINUTE = VIEWS.find((v) => v.view === 'engagement_minute_mv')!;
const COLUMNS = [
  { name: 'period', type: "DateTime('UTC')" },
  { name: 'event_type', type: 'LowCardinality(String)' },
  { name: 'events', type: 'SimpleAggregateFunction(sum, UInt64)' },
  { name: 'users', type: 'AggregateFunction(uniq, String)' },
];

const SQL = {
  now: "SELECT toString(now64(3, 'UTC')) AS now",
  sourceInfo: /^SELECT create_table_query FROM system\.tables /,
  columns: /^SELECT name, type FROM system\.columns /,
  processes: /^SELECT count\(\) AS running FROM system\.processes /,
  audit: /^SELECT run_ids, .* FROM user_erasures FINAL WHERE erasure_id = \{id:String\}$/,
};

function erasure(options: { heartbeatMs?: number } = {}) {
  const ch = new ScriptedClickHouse();
  const redis = new FakeRedisKeyspace();
  const activities = createEraseUserActivities({
    clickhouse: ch.client,
    migrationsDir: MIGRATIONS_DIR,
    redisUrl: 'redis://redis.invalid:6379',
    openRedis: () => redis.connect(),
    kafkaBrokers: [],
    // Only the beats the activities send themselves, unless a test asks for the timer's.
    heartbeatMs: options.heartbeatMs ?? 60_000,
    settleMs: 1,
  });
  return { ch, redis, activities };
}

/** Which erasure table a statement is about, by the table's own SQL. */
const tableOf = (call: RecordedCall) =>
  ERASURE_TABLES.find((t) => call.sql === collapse(eraseSql(t)) || call.sql === collapse(countUserRowsSql(t)));

/**
 * The user's rows per table, as the counts read them; a delete removes them, and `arriving` rows
 * (events still in flight) land after each delete, in turn. `failing` fails a table's delete once.
 */
function scriptTables(
  ch: ScriptedClickHouse,
  held: Record<ErasureTable, number>,
  { arriving = {}, failing }: { arriving?: Partial<Record<ErasureTable, number[]>>; failing?: ErasureTable } = {},
) {
  let failOnce = failing;
  for (const table of ERASURE_TABLES) {
    ch.onQuery(countUserRowsSql(table), () => [{ rows: String(held[table]) }]);
    ch.onCommand(eraseSql(table), () => {
      if (failOnce === table) {
        failOnce = undefined;
        return clickHouseError(159, 'TIMEOUT_EXCEEDED', 'Timeout exceeded: elapsed 30.001 seconds, maximum: 30');
      }
      held[table] = arriving[table]?.shift() ?? 0;
      return {};
    });
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('surveyUserData', () => {
  const ROWS: Record<ErasureTable, number> = { events: 12, sessions: 3, dead_letters: 2, ad_performance_changes: 4 };
  const createTable = (name: string, ttl: string) =>
    `CREATE TABLE pulse.${name} (\`x\` String) ENGINE = ReplacingMergeTree ORDER BY x ${ttl} SETTINGS index_granularity = 8192`;

  function scriptSurvey(ch: ScriptedClickHouse) {
    ch.onQuery(linkedAnonymousIdsSql, [{ ids: ['a-7'] }]);
    scriptTables(ch, { ...ROWS });
    ch.onQuery(SQL.now, [{ now: '2026-11-27 12:00:00.000' }]);
    const sources: Record<string, string> = {
      events: createTable('events', 'TTL toDateTime(event_time) + toIntervalDay(90)'),
      sessions: createTable('sessions', 'TTL toDateTime(session_start) + toIntervalDay(90)'),
      ad_performance_changes: createTable('ad_performance_changes', ''),
    };
    ch.onQuery(SQL.sourceInfo, ({ params }) => [{ create_table_query: sources[params.name as string] }]);
    // The periods the user's rows fell in: none but in the minute rollups of events and of ad changes.
    ch.onQuery(/^SELECT DISTINCT toString\(/, []);
    ch.onQuery(userPeriodsSql(ENGAGEMENT_MINUTE, 'events'), [
      // Older than what the source keeps whole (90 days, to the next midnight, and a day of margin).
      { period: '2026-08-01 10:00:00' },
      { period: '2026-11-27 10:00:00' },
      { period: '2026-11-27 10:05:00' },
      { period: '2026-11-27 11:40:00' },
    ]);
    const adsMinute = VIEWS.find((v) => v.view === 'ad_performance_minute_mv')!;
    ch.onQuery(userPeriodsSql(adsMinute, 'ad_performance_changes'), [{ period: '2026-01-01 00:00:00' }]);
  }

  it('should find the user’s anonymous ids, rows per table and the periods each rollup counted them in, reading only', async () => {
    const { ch, activities } = erasure();
    scriptSurvey(ch);

    const survey = await runActivity(activities.surveyUserData, { userId: USER, anonymousIds: ['a-input'] });

    expect(survey.userIdSha256).toBe(createHash('sha256').update(USER).digest('hex'));
    // Those found in the user's events and those the request named.
    expect(survey.anonymousIds).toEqual(ANONYMOUS);
    expect(survey.rows).toEqual(ERASURE_TABLES.map((table) => ({ table, rows: ROWS[table] })));
    expect(survey.views.map((v) => v.view)).toEqual(VIEWS.map((v) => v.view));
    expect(survey.views.find((v) => v.view === 'engagement_minute_mv')).toEqual({
      view: 'engagement_minute_mv',
      target: 'engagement_minute',
      source: 'events',
      periodMs: 60_000,
      periods: 3,
      // Periods at most 15 apart share one delete and refill.
      ranges: [
        { from: '2026-11-27T10:00:00.000Z', to: '2026-11-27T10:06:00.000Z', periods: 2 },
        { from: '2026-11-27T11:40:00.000Z', to: '2026-11-27T11:41:00.000Z', periods: 1 },
      ],
      skippedPeriods: 1,
      horizon: '2026-08-31T00:00:00.000Z',
    });
    // A source without a TTL keeps every period: all can be rebuilt.
    expect(survey.views.find((v) => v.view === 'ad_performance_minute_mv')).toMatchObject({
      periods: 1,
      skippedPeriods: 0,
      horizon: '1970-01-01T00:00:00.000Z',
    });
    expect(survey.views.filter((v) => v.periods > 0).map((v) => v.view)).toEqual([
      'engagement_minute_mv',
      'ad_performance_minute_mv',
    ]);
    // Who the user is travels as parameters of every count, never inside the SQL.
    for (const table of ERASURE_TABLES) {
      expect(ch.queries.find((c) => c.sql === collapse(countUserRowsSql(table)))!.params).toEqual(PARAMS);
    }
    expect(ch.calls.filter((c) => c.sql.includes('u42') || c.sql.includes(USER) || c.sql.includes('a-7'))).toEqual([]);
    expect(ch.commands).toEqual([]);
  });
});

describe('eraseUserRows', () => {
  const input = (table: ErasureTable) => ({ table, userId: USER, anonymousIds: ANONYMOUS });
  const none = (): Record<ErasureTable, number> => ({
    events: 0,
    sessions: 0,
    dead_letters: 0,
    ad_performance_changes: 0,
  });

  it('should delete the user’s rows with the user as query parameters, wait until the delete is applied, and count again', async () => {
    const { ch, activities } = erasure();
    scriptTables(ch, { ...none(), events: 12 });

    const result = await runActivity(activities.eraseUserRows, input('events'));

    expect(result).toMatchObject({ table: 'events', before: 12, remaining: 0, rounds: 1 });
    expect(ch.commands.map(({ sql, params, settings }) => ({ sql, params, settings }))).toEqual([
      { sql: collapse(eraseSql('events')), params: PARAMS, settings: WAIT_FOR_MUTATION },
    ]);
    expect(ch.commands[0].sql).toBe(
      "DELETE FROM events WHERE (user_id = {userId:String} OR (user_id = '' AND has({anonymousIds:Array(String)}, anonymous_id)))",
    );
    expect(WAIT_FOR_MUTATION).toEqual({ lightweight_deletes_sync: '2', mutations_sync: '2' });
    expect(ch.calls.map((c) => c.kind)).toEqual(['query', 'command', 'query']);
  });

  it('should take the user out of the ad changes’ reach rather than delete their rows', async () => {
    const { ch, activities } = erasure();
    scriptTables(ch, { ...none(), ad_performance_changes: 4 });

    await runActivity(activities.eraseUserRows, input('ad_performance_changes'));

    expect(ch.commands[0].sql).toMatch(
      /^ALTER TABLE ad_performance_changes UPDATE reached = arrayFilter\(v -> NOT has\(\{visitors:Array\(String\)\}, v\), reached\) WHERE /,
    );
    expect(ch.commands[0].params.visitors).toEqual([USER, 'a:a-7', 'a:a-input']);
    expect(ch.commands[0].settings).toEqual(WAIT_FOR_MUTATION);
  });

  it('should remove rows that arrived while it ran in another round, three rounds at most', async () => {
    const { ch, activities } = erasure();
    scriptTables(ch, { ...none(), events: 12, sessions: 3 }, { arriving: { events: [2, 0], sessions: [1, 1, 1, 1] } });

    const events = await runActivity(activities.eraseUserRows, input('events'));
    const sessions = await runActivity(activities.eraseUserRows, input('sessions'));

    expect(events).toMatchObject({ before: 12, remaining: 0, rounds: 2 });
    // Still arriving after three rounds: the workflow reports what remains.
    expect(sessions).toMatchObject({ before: 3, remaining: 1, rounds: 3 });
    expect(ch.commands.map(tableOf)).toEqual(['events', 'events', 'sessions', 'sessions', 'sessions']);
  });

  it('should heartbeat its table and round while a delete is waited on', async () => {
    const { ch, activities } = erasure({ heartbeatMs: 5 });
    const held = { ...none(), dead_letters: 2 };
    scriptTables(ch, held);
    let release!: () => void;
    const applied = new Promise<void>((resolve) => (release = resolve));
    ch.onCommand(eraseSql('dead_letters'), async () => {
      await applied;
      held.dead_letters = 0;
      return {};
    });

    const run = inActivity(activities.eraseUserRows, input('dead_letters'));
    await vi.waitFor(() => expect(run.heartbeats.length).toBeGreaterThanOrEqual(2));
    release();
    await run.result;

    expect(new Set(run.heartbeats.map((h) => JSON.stringify(h)))).toEqual(
      new Set([JSON.stringify({ table: 'dead_letters', round: 1 })]),
    );
  });

  it('should finish a partial erasure when run again, never deleting a table twice', async () => {
    const { ch, activities } = erasure();
    scriptTables(ch, { events: 12, sessions: 3, dead_letters: 2, ad_performance_changes: 4 }, { failing: 'sessions' });
    const eraseAll = async () => {
      const results = [];
      for (const table of ERASURE_TABLES) results.push(await runActivity(activities.eraseUserRows, input(table)));
      return results;
    };

    // The first run: events are erased, then the delete of sessions times out.
    const error = await failureOf(eraseAll());
    expect(error).toMatchObject({ type: 'TIMEOUT_EXCEEDED' });
    expect(isRetryable(error)).toBe(true);
    const second = await eraseAll();

    expect(second.map(({ table, before, remaining, rounds }) => ({ table, before, remaining, rounds }))).toEqual([
      { table: 'events', before: 0, remaining: 0, rounds: 0 },
      { table: 'sessions', before: 3, remaining: 0, rounds: 1 },
      { table: 'dead_letters', before: 2, remaining: 0, rounds: 1 },
      { table: 'ad_performance_changes', before: 4, remaining: 0, rounds: 1 },
    ]);
    expect(ch.commands.map(tableOf)).toEqual([
      'events',
      'sessions',
      'sessions',
      'dead_letters',
      'ad_performance_changes',
    ]);
  });

  it('should refuse, for good, a table the erasure does not know, before any SQL', async () => {
    const { ch, activities } = erasure();

    const error = await failureOf(
      runActivity(activities.eraseUserRows, { ...input('events'), table: 'users' as ErasureTable }),
    );

    expect(error).toMatchObject({ nonRetryable: true, message: 'users is not a table the erasure knows' });
    expect(ch.calls).toEqual([]);
  });
});

describe('recomputeUserPeriods', () => {
  const view = ENGAGEMENT_MINUTE;
  const COMPARE = rangeCompareSql(view, measuresOf(COLUMNS));
  const MARKER = recomputeMarker(ERASURE_ID, view.view);
  const RANGES: PeriodRange[] = [
    { from: '2026-11-27T10:00:00.000Z', to: '2026-11-27T10:06:00.000Z', periods: 2 },
    { from: '2026-11-27T11:40:00.000Z', to: '2026-11-27T11:41:00.000Z', periods: 1 },
  ];
  const input = { erasureId: ERASURE_ID, view: view.view, ranges: RANGES };
  const param = (iso: string) => iso.slice(0, 23).replace('T', ' ');
  const rangeOf = (call: RecordedCall) => RANGES.findIndex((r) => param(r.from) === call.params.from);

  /** Periods that differ from the source, per range, at each comparison in turn (the last repeating). */
  function scriptRecompute(ch: ScriptedClickHouse, mismatched: number[][]) {
    const answers = mismatched.map((counts) => inTurn(...counts.map((n) => [{ periods: '6', mismatched: String(n) }])));
    ch.onQuery(SQL.columns, COLUMNS)
      .onQuery(COMPARE, (call) => answers[rangeOf(call)](call))
      .onCommand(rangeDeleteSql(view))
      .onCommand(rangeInsertSql(view, MARKER));
  }

  const commandsOf = (ch: ScriptedClickHouse) =>
    ch.commands.map((c) => ({
      range: rangeOf(c),
      op: c.sql.startsWith('DELETE') ? 'delete' : 'insert',
      token: c.settings.insert_deduplication_token,
    }));

  it('should delete and refill only the ranges that differ from the source, and heartbeat each one finished', async () => {
    const { ch, activities } = erasure();
    // Range 0 is equal already; range 1 differs until it is refilled.
    scriptRecompute(ch, [[0], [3, 0]]);

    const { heartbeats, result } = inActivity(activities.recomputeUserPeriods, input);

    expect(await result).toMatchObject({
      view: 'engagement_minute_mv',
      target: 'engagement_minute',
      lastFinished: 1,
      ranges: 2,
      periods: 3,
      alreadyEqual: 1,
      rounds: 1,
      resumedAfter: null,
    });
    const range = { from: '2026-11-27 11:40:00.000', to: '2026-11-27 11:41:00.000' };
    expect(ch.commands.map(({ sql, params, settings }) => ({ sql, params, settings }))).toEqual([
      { sql: collapse(rangeDeleteSql(view)), params: range, settings: WAIT_FOR_MUTATION },
      {
        sql: collapse(rangeInsertSql(view, MARKER)),
        params: range,
        settings: chunkInsertSettings(recomputeToken(ERASURE_ID, view.view, RANGES[1], '1.1')),
      },
    ]);
    // The refill carries the marker a retry looks for in system.processes.
    expect(ch.commands[1].sql).toMatch(
      /^\/\* erasure erase-7f3a recompute engagement_minute_mv \*\/ INSERT INTO engagement_minute SELECT /,
    );
    expect(heartbeats).toEqual([{ lastFinished: 0 }, { lastFinished: 1 }]);
    // A first attempt has no abandoned refill to wait for.
    expect(ch.callsMatching(SQL.processes)).toEqual([]);
  });

  it('should do a range again, under a new token, when a live row raced its refill', async () => {
    const { ch, activities } = erasure();
    // After the first refill the range differs, and still does once live writes settled; after the second it is equal.
    scriptRecompute(ch, [[0], [3, 1, 1, 0]]);

    const result = await runActivity(activities.recomputeUserPeriods, input);

    expect(result).toMatchObject({ ranges: 2, rounds: 2 });
    expect(commandsOf(ch)).toEqual([
      { range: 1, op: 'delete', token: undefined },
      { range: 1, op: 'insert', token: recomputeToken(ERASURE_ID, view.view, RANGES[1], '1.1') },
      { range: 1, op: 'delete', token: undefined },
      { range: 1, op: 'insert', token: recomputeToken(ERASURE_ID, view.view, RANGES[1], '1.2') },
    ]);
  });

  it('should fail, to be retried, when a range still differs after three rounds', async () => {
    const { ch, activities } = erasure();
    scriptRecompute(ch, [[0], [3, 1]]);

    const { heartbeats, result } = inActivity(activities.recomputeUserPeriods, input);
    const error = await failureOf(result);

    expect(error).toMatchObject({
      type: RECOMPUTE_MISMATCH,
      nonRetryable: false,
      message:
        'engagement_minute 2026-11-27T11:40:00.000Z–2026-11-27T11:41:00.000Z still differs from events after 3 rounds',
    });
    expect(commandsOf(ch).filter((c) => c.op === 'delete')).toHaveLength(3);
    expect(heartbeats).toEqual([{ lastFinished: 0 }]);
  });

  it('should, on a retry, wait for the refill an abandoned attempt left running, then resume after its last range', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { ch, activities } = erasure();
    scriptRecompute(ch, [[0], [3, 0]]);
    // The abandoned attempt's refill runs on the server a while longer.
    ch.onQuery(SQL.processes, inTurn([{ running: '1' }], [{ running: '0' }]));

    const { heartbeats, result } = inActivityAttempt(
      { attempt: 2, heartbeatDetails: { lastFinished: 0 } },
      activities.recomputeUserPeriods,
      input,
    );
    await vi.advanceTimersByTimeAsync(500);

    expect(await result).toMatchObject({ lastFinished: 1, ranges: 1, periods: 1, resumedAfter: 0 });
    expect(ch.callsMatching(SQL.processes).map((c) => c.params)).toEqual([{ marker: MARKER }, { marker: MARKER }]);
    // Nothing touches the target before the abandoned refill has ended.
    const firstCommand = ch.calls.findIndex((c) => c.kind === 'command');
    expect(ch.calls.slice(firstCommand).filter((c) => SQL.processes.test(c.sql))).toEqual([]);
    expect(firstCommand).toBeGreaterThan(0);
    // Range 0 is not looked at again; range 1 is refilled under this attempt's own token.
    expect(ch.callsMatching(COMPARE).map(rangeOf)).toEqual([1, 1]);
    expect(commandsOf(ch)[1].token).toBe(recomputeToken(ERASURE_ID, view.view, RANGES[1], '2.1'));
    // While it waited it kept the earlier attempt's progress in its heartbeats.
    expect(heartbeats).toEqual([{ lastFinished: 0 }, { lastFinished: 1 }]);
  });

  it('should refuse, for good, a view that is not over the erasure’s sources', async () => {
    const { ch, activities } = erasure();

    const error = await failureOf(
      runActivity(activities.recomputeUserPeriods, { ...input, view: 'trending_topic_history_mv' }),
    );

    expect(error).toMatchObject({ nonRetryable: true });
    expect(ch.calls).toEqual([]);
  });
});

describe('dropUserRedisKeys', () => {
  const range = { from: new Date('2026-11-27T11:00:00.000Z'), to: new Date('2026-11-27T12:00:00.000Z') };
  const sessionsOf = (user_id: string, limit = 20) => userSessionsKey({ ...range, limit, user_id });
  const SUMMARIES = [
    engagementSummaryKey({ interval: 'hour', group_by: null, ...range }),
    liveEngagementKey(),
    adsPerformanceKey({ interval: 'hour', group_by: [], campaign_id: null, ad_id: null, ...range }),
    adsCampaignsKey({ grain: 'hour', limit: 20, ...range }),
  ];
  // The user's answers, the summaries that counted them, and the last good copies the API keeps of each.
  const ERASED = [sessionsOf(USER), sessionsOf(USER, 50), ...SUMMARIES].flatMap((key) => [key, lastGoodKey(key)]);
  // Other users' answers (one whose id ends like the user's), and the trending answers, which count no one.
  const KEPT = [sessionsOf('keeper'), sessionsOf(`x${USER}`), trendingKey('1m')].flatMap((key) => [
    key,
    lastGoodKey(key),
  ]);
  const sorted = (keys: Iterable<string>) => [...keys].sort();

  it('should unlink the user’s own answers, the summaries that counted them and their last good copies, and keep the rest', async () => {
    const { redis, activities } = erasure();
    redis.seed(...ERASED, ...KEPT);

    const result = await runActivity(activities.dropUserRedisKeys, { userId: USER });

    expect(sorted(redis.keys)).toEqual(sorted(KEPT));
    expect(result.deleted).toBe(ERASED.length);
    expect(result.patterns.map((p) => p.pattern)).toEqual(userAnswerPatterns(USER));
    expect(result.patterns.reduce((sum, p) => sum + p.deleted, 0)).toBe(ERASED.length);
    // SCAN with MATCH, followed to the end of its cursor (the keys come a few per call), never KEYS.
    const scans = redis.commands.filter(([command]) => command === 'scan');
    expect(scans.length).toBeGreaterThan(userAnswerPatterns(USER).length);
    expect(scans.every((c) => c[2] === 'MATCH' && c[4] === 'COUNT' && c[5] === 1000)).toBe(true);
    expect(redis.commands.every(([command]) => command === 'scan' || command === 'unlink')).toBe(true);
    expect([redis.opened, redis.disconnected]).toEqual([1, 1]);
  });

  it('should delete nothing when run again', async () => {
    const { redis, activities } = erasure();
    redis.seed(...ERASED, ...KEPT);
    await runActivity(activities.dropUserRedisKeys, { userId: USER });
    const unlinks = redis.commands.filter(([command]) => command === 'unlink').length;

    const again = await runActivity(activities.dropUserRedisKeys, { userId: USER });

    expect(again.deleted).toBe(0);
    expect(redis.commands.filter(([command]) => command === 'unlink')).toHaveLength(unlinks);
    expect(sorted(redis.keys)).toEqual(sorted(KEPT));
  });

  it('should take a user id with glob characters literally, leaving other users’ answers', async () => {
    const { redis, activities } = erasure();
    redis.seed(sessionsOf('u*'), sessionsOf('u-42'), sessionsOf('u?'));

    const result = await runActivity(activities.dropUserRedisKeys, { userId: 'u*' });

    expect(result.patterns[0]).toEqual({ pattern: 'pulse:engagement:v1:user-sessions:*:u\\*', deleted: 1 });
    expect(sorted(redis.keys)).toEqual(sorted([sessionsOf('u-42'), sessionsOf('u?')]));
  });

  it('should disconnect when Redis fails mid-way, and fail to be retried', async () => {
    const { redis, activities } = erasure();
    redis.seed(...ERASED);
    redis.failOn('unlink', new Error("READONLY You can't write against a read only replica."));

    const error = await failureOf(runActivity(activities.dropUserRedisKeys, { userId: USER }));

    expect(error.message).toContain('READONLY');
    expect(isRetryable(error)).toBe(true);
    expect(redis.disconnected).toBe(1);
  });
});

describe('recordUserErasure', () => {
  const RECORD: ErasureRecord = {
    erasureId: ERASURE_ID,
    runId: 'run-2',
    userIdSha256: createHash('sha256').update(USER).digest('hex'),
    requestedBy: 'dpo@example.com',
    reason: 'GDPR art. 17 request #1234',
    startedAt: '2026-11-27T12:00:00.000Z',
    finishedAt: '2026-11-27T12:03:00.000Z',
    anonymousIds: 2,
    removed: { events: 12, sessions: 3 },
    recomputedPeriods: { engagement_minute: 3 },
    redisKeys: 6,
    kafkaAgesOutAt: '2026-12-04T12:00:00.000Z',
    flinkStateAgesOutAt: '2026-11-28T12:00:00.000Z',
    details: { ms: { total: 180_000 } },
  };

  it('should write the audit row with the user’s hash, never the id, under a token of the erasure and run', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-27T12:03:01.000Z') });
    const { ch, activities } = erasure();
    ch.onQuery(SQL.audit, []).onInsert(/^INSERT INTO user_erasures /);

    expect(await runActivity(activities.recordUserErasure, RECORD)).toEqual({ written: true });

    expect(ch.queries[0].params).toEqual({ id: ERASURE_ID });
    expect(ch.inserts).toHaveLength(1);
    expect(ch.inserts[0]).toMatchObject({
      table: 'user_erasures',
      format: 'JSONEachRow',
      settings: { insert_deduplication_token: 'erasure-audit:erase-7f3a:run-2' },
      values: [
        {
          erasure_id: ERASURE_ID,
          user_id_sha256: RECORD.userIdSha256,
          requested_by: 'dpo@example.com',
          reason: 'GDPR art. 17 request #1234',
          started_at: '2026-11-27 12:00:00.000',
          finished_at: '2026-11-27 12:03:00.000',
          anonymous_ids: 2,
          removed: { events: 12, sessions: 3 },
          recomputed_periods: { engagement_minute: 3 },
          redis_keys: 6,
          kafka_ages_out_at: '2026-12-04 12:00:00.000',
          flink_state_ages_out_at: '2026-11-28 12:00:00.000',
          run_ids: ['run-2'],
          details: '{"ms":{"total":180000}}',
          updated_at: '2026-11-27 12:03:01.000',
        },
      ],
    });
    expect(JSON.stringify(ch.inserts[0].values)).not.toContain(USER);
  });

  it('should write nothing when this run’s row is there already', async () => {
    const { ch, activities } = erasure();
    ch.onQuery(SQL.audit, [
      {
        run_ids: ['run-1', 'run-2'],
        started_at: '2026-11-27 11:00:00.000',
        removed: {},
        recomputed_periods: {},
        redis_keys: '0',
        anonymous_ids: '2',
        updated_at: '2026-11-27 12:03:01.000',
      },
    ]);

    expect(await runActivity(activities.recordUserErasure, RECORD)).toEqual({ written: false });
    expect(ch.inserts).toEqual([]);
  });

  it('should add a later run’s counts to the row, keep its first start and version it after the row it replaces', async () => {
    // This worker's clock is behind the one that wrote the row.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-27T12:03:01.000Z') });
    const { ch, activities } = erasure();
    ch.onQuery(SQL.audit, [
      {
        run_ids: ['run-1'],
        started_at: '2026-11-27 11:00:00.000',
        removed: { events: '10', dead_letters: '2' },
        recomputed_periods: { engagement_minute: '3' },
        redis_keys: '4',
        anonymous_ids: '3',
        updated_at: '2026-11-27 12:05:00.000',
      },
    ]).onInsert(/^INSERT INTO user_erasures /);

    await runActivity(activities.recordUserErasure, RECORD);

    expect(ch.inserts[0].values).toEqual([
      expect.objectContaining({
        started_at: '2026-11-27 11:00:00.000',
        finished_at: '2026-11-27 12:03:00.000',
        anonymous_ids: 3,
        removed: { events: 22, sessions: 3, dead_letters: 2 },
        recomputed_periods: { engagement_minute: 6 },
        redis_keys: 10,
        run_ids: ['run-1', 'run-2'],
        updated_at: '2026-11-27 12:05:00.001',
      }),
    ]);
    expect(ch.inserts[0].settings).toEqual({ insert_deduplication_token: 'erasure-audit:erase-7f3a:run-2' });
  });
});
