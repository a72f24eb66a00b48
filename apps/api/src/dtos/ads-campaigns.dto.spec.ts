import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { adsCampaignRow } from '../testing/ads.fixtures';
import { adsCampaignsQuerySchema, campaignsGrain, mapAdsCampaigns, type AdsCampaignsQuery } from './ads-campaigns.dto';

const NOW = new Date('2026-11-26T12:34:56.789Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const problems = (query: Record<string, unknown>) => {
  const result = adsCampaignsQuerySchema.safeParse(query);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
};

describe(campaignsGrain.name, () => {
  const now = NOW.getTime();

  it.each([
    ['minute', 'the last 15 minutes', now - 15 * 60_000, now],
    ['minute', '6 hours, 34 days ago', now - 34 * DAY, now - 34 * DAY + 6 * HOUR],
    ['hour', '6 hours and a minute', now - 6 * HOUR - 60_000, now],
    ['hour', 'an hour 36 days ago (minutes are kept 35)', now - 36 * DAY, now - 36 * DAY + HOUR],
    ['hour', '31 days', now - 31 * DAY, now],
    ['day', '31 days and an hour', now - 31 * DAY - HOUR, now],
    ['day', 'a day 401 days ago (hours are kept 400)', now - 401 * DAY, now - 400 * DAY],
  ])('should read %s facts for %s', (grain, _, from, to) => {
    expect(campaignsGrain(from, to, now)).toBe(grain);
  });
});

describe('adsCampaignsQuerySchema', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('should default to the 24 whole hours up to the current one, 20 campaigns per currency', () => {
    expect(adsCampaignsQuerySchema.parse({})).toEqual({
      grain: 'hour',
      from: new Date('2026-11-25T13:00:00.000Z'),
      to: new Date('2026-11-26T13:00:00.000Z'),
      limit: 20,
    });
  });

  it('should widen a short range to whole minutes and a long one to whole days', () => {
    expect(adsCampaignsQuerySchema.parse({ from: '2026-11-26T12:00:30Z', to: '2026-11-26T12:30:30Z' })).toEqual({
      grain: 'minute',
      from: new Date('2026-11-26T12:00:00.000Z'),
      to: new Date('2026-11-26T12:31:00.000Z'),
      limit: 20,
    });
    expect(adsCampaignsQuerySchema.parse({ from: '2026-01-01T06:00:00Z', limit: '100' })).toEqual({
      grain: 'day',
      from: new Date('2026-01-01T00:00:00.000Z'),
      to: new Date('2026-11-27T00:00:00.000Z'),
      limit: 100,
    });
  });

  it('should default from to 24 hours before a given to, in whole periods of its grain', () => {
    expect(adsCampaignsQuerySchema.parse({ to: '2026-11-20T10:30:00Z' })).toMatchObject({
      grain: 'hour',
      from: new Date('2026-11-19T11:00:00.000Z'),
      to: new Date('2026-11-20T11:00:00.000Z'),
    });
    // Over 400 days ago only the day facts keep it: the day of to.
    expect(adsCampaignsQuerySchema.parse({ to: '2024-06-01T10:30:00Z' })).toMatchObject({
      grain: 'day',
      from: new Date('2024-06-01T00:00:00.000Z'),
      to: new Date('2024-06-02T00:00:00.000Z'),
    });
  });

  it('should accept five years', () => {
    expect(problems({ from: '2021-11-26T00:00:00Z', to: '2026-11-27T00:00:00Z' })).toEqual([]);
  });

  it.each([
    [{ from: 'yesterday' }, 'from must be an ISO-8601 time such as 2026-11-26T12:00:00Z'],
    [{ limit: '0' }, 'limit must be at least 1'],
    [{ limit: '101' }, 'limit must be at most 100'],
    [{ limit: '2.5' }, 'limit must be a whole number'],
    [{ limit: 'ten' }, 'limit must be a number'],
    [{ from: '2026-11-26T12:00:00Z', to: '2026-11-26T11:00:00Z' }, 'from must be before to'],
    [{ from: '2021-01-01', to: '2026-01-03' }, 'from and to must be at most 1827 days (5 years) apart'],
  ])('should refuse %j with "%s"', (query, message) => {
    expect(problems(query)).toEqual([message]);
  });
});

describe(mapAdsCampaigns.name, () => {
  const READ_AT = new Date('2025-06-01T12:02:03.000Z');
  const query: AdsCampaignsQuery = {
    grain: 'hour',
    from: new Date('2025-05-31T13:00:00.000Z'),
    to: new Date('2025-06-01T13:00:00.000Z'),
    limit: 20,
  };

  it('should rank campaigns within their currency, with the ratios of their sums', () => {
    const snapshot = mapAdsCampaigns(
      query,
      [
        adsCampaignRow({ campaign_id: 'berlin', currency: 'EUR' }),
        adsCampaignRow(),
        adsCampaignRow({
          campaign_id: 'brand',
          total_impressions: '0',
          total_clicks: '0',
          total_conversions: '0',
          total_spend_micros: '0',
          total_revenue_micros: '0',
        }),
      ],
      READ_AT,
    );

    expect(snapshot).toEqual({
      data: {
        grain: 'hour',
        from: '2025-05-31T13:00:00.000Z',
        to: '2025-06-01T13:00:00.000Z',
        limit: 20,
        campaigns: [
          expect.objectContaining({ rank: 1, campaign_id: 'berlin', currency: 'EUR' }),
          {
            rank: 1,
            campaign_id: 'summer-sale',
            currency: 'USD',
            impressions: 20_000,
            clicks: 300,
            conversions: 12,
            spend_micros: '60000000',
            revenue_micros: '150000000',
            ctr: 0.015,
            cpa_micros: '5000000',
            roas: 2.5,
          },
          {
            rank: 2,
            campaign_id: 'brand',
            currency: 'USD',
            impressions: 0,
            clicks: 0,
            conversions: 0,
            spend_micros: '0',
            revenue_micros: '0',
            ctr: null,
            cpa_micros: null,
            roas: null,
          },
        ],
      },
      data_time: '2025-06-01T12:02:03.000Z',
      computed_at: '2025-06-01T12:02:03.000Z',
    });
  });
});
