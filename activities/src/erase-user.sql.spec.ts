import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, readMigrations } from '@social-pulse/clickhouse';
import {
  eraseSql,
  erasureViews,
  globLiteral,
  periodLength,
  planRanges,
  rangeCompareSql,
  rangeInsertSql,
  recomputeHorizon,
  recomputeToken,
  sourceTtlDays,
  userParams,
  userPeriodsSql,
} from './erase-user.sql';
import { measuresOf } from './view-backfill.sql';
import { userAnswerPatterns } from './erase-user.activities';

const statements = readMigrations(MIGRATIONS_DIR).flatMap((m) => m.statements);
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

describe(erasureViews.name, () => {
  const views = erasureViews(statements);

  it('should find every rollup view of events, sessions and ad changes in the migrations, and no other', () => {
    expect(views.map((v) => `${v.view}:${v.source}->${v.target}:${v.periodMs}`)).toEqual([
      `engagement_minute_mv:events->engagement_minute:${MINUTE}`,
      `engagement_hour_mv:events->engagement_hour:${HOUR}`,
      `engagement_day_mv:events->engagement_day:${DAY}`,
      `session_minute_mv:sessions->session_minute:${MINUTE}`,
      `session_hour_mv:sessions->session_hour:${HOUR}`,
      `session_day_mv:sessions->session_day:${DAY}`,
      `ad_performance_minute_mv:ad_performance_changes->ad_performance_minute:${MINUTE}`,
      `ad_performance_hour_mv:ad_performance_changes->ad_performance_hour:${HOUR}`,
      `ad_performance_day_mv:ad_performance_changes->ad_performance_day:${DAY}`,
    ]);
  });

  it("should keep the view's own WHERE and period expression", () => {
    const session = views.find((v) => v.view === 'session_hour_mv')!;
    // The newest definition: 0008 redefined the session views to leave the canary's sessions out.
    expect(session.where).toBe("status = 'sealed' AND is_deleted = 0 AND NOT startsWith(user_id, 'CANARY:')");
    expect(session.periodExpression).toBe('toStartOfHour(session_start)');
    expect(views.find((v) => v.view === 'ad_performance_minute_mv')!.periodExpression).toBe('minute');
  });

  it('should restrict the refill to the range, inside the view WHERE, with its marker', () => {
    const session = views.find((v) => v.view === 'session_day_mv')!;
    const sql = rangeInsertSql(session, 'erasure e1 recompute session_day_mv');
    expect(sql).toMatch(/^\/\* erasure e1 recompute session_day_mv \*\/ INSERT INTO session_day SELECT /);
    expect(sql).toContain(
      "FROM sessions WHERE (status = 'sealed' AND is_deleted = 0 AND NOT startsWith(user_id, 'CANARY:')) AND session_start >= {from:DateTime64(3, 'UTC')} " +
        "AND session_start < {to:DateTime64(3, 'UTC')} GROUP BY period, device_type, os, country",
    );
    expect(sql).toContain('quantilesTDigestState(0.5, 0.9, 0.99)(duration_ms) AS duration');
  });

  it('should compare sums and uniq states of the range only', () => {
    const engagement = views.find((v) => v.view === 'engagement_minute_mv')!;
    const sql = rangeCompareSql(
      engagement,
      measuresOf([
        { name: 'events', type: 'SimpleAggregateFunction(sum, UInt64)' },
        { name: 'users', type: 'AggregateFunction(uniq, String)' },
      ]),
    );
    expect(sql).toContain('countIf(t.events != s.events OR t.users != s.users) AS mismatched');
    expect(sql).toContain("FROM engagement_minute WHERE period >= {from:DateTime64(3, 'UTC')} AND period < {to:");
    // The source's states are cast to the target's types (uniqArrayState is stored as a uniq state).
    expect(sql).toContain("uniqMerge(CAST(users, 'AggregateFunction(uniq, String)')) AS users FROM (SELECT");
    expect(() => rangeCompareSql(engagement, [])).toThrow(/no measure/);
  });

  it("should find a view's periods among the user's rows only, through its own WHERE", () => {
    const session = views.find((v) => v.view === 'session_minute_mv')!;
    expect(userPeriodsSql(session, 'sessions')).toBe(
      'SELECT DISTINCT toString(toStartOfMinute(session_start)) AS period FROM sessions ' +
        "WHERE (status = 'sealed' AND is_deleted = 0 AND NOT startsWith(user_id, 'CANARY:')) AND has({visitors:Array(String)}, user_id) ORDER BY period",
    );
  });
});

describe(periodLength.name, () => {
  it.each([
    ['toStartOfMinute(event_time)', MINUTE],
    ['toStartOfHour(event_time)', HOUR],
    ['toStartOfDay( event_time )', DAY],
    ['event_time', MINUTE],
  ])('should give %s %d ms', (expression, ms) => {
    expect(periodLength(expression, 'event_time')).toBe(ms);
  });

  it.each([
    'toStartOfWeek(event_time)',
    'toStartOfHour(received_at)',
    'toStartOfInterval(event_time, INTERVAL 5 MINUTE)',
  ])('should refuse %s', (expression) => {
    expect(() => periodLength(expression, 'event_time')).toThrow(/is not toStartOf/);
  });
});

describe(planRanges.name, () => {
  it('should join adjacent periods and periods within the gap, and keep far ones apart', () => {
    expect(
      planRanges(
        ['2026-11-20 10:00:00', '2026-11-20 10:01:00', '2026-11-20 10:03:00', '2026-11-20 11:00:00'],
        MINUTE,
        2,
      ),
    ).toEqual([
      { from: '2026-11-20T10:00:00.000Z', to: '2026-11-20T10:04:00.000Z', periods: 3 },
      { from: '2026-11-20T11:00:00.000Z', to: '2026-11-20T11:01:00.000Z', periods: 1 },
    ]);
  });

  it('should never cross midnight with sub-day periods, and join days that are adjacent', () => {
    expect(planRanges(['2026-11-20 23:59:00', '2026-11-21 00:00:00'], MINUTE)).toHaveLength(2);
    expect(planRanges(['2026-11-21 00:00:00', '2026-11-20 00:00:00', '2026-11-21 00:00:00'], DAY)).toEqual([
      { from: '2026-11-20T00:00:00.000Z', to: '2026-11-22T00:00:00.000Z', periods: 2 },
    ]);
  });

  it('should refuse a period that is not a period start, and give nothing for no periods', () => {
    expect(() => planRanges(['2026-11-20 10:00:30'], MINUTE)).toThrow(/not a period start/);
    expect(() => planRanges(['yesterday'], MINUTE)).toThrow(/bad period/);
    expect(planRanges([], HOUR)).toEqual([]);
  });
});

describe(recomputeHorizon.name, () => {
  it("should start at the second whole day after the source's TTL horizon", () => {
    const now = Date.parse('2026-11-27T12:00:00.000Z');
    expect(new Date(recomputeHorizon(now, 90)).toISOString()).toBe('2026-08-31T00:00:00.000Z');
    expect(recomputeHorizon(now, null)).toBe(0);
  });
});

describe(sourceTtlDays.name, () => {
  it.each([
    ['ENGINE = ReplacingMergeTree TTL toDateTime(event_time) + toIntervalDay(90) SETTINGS x', 'event_time', 90],
    ['ENGINE = MergeTree TTL minute + toIntervalDay(30) SETTINGS', 'minute', 30],
    ['ENGINE = MergeTree TTL toDateTime(session_start) + toIntervalYear(1)', 'session_start', 366],
    ['ENGINE = MergeTree ORDER BY x', 'minute', null],
  ])('should read %s', (query, column, days) => {
    expect(sourceTtlDays(query, column)).toBe(days);
  });
});

describe(userParams.name, () => {
  it('should name the user as each table does, anonymous ids once each', () => {
    expect(userParams('u"1', ['a1', '', 'a1', 'a2'])).toEqual({
      userId: 'u"1',
      anonymousIds: ['a1', 'a2'],
      visitors: ['u"1', 'a:a1', 'a:a2'],
      needles: ['"user_id":"u\\"1"', '"anonymous_id":"a1"', '"anonymous_id":"a2"'],
    });
  });
});

describe(eraseSql.name, () => {
  it('should delete rows, but only take the user out of the ad changes reach', () => {
    expect(eraseSql('events')).toMatch(/^DELETE FROM events WHERE \(user_id = \{userId:String\} OR/);
    expect(eraseSql('ad_performance_changes')).toBe(
      'ALTER TABLE ad_performance_changes UPDATE reached = arrayFilter(v -> NOT has({visitors:Array(String)}, v), reached) ' +
        'WHERE hasAny(reached, {visitors:Array(String)})',
    );
  });
});

describe(recomputeToken.name, () => {
  it('should differ per round, since a token reused after a delete would drop the refill', () => {
    const range = { from: '2026-11-20T10:00:00.000Z', to: '2026-11-20T10:04:00.000Z' };
    expect(recomputeToken('erase-1', 'engagement_minute_mv', range, '1.1')).toBe(
      'erasure:erase-1:engagement_minute_mv:2026-11-20T10:00:00.000Z/2026-11-20T10:04:00.000Z:1.1',
    );
    expect(recomputeToken('erase-1', 'engagement_minute_mv', range, '2.1')).not.toBe(
      recomputeToken('erase-1', 'engagement_minute_mv', range, '1.1'),
    );
  });
});

describe(userAnswerPatterns.name, () => {
  it("should match the user's own sessions answers by the encoded id last, the summaries of everyone, and their last good copies", () => {
    const answers = [
      'pulse:engagement:v1:user-sessions:*:user\\*1%3Ax',
      'pulse:engagement:v1:summary:*',
      'pulse:engagement:v1:live',
      'pulse:ads:v1:performance:*',
      'pulse:ads:v1:campaigns:*',
    ];
    expect(userAnswerPatterns('user*1:x')).toEqual([
      ...answers,
      ...answers.map((pattern) => `pulse:last-good:${pattern}`),
    ]);
  });

  it('should escape the glob characters of a literal', () => {
    expect(globLiteral('a*b?c[d]e\\')).toBe('a\\*b\\?c\\[d\\]e\\\\');
  });
});
