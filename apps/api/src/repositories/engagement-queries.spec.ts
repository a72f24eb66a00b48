import { describe, expect, it } from 'vitest';
import {
  ENGAGEMENT_GROUP_BYS,
  ENGAGEMENT_INTERVALS,
  type EngagementSummaryQuery,
} from '../dtos/engagement-summary.dto';
import {
  CANARY_SESSION,
  canarySessionsStatement,
  engagementSummaryStatement,
  GROUP_COLUMNS,
  NOT_CANARY_SESSION,
  LIVE_ACTIVITY_WINDOW_MS,
  LIVE_SESSION_LOOKBACK_MS,
  liveEngagementStatement,
  ROLLUPS,
  sessionSummaryStatement,
  UNSEALED_LOOKBACK_MS,
  userSessionsStatement,
} from './engagement-queries';

const NOW = new Date('2026-11-26T12:34:56.789Z');
const query = (overrides: Partial<EngagementSummaryQuery> = {}): EngagementSummaryQuery => ({
  interval: 'minute',
  group_by: null,
  from: new Date('2026-11-26T11:00:00.000Z'),
  to: new Date('2026-11-26T12:35:00.000Z'),
  ...overrides,
});

/** Every {name:Type} placeholder of a statement. */
const placeholders = (sql: string) => [...sql.matchAll(/\{(\w+):[^}]+\}/g)].map(([, name]) => name).sort();

describe(engagementSummaryStatement.name, () => {
  it.each(ENGAGEMENT_INTERVALS)('should read the %s rollup with the range as parameters', (interval) => {
    const statement = engagementSummaryStatement(query({ interval }));

    expect(statement.query).toContain(`FROM ${ROLLUPS[interval].engagement}\n`);
    expect(statement.query).not.toContain('2026');
    expect(statement.query_params).toEqual({ from: '2026-11-26 11:00:00', to: '2026-11-26 12:35:00' });
    expect(placeholders(statement.query)).toEqual(['from', 'to']);
  });

  it.each(ENGAGEMENT_GROUP_BYS)('should group by the allow-listed column of group_by=%s', (groupBy) => {
    const { query: sql } = engagementSummaryStatement(query({ group_by: groupBy }));

    expect(sql).toContain(`${GROUP_COLUMNS[groupBy]} AS group_value`);
    expect(sql).toMatch(/GROUP BY period, group_value\s+ORDER BY period, group_value/);
  });

  it('should group by period alone without group_by', () => {
    const { query: sql } = engagementSummaryStatement(query());

    expect(sql).not.toContain('group_value');
    expect(sql).toMatch(/GROUP BY period\s+ORDER BY period$/);
  });
});

describe(sessionSummaryStatement.name, () => {
  it('should read unsealed sessions from the range start when it lies within the lookback', () => {
    const statement = sessionSummaryStatement(query({ group_by: 'os' }), NOW);

    expect(statement.query).toContain('FROM session_minute\n');
    expect(statement.query).toContain('FROM sessions FINAL');
    expect(statement.query).toContain("status != 'sealed'");
    expect(statement.query).toContain('os AS group_value');
    expect(statement.query_params).toEqual({
      from: '2026-11-26 11:00:00',
      to: '2026-11-26 12:35:00',
      unsealed_from: '2026-11-26 11:00:00.000',
      to_ms: '2026-11-26 12:35:00.000',
    });
    expect(placeholders(statement.query)).toEqual(['from', 'to', 'to_ms', 'unsealed_from']);
  });

  it('should read unsealed sessions no further back than the lookback', () => {
    const statement = sessionSummaryStatement(
      query({ interval: 'day', from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-11-27T00:00:00Z') }),
      NOW,
    );

    expect(statement.query).toContain('FROM session_day\n');
    expect(statement.query).toContain('toStartOfDay(session_start)');
    expect(statement.query_params.unsealed_from).toBe(
      new Date(NOW.getTime() - UNSEALED_LOOKBACK_MS).toISOString().replace('T', ' ').replace('Z', ''),
    );
  });

  it('should refuse event_type, which sessions do not have', () => {
    expect(() => sessionSummaryStatement(query({ group_by: 'event_type' }), NOW)).toThrow(
      /not broken down by event type/,
    );
  });
});

describe(liveEngagementStatement.name, () => {
  it('should bound the sessions read to the longest session and the recent minutes to whole minutes', () => {
    const statement = liveEngagementStatement(NOW);

    expect(statement.query_params).toEqual({
      now: '2026-11-26 12:34:56.789',
      sessions_from: new Date(NOW.getTime() - LIVE_SESSION_LOOKBACK_MS)
        .toISOString()
        .replace('T', ' ')
        .replace('Z', ''),
      active_since: new Date(NOW.getTime() - LIVE_ACTIVITY_WINDOW_MS).toISOString().replace('T', ' ').replace('Z', ''),
      recent_from: '2026-11-26 12:29:00',
    });
    expect(statement.query_params.sessions_from).toBe('2026-11-26 08:29:56.789');
    expect(placeholders(statement.query)).toEqual(['active_since', 'now', 'recent_from', 'sessions_from']);
  });
});

describe(userSessionsStatement.name, () => {
  it('should bind the user id, range and one more than the limit, never writing them into the SQL', () => {
    const userId = "u'); DROP TABLE sessions; --";
    const statement = userSessionsStatement({
      user_id: userId,
      from: new Date('2026-11-19T12:35:00.000Z'),
      to: new Date('2026-11-26T12:35:00.000Z'),
      limit: 100,
    });

    expect(statement.query).not.toContain('DROP');
    expect(statement.query).toMatch(/ORDER BY session_start DESC, session_id\s+LIMIT \{limit:UInt32\}$/);
    expect(statement.query_params).toEqual({
      user_id: userId,
      from: '2026-11-19 12:35:00.000',
      to: '2026-11-26 12:35:00.000',
      limit: 101,
    });
  });
});

describe('canary sessions', () => {
  it("should leave the canary's sessions out of every session number read from sessions", () => {
    expect(NOT_CANARY_SESSION).toBe("NOT startsWith(user_id, 'CANARY:')");
    // The unsealed side of the summary (the sealed side is the rollup, whose views leave them out).
    expect(sessionSummaryStatement(query(), NOW).query).toContain(`AND status != 'sealed' AND ${NOT_CANARY_SESSION}`);
    expect(liveEngagementStatement(NOW).query).toMatch(
      new RegExp(
        `status = 'active' AND session_end >= \\{active_since:[^}]+\\} AND ${NOT_CANARY_SESSION.replace(/[()]/g, '\\$&')}`,
      ),
    );
  });

  it("should read the canary's sessions only, from `since` on, the time and limit as parameters", () => {
    const statement = canarySessionsStatement(NOW, 1000);

    expect(statement.name).toBe('sessions_canary');
    expect(statement.query).toContain('FROM sessions FINAL');
    expect(statement.query).toContain(`WHERE ${CANARY_SESSION} AND session_start >= {since:DateTime64(3, 'UTC')}`);
    expect(statement.query).not.toContain('2026');
    expect(statement.query_params).toEqual({ since: '2026-11-26 12:34:56.789', limit: 1000 });
    expect(placeholders(statement.query)).toEqual(['limit', 'since']);
  });
});
