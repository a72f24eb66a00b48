import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { engagementRow, sessionRollupRow } from '../testing/engagement.fixtures';
import {
  ENGAGEMENT_INTERVAL_RULES,
  engagementSummaryQuerySchema,
  mapEngagementSummary,
  type EngagementSummaryQuery,
} from './engagement-summary.dto';

const NOW = new Date('2026-11-26T12:34:56.789Z');

const problems = (query: Record<string, unknown>) => {
  const result = engagementSummaryQuerySchema.safeParse(query);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
};

describe('engagementSummaryQuerySchema', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('should default to minutes over the last hour, widened to whole minutes', () => {
    expect(engagementSummaryQuerySchema.parse({})).toEqual({
      interval: 'minute',
      group_by: null,
      from: new Date('2026-11-26T11:34:00.000Z'),
      to: new Date('2026-11-26T12:35:00.000Z'),
    });
  });

  it.each([
    ['hour', '2026-11-25T12:00:00.000Z', '2026-11-26T13:00:00.000Z'],
    ['day', '2026-10-27T00:00:00.000Z', '2026-11-27T00:00:00.000Z'],
  ])('should default the %s range to its span before now', (interval, from, to) => {
    expect(engagementSummaryQuerySchema.parse({ interval })).toMatchObject({
      interval,
      from: new Date(from),
      to: new Date(to),
    });
  });

  it('should take from and to with offsets, dates and milliseconds, widening them to the interval', () => {
    expect(
      engagementSummaryQuerySchema.parse({
        from: '2026-11-26T13:30:15+02:00',
        to: '2026-11-26T12:00:00.001Z',
        interval: 'hour',
        group_by: 'country',
      }),
    ).toEqual({
      interval: 'hour',
      group_by: 'country',
      from: new Date('2026-11-26T11:00:00.000Z'),
      to: new Date('2026-11-26T13:00:00.000Z'),
    });
    expect(engagementSummaryQuerySchema.parse({ from: '2025-01-01', to: '2026-01-01', interval: 'day' })).toMatchObject(
      {
        from: new Date('2025-01-01T00:00:00.000Z'),
        to: new Date('2026-01-01T00:00:00.000Z'),
      },
    );
  });

  it('should keep a range already on period bounds as it is', () => {
    const query = engagementSummaryQuerySchema.parse({ from: '2026-11-26T10:00:00Z', to: '2026-11-26T11:00:00Z' });

    expect([query.from.toISOString(), query.to.toISOString()]).toEqual([
      '2026-11-26T10:00:00.000Z',
      '2026-11-26T11:00:00.000Z',
    ]);
  });

  it('should default from to the span before a given to', () => {
    expect(engagementSummaryQuerySchema.parse({ to: '2026-11-20T08:00:00Z' })).toMatchObject({
      from: new Date('2026-11-20T07:00:00.000Z'),
      to: new Date('2026-11-20T08:00:00.000Z'),
    });
  });

  it('should accept each interval’s longest range', () => {
    for (const [interval, rule] of Object.entries(ENGAGEMENT_INTERVAL_RULES)) {
      const to = Date.UTC(2026, 10, 26);
      const range = { from: new Date(to - rule.maxSpanMs).toISOString(), to: new Date(to).toISOString() };

      expect(problems({ ...range, interval }), interval).toEqual([]);
    }
  });

  it.each([
    [{ from: 'yesterday' }, 'from must be an ISO-8601 time such as 2026-11-26T12:00:00Z'],
    [{ from: '2026-11-26T12:00:00' }, 'from must be an ISO-8601 time such as 2026-11-26T12:00:00Z'],
    [{ to: '2026-02-30T00:00:00Z' }, 'to must be an ISO-8601 time such as 2026-11-26T12:00:00Z'],
    [
      { to: ['2026-11-26T00:00:00Z', '2026-11-27T00:00:00Z'] },
      'to must be an ISO-8601 time such as 2026-11-26T12:00:00Z',
    ],
    [{ from: '1969-12-31T00:00:00Z' }, 'from must be between 1970 and 2100'],
    [{ interval: 'week' }, 'interval must be one of minute, hour, day'],
    [{ group_by: 'browser' }, 'group_by must be one of device, os, country, event_type'],
    [{ group_by: 'device_type; DROP TABLE sessions' }, 'group_by must be one of device, os, country, event_type'],
    [{ from: '2026-11-26T12:00:00Z', to: '2026-11-26T12:00:00Z' }, 'from must be before to'],
    [{ from: '2026-11-26T13:00:00Z', to: '2026-11-26T12:00:00Z' }, 'from must be before to'],
    [{ from: '2026-11-27T00:00:00Z' }, 'from must be before to'],
    [
      { from: '2026-11-25T11:59:59Z', to: '2026-11-26T12:00:00Z' },
      'from and to must be at most 24 hours apart for interval=minute',
    ],
    [
      { from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:01Z', interval: 'hour' },
      'from and to must be at most 31 days apart for interval=hour',
    ],
    [
      { from: '2023-01-01', to: '2026-01-02', interval: 'day' },
      'from and to must be at most 1096 days (3 years) apart for interval=day',
    ],
  ])('should refuse %j with "%s"', (query, message) => {
    expect(problems(query)).toEqual([message]);
  });

  it('should report every malformed parameter together', () => {
    expect(problems({ from: 'x', to: 'y', interval: 'z' })).toEqual([
      'from must be an ISO-8601 time such as 2026-11-26T12:00:00Z',
      'to must be an ISO-8601 time such as 2026-11-26T12:00:00Z',
      'interval must be one of minute, hour, day',
    ]);
  });
});

describe(mapEngagementSummary.name, () => {
  const READ_AT = new Date('2025-06-01T12:02:03.000Z');
  const query = (overrides: Partial<EngagementSummaryQuery> = {}): EngagementSummaryQuery => ({
    interval: 'minute',
    group_by: null,
    from: new Date('2025-06-01T12:00:00.000Z'),
    to: new Date('2025-06-01T12:03:00.000Z'),
    ...overrides,
  });

  it('should join the rollups by period, with the session metrics of the sessions started', () => {
    const snapshot = mapEngagementSummary(
      query(),
      [
        engagementRow(),
        engagementRow({ period: '2025-06-01 12:01:00', event_count: 7, user_count: 3, session_count: 3 }),
      ],
      [sessionRollupRow({ bounces: '3', events: '20', sessions: '3', duration_ms: [1000, 5000, 9000] })],
      READ_AT,
    );

    expect(snapshot).toEqual({
      data: {
        interval: 'minute',
        group_by: null,
        from: '2025-06-01T12:00:00.000Z',
        to: '2025-06-01T12:03:00.000Z',
        points: [
          {
            period: '2025-06-01T12:00:00.000Z',
            group: null,
            active_users: 40,
            sessions: 45,
            events: 120,
            sessions_started: 3,
            session_duration_p50_ms: 1000,
            session_duration_p90_ms: 5000,
            bounce_rate: 1,
            events_per_session: 6.6667,
          },
          {
            period: '2025-06-01T12:01:00.000Z',
            group: null,
            active_users: 3,
            sessions: 3,
            events: 7,
            sessions_started: 0,
            session_duration_p50_ms: null,
            session_duration_p90_ms: null,
            bounce_rate: null,
            events_per_session: null,
          },
        ],
      },
      data_time: '2025-06-01T12:02:03.000Z',
      computed_at: '2025-06-01T12:02:03.000Z',
    });
  });

  it('should round durations to whole milliseconds and keep a period that has sessions but no events yet', () => {
    const { points } = mapEngagementSummary(
      query({ group_by: 'device' }),
      [engagementRow({ group_value: 'mobile' })],
      [
        sessionRollupRow({ group_value: 'mobile' }),
        sessionRollupRow({ group_value: 'desktop', sessions: '2', bounces: '1' }),
      ],
      READ_AT,
    ).data;

    expect(points.map((p) => [p.group, p.events, p.sessions_started, p.bounce_rate])).toEqual([
      ['desktop', 0, 2, 0.5],
      ['mobile', 120, 10, 0.4],
    ]);
    expect(points[1]).toMatchObject({
      session_duration_p50_ms: 30_000,
      session_duration_p90_ms: 240_001,
      events_per_session: 5,
    });
  });

  it('should order points by period, then by group, whatever order the rows came in', () => {
    const { points } = mapEngagementSummary(
      query({ group_by: 'country' }),
      [
        engagementRow({ period: '2025-06-01 12:01:00', group_value: 'DE' }),
        engagementRow({ group_value: 'FR' }),
        engagementRow({ group_value: '' }),
        engagementRow({ group_value: 'DE' }),
      ],
      [],
      READ_AT,
    ).data;

    expect(points.map((p) => [p.period.slice(11, 16), p.group])).toEqual([
      ['12:00', ''],
      ['12:00', 'DE'],
      ['12:00', 'FR'],
      ['12:01', 'DE'],
    ]);
  });

  it('should leave the session metrics null, not zero, when grouped by event type', () => {
    const { points } = mapEngagementSummary(
      query({ group_by: 'event_type' }),
      [engagementRow({ group_value: 'like' })],
      [],
      READ_AT,
    ).data;

    expect(points).toEqual([
      expect.objectContaining({
        group: 'like',
        events: 120,
        sessions_started: null,
        session_duration_p50_ms: null,
        bounce_rate: null,
        events_per_session: null,
      }),
    ]);
  });

  it('should answer no points, with the read time, for a range without data', () => {
    expect(mapEngagementSummary(query({ interval: 'day' }), [], [], READ_AT)).toMatchObject({
      data: { interval: 'day', points: [] },
      data_time: '2025-06-01T12:02:03.000Z',
    });
  });
});
