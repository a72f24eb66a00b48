import { describe, expect, it } from 'vitest';
import {
  adsCampaignsKey,
  adsPerformanceKey,
  engagementSummaryKey,
  liveEngagementKey,
  userSessionsKey,
} from './redis.repository';

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

  it('should name an ads series by its interval, canonical groups, range and encoded filters', () => {
    const query = { interval: 'hour' as const, group_by: [], campaign_id: null, ad_id: null, ...range };

    expect(adsPerformanceKey(query)).toBe(
      'pulse:ads:v1:performance:hour:-:2026-11-26T11:00:00.000Z:2026-11-26T12:00:00.000Z::',
    );
    expect(adsPerformanceKey({ ...query, group_by: ['device', 'currency'], campaign_id: 'c:1', ad_id: 'a b' })).toBe(
      'pulse:ads:v1:performance:hour:device,currency:2026-11-26T11:00:00.000Z:2026-11-26T12:00:00.000Z:c%3A1:a%20b',
    );
  });

  it('should keep the two ads filters apart, whatever they hold', () => {
    const query = { interval: 'minute' as const, group_by: [], ...range };

    expect(adsPerformanceKey({ ...query, campaign_id: 'x', ad_id: null })).not.toBe(
      adsPerformanceKey({ ...query, campaign_id: null, ad_id: 'x' }),
    );
    expect(adsPerformanceKey({ ...query, campaign_id: 'a:b', ad_id: null })).not.toBe(
      adsPerformanceKey({ ...query, campaign_id: 'a', ad_id: 'b' }),
    );
  });

  it('should name a campaigns list by its grain, range and limit', () => {
    expect(adsCampaignsKey({ grain: 'minute', limit: 20, ...range })).toBe(
      'pulse:ads:v1:campaigns:minute:2026-11-26T11:00:00.000Z:2026-11-26T12:00:00.000Z:20',
    );
  });
});
