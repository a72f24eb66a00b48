/**
 * The API's engagement SQL, apart so that tests can run and EXPLAIN exactly what the API runs: each
 * builder returns the statement and its bound parameters. Values are always `{name:Type}`
 * parameters; the only request text that shapes the statement is interval and group_by, and both
 * pass through the fixed maps below.
 */
import { CANARY_ID_PREFIX } from '@social-pulse/events';
import type { EngagementGroupBy, EngagementInterval, EngagementSummaryQuery } from '../dtos/engagement-summary.dto';
import { RECENT_MINUTES } from '../dtos/engagement-live.dto';
import type { UserSessionsQuery } from '../dtos/user-sessions.dto';
import { clickhouseSeconds, clickhouseTime, floorTo, HOUR_MS, MINUTE_MS } from '../dtos/time-params';

/** One query the API runs: its SQL, its bound parameters, and the name it is timed under. */
export interface ClickHouseStatement {
  /**
   * The query's stable name on pulse_clickhouse_query_duration_seconds (label `query`): one per
   * statement builder, never per request shape, so the label stays a handful of values.
   */
  name: string;
  query: string;
  query_params: Record<string, string | number>;
}

/** Each interval's rollups (clickhouse/migrations 0004, 0005) and the function that made their period. */
export const ROLLUPS = {
  minute: { engagement: 'engagement_minute', sessions: 'session_minute', startOf: 'toStartOfMinute' },
  hour: { engagement: 'engagement_hour', sessions: 'session_hour', startOf: 'toStartOfHour' },
  day: { engagement: 'engagement_day', sessions: 'session_day', startOf: 'toStartOfDay' },
} as const satisfies Record<EngagementInterval, { engagement: string; sessions: string; startOf: string }>;

/** The allow-list: a group_by value names one of these columns and nothing else. */
export const GROUP_COLUMNS = {
  device: 'device_type',
  os: 'os',
  country: 'country',
  event_type: 'event_type',
} as const satisfies Record<EngagementGroupBy, string>;

/**
 * Unsealed sessions are read from `sessions` FINAL no further back than this. A session seals 35
 * minutes after its last event and lasts at most 4 hours, so a running job leaves none older than
 * about 4.6 hours; a day covers a stalled job too, and keeps a year-long summary from reading a
 * year of `sessions` partitions. A session left unsealed longer is counted once the job seals it.
 */
export const UNSEALED_LOOKBACK_MS = 24 * HOUR_MS;

/** Sessions last at most 4 hours (the job's maxLength); 5 more minutes cover the watermark's lag. */
export const LIVE_SESSION_LOOKBACK_MS = 4 * HOUR_MS + 5 * MINUTE_MS;

/**
 * A session reported active whose last event is older than the 30-minute gap should have been closed;
 * the margin covers the watermark. Without this guard a stopped job would leave its sessions "live".
 */
export const LIVE_ACTIVITY_WINDOW_MS = 35 * MINUTE_MS;

/**
 * The sessions of real visitors: the canary's (its visitors are CANARY_ID_PREFIX and an id, which the
 * collector refuses from anyone else) are written to `sessions` like any other, and every dashboard
 * number read from that table leaves them out; the session rollups never receive them
 * (clickhouse/migrations/0008_canary_sessions.sql).
 */
export const NOT_CANARY_SESSION = `NOT startsWith(user_id, '${CANARY_ID_PREFIX}')`;

/** The canary's sessions only (its route: canarySessionsStatement). */
export const CANARY_SESSION = `startsWith(user_id, '${CANARY_ID_PREFIX}')`;

const groupColumn = (groupBy: EngagementGroupBy | null) => (groupBy === null ? null : GROUP_COLUMNS[groupBy]);

/**
 * Events, visitors and sessions per period (and group) from the interval's engagement rollup: sums
 * and uniq states merged, never averaged. The period bounds prune partitions and the primary key.
 */
export function engagementSummaryStatement(query: EngagementSummaryQuery): ClickHouseStatement {
  const table = ROLLUPS[query.interval].engagement;
  const group = groupColumn(query.group_by);
  const keys = group ? 'period, group_value' : 'period';
  return {
    name: 'engagement_summary',
    query: `
      SELECT period, ${group ? `${group} AS group_value, ` : ''}sum(events) AS event_count,
             uniqMerge(users) AS user_count, uniqMerge(sessions) AS session_count
      FROM ${table}
      WHERE period >= {from:DateTime('UTC')} AND period < {to:DateTime('UTC')}
      GROUP BY ${keys}
      ORDER BY ${keys}`,
    query_params: { from: clickhouseSeconds(query.from), to: clickhouseSeconds(query.to) },
  };
}

/**
 * Session metrics per period of the sessions' start: the session rollup (fed by sealed sessions only)
 * UNION ALL the same states computed from the sessions not sealed yet (`sessions` FINAL: the latest
 * revision of each, tombstones hidden; status is filtered after FINAL, so a session whose latest
 * report is sealed is never read here). Each session is in exactly one side; the states merge.
 * Not for group_by=event_type: a session has no one event type.
 */
export function sessionSummaryStatement(query: EngagementSummaryQuery, now: Date): ClickHouseStatement {
  if (query.group_by === 'event_type') throw new Error('session metrics are not broken down by event type');
  const { sessions: table, startOf } = ROLLUPS[query.interval];
  const group = groupColumn(query.group_by);
  const keys = group ? 'period, group_value' : 'period';
  const unsealedFrom = new Date(Math.max(query.from.getTime(), now.getTime() - UNSEALED_LOOKBACK_MS));
  return {
    name: 'session_summary',
    query: `
      SELECT period, ${group ? `${group} AS group_value, ` : ''}sum(started) AS sessions, sum(bounced) AS bounces,
             sum(session_events) AS events, quantilesTDigestMerge(0.5, 0.9, 0.99)(duration) AS duration_ms
      FROM (
        SELECT period, device_type, os, country, sessions AS started, bounces AS bounced,
               events AS session_events, duration
        FROM ${table}
        WHERE period >= {from:DateTime('UTC')} AND period < {to:DateTime('UTC')}
        UNION ALL
        SELECT toDateTime(${startOf}(session_start), 'UTC') AS period, device_type, os, country,
               count() AS started, countIf(is_bounce) AS bounced, sum(events) AS session_events,
               quantilesTDigestState(0.5, 0.9, 0.99)(duration_ms) AS duration
        FROM sessions FINAL
        WHERE session_start >= {unsealed_from:DateTime64(3, 'UTC')} AND session_start < {to_ms:DateTime64(3, 'UTC')}
          AND status != 'sealed' AND ${NOT_CANARY_SESSION}
        GROUP BY period, device_type, os, country
      )
      GROUP BY ${keys}
      ORDER BY ${keys}`,
    query_params: {
      from: clickhouseSeconds(query.from),
      to: clickhouseSeconds(query.to),
      unsealed_from: clickhouseTime(unsealedFrom),
      to_ms: clickhouseTime(query.to),
    },
  };
}

/**
 * Sessions in progress now (the latest report active, with a recent last event; session_start bounded
 * so only today's and maybe yesterday's partitions are read) beside the visitors, sessions and events
 * of the last minutes from engagement_minute. One row, one round trip.
 */
export function liveEngagementStatement(now: Date): ClickHouseStatement {
  return {
    name: 'engagement_live',
    query: `
      SELECT active.sessions AS active_sessions, active.users AS active_users,
             recent.users AS recent_users, recent.sessions AS recent_sessions, recent.events AS recent_events
      FROM (
        SELECT count() AS sessions, uniq(user_id) AS users
        FROM sessions FINAL
        WHERE session_start >= {sessions_from:DateTime64(3, 'UTC')} AND session_start <= {now:DateTime64(3, 'UTC')}
          AND status = 'active' AND session_end >= {active_since:DateTime64(3, 'UTC')} AND ${NOT_CANARY_SESSION}
      ) AS active
      CROSS JOIN (
        SELECT uniqMerge(users) AS users, uniqMerge(sessions) AS sessions, sum(events) AS events
        FROM engagement_minute
        WHERE period >= {recent_from:DateTime('UTC')}
      ) AS recent`,
    query_params: {
      now: clickhouseTime(now),
      sessions_from: clickhouseTime(new Date(now.getTime() - LIVE_SESSION_LOOKBACK_MS)),
      active_since: clickhouseTime(new Date(now.getTime() - LIVE_ACTIVITY_WINDOW_MS)),
      recent_from: clickhouseSeconds(new Date(floorTo(now.getTime(), MINUTE_MS) - RECENT_MINUTES * MINUTE_MS)),
    },
  };
}

/**
 * A user's sessions that started in [from, to), newest first, each its latest revision (FINAL hides
 * tombstones). The table is ordered by (user_id, session_start): the user and range select a few
 * granules in each day partition of the range. One more row than asked tells whether there are more.
 */
export function userSessionsStatement(query: UserSessionsQuery): ClickHouseStatement {
  return {
    name: 'user_sessions',
    query: `
      SELECT session_id, client_session_id, session_start, session_end, duration_ms, events, page_views,
             distinct_pages, entry_page, exit_page, posts_created, likes, comments, shares,
             device_type, os, country, is_bounce, status
      FROM sessions FINAL
      WHERE user_id = {user_id:String}
        AND session_start >= {from:DateTime64(3, 'UTC')} AND session_start < {to:DateTime64(3, 'UTC')}
      ORDER BY session_start DESC, session_id
      LIMIT {limit:UInt32}`,
    query_params: {
      user_id: query.user_id,
      from: clickhouseTime(query.from),
      to: clickhouseTime(query.to),
      limit: query.limit + 1,
    },
  };
}

/**
 * The canary's sessions that started at or after `since`, newest first: `sessions` FINAL as the live
 * query reads it (the latest report of each, tombstones hidden), the visitor filter reversed. A
 * session shows once the job reported it (active, at its first early firing) and its sink committed
 * it (the next checkpoint). The prefix condition narrows the sorting key (user_id first).
 */
export function canarySessionsStatement(since: Date, limit: number): ClickHouseStatement {
  return {
    name: 'sessions_canary',
    query: `
      SELECT user_id, session_id, session_start, session_end, events, status
      FROM sessions FINAL
      WHERE ${CANARY_SESSION} AND session_start >= {since:DateTime64(3, 'UTC')}
      ORDER BY session_start DESC, user_id
      LIMIT {limit:UInt32}`,
    query_params: { since: clickhouseTime(since), limit },
  };
}
