import { describe, expect, it } from 'vitest';
import { engagementSummaryKey, liveEngagementKey, userSessionsKey } from './redis.repository';

const range = { from: new Date('2026-11-26T11:00:00.000Z'), to: new Date('2026-11-26T12:00:00.000Z') };

describe('answer keys', () => {
  it('should name a summary by its interval, group and resolved range', () => {
    expect(engagementSummaryKey({ interval: 'minute', group_by: null, ...range })).toBe(
      'pulse:engagement:v1:summary:minute:-:2026-11-26T11:00:00.000Z:2026-11-26T12:00:00.000Z',
    );
    expect(engagementSummaryKey({ interval: 'hour', group_by: 'os', ...range })).toBe(
      'pulse:engagement:v1:summary:hour:os:2026-11-26T11:00:00.000Z:2026-11-26T12:00:00.000Z',
    );
  });

  it('should have one live key', () => {
    expect(liveEngagementKey()).toBe('pulse:engagement:v1:live');
  });

  it('should put the user id last and encoded, so that no id can pass for another request', () => {
    expect(userSessionsKey({ user_id: 'a:x y', limit: 5, ...range })).toBe(
      'pulse:engagement:v1:user-sessions:2026-11-26T11:00:00.000Z:2026-11-26T12:00:00.000Z:5:a%3Ax%20y',
    );
    expect(userSessionsKey({ user_id: 'u:5', limit: 5, ...range })).not.toBe(
      userSessionsKey({ user_id: 'u', limit: 5, ...range }),
    );
  });
});
