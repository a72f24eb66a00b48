import type { LiveEngagementRow } from '../dtos/engagement-live.dto';
import type { EngagementRollupRow, SessionRollupRow } from '../dtos/engagement-summary.dto';
import type { UserSessionRow } from '../dtos/user-sessions.dto';

/** One engagement rollup row in JSONEachRow (UInt64 columns as strings, as ClickHouse may send them). */
export function engagementRow(overrides: Partial<EngagementRollupRow> = {}): EngagementRollupRow {
  return { period: '2025-06-01 12:00:00', event_count: '120', user_count: '40', session_count: '45', ...overrides };
}

/** One session rollup row: 10 sessions started, 4 bounced, 50 events; quantiles 0.5, 0.9, 0.99 in ms. */
export function sessionRollupRow(overrides: Partial<SessionRollupRow> = {}): SessionRollupRow {
  return {
    period: '2025-06-01 12:00:00',
    sessions: '10',
    bounces: '4',
    events: '50',
    duration_ms: [30_000.4, 240_000.6, 600_000],
    ...overrides,
  };
}

export function liveRow(overrides: Partial<LiveEngagementRow> = {}): LiveEngagementRow {
  return {
    active_sessions: '12',
    active_users: '10',
    recent_users: '25',
    recent_sessions: '27',
    recent_events: '310',
    ...overrides,
  };
}

/** One `sessions` FINAL row in JSONEachRow. */
export function userSessionRow(overrides: Partial<UserSessionRow> = {}): UserSessionRow {
  return {
    session_id: '0190a1b2-0000-4000-8000-000000000001',
    client_session_id: 'client-1',
    session_start: '2025-06-01 11:00:00.000',
    session_end: '2025-06-01 11:05:30.500',
    duration_ms: '330500',
    events: 9,
    page_views: 4,
    distinct_pages: 3,
    entry_page: '/home',
    exit_page: '/post/7',
    posts_created: 1,
    likes: 2,
    comments: 1,
    shares: 0,
    device_type: 'mobile',
    os: 'ios',
    country: 'DE',
    is_bounce: false,
    status: 'sealed',
    ...overrides,
  };
}

/** count sessions of one user, newest first, one minute apart, ending at 11:00 + count minutes. */
export function userSessionRows(count: number): UserSessionRow[] {
  return Array.from({ length: count }, (_, i) => {
    const minute = String(count - i).padStart(2, '0');
    return userSessionRow({
      session_id: `0190a1b2-0000-4000-8000-${String(i).padStart(12, '0')}`,
      client_session_id: `client-${i}`,
      session_start: `2025-06-01 11:${minute}:00.000`,
      session_end: `2025-06-01 11:${minute}:30.000`,
      duration_ms: 30_000,
    });
  });
}
