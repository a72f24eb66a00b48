import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { userSessionRow, userSessionRows } from '../testing/engagement.fixtures';
import { mapUserSessions, userSessionsQuerySchema, type UserSessionsQuery } from './user-sessions.dto';

const NOW = new Date('2026-11-26T12:34:56.789Z');

const problems = (query: Record<string, unknown>) => {
  const result = userSessionsQuerySchema.safeParse(query);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
};

describe('userSessionsQuerySchema', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('should default to the last 7 days up to the end of this minute, and 100 sessions', () => {
    expect(userSessionsQuerySchema.parse({ user_id: 'u-1' })).toEqual({
      user_id: 'u-1',
      from: new Date('2026-11-19T12:35:00.000Z'),
      to: new Date('2026-11-26T12:35:00.000Z'),
      limit: 100,
    });
  });

  it('should keep given times exactly and coerce the limit', () => {
    expect(
      userSessionsQuerySchema.parse({
        user_id: 'a:anon-7',
        from: '2026-09-01T00:00:00.123Z',
        to: '2026-11-30T00:00:00.123Z',
        limit: '500',
      }),
    ).toEqual({
      user_id: 'a:anon-7',
      from: new Date('2026-09-01T00:00:00.123Z'),
      to: new Date('2026-11-30T00:00:00.123Z'),
      limit: 500,
    });
  });

  it.each([
    [{ user_id: '' }, 'user_id must not be empty'],
    [{ user_id: 'x'.repeat(131) }, 'user_id must be at most 130 characters'],
    [{ user_id: 'u', limit: '0' }, 'limit must be at least 1'],
    [{ user_id: 'u', limit: '501' }, 'limit must be at most 500'],
    [{ user_id: 'u', limit: 'all' }, 'limit must be a number'],
    [{ user_id: 'u', from: 'last week' }, 'from must be an ISO-8601 time such as 2026-11-26T12:00:00Z'],
    [{ user_id: 'u', from: '2026-11-27T00:00:00Z' }, 'from must be before to'],
    [
      { user_id: 'u', from: '2026-08-01T00:00:00Z', to: '2026-11-01T00:00:00Z' },
      'from and to must be at most 90 days apart',
    ],
  ])('should refuse %j with "%s"', (query, message) => {
    expect(problems(query)).toEqual([message]);
  });
});

describe(mapUserSessions.name, () => {
  const READ_AT = new Date('2025-06-01T12:00:00.000Z');
  const query = (limit: number): UserSessionsQuery => ({
    user_id: 'u-1',
    from: new Date('2025-05-25T00:00:00.000Z'),
    to: new Date('2025-06-01T12:01:00.000Z'),
    limit,
  });

  it('should map each session with ISO times and numbers', () => {
    expect(mapUserSessions(query(10), [userSessionRow()], READ_AT)).toEqual({
      data: {
        user_id: 'u-1',
        from: '2025-05-25T00:00:00.000Z',
        to: '2025-06-01T12:01:00.000Z',
        sessions: [
          {
            session_id: '0190a1b2-0000-4000-8000-000000000001',
            client_session_id: 'client-1',
            session_start: '2025-06-01T11:00:00.000Z',
            session_end: '2025-06-01T11:05:30.500Z',
            duration_ms: 330_500,
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
          },
        ],
        has_more: false,
      },
      data_time: '2025-06-01T12:00:00.000Z',
      computed_at: '2025-06-01T12:00:00.000Z',
    });
  });

  it('should answer at most limit sessions and say there are more when the query found limit + 1', () => {
    const more = mapUserSessions(query(3), userSessionRows(4), READ_AT).data;
    const exact = mapUserSessions(query(4), userSessionRows(4), READ_AT).data;

    expect(more.sessions.map((s) => s.client_session_id)).toEqual(['client-0', 'client-1', 'client-2']);
    expect(more.has_more).toBe(true);
    expect(exact.sessions).toHaveLength(4);
    expect(exact.has_more).toBe(false);
  });
});
