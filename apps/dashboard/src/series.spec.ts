import { describe, expect, it } from 'vitest';
import { adsTotals, engagementBreakdown, periods } from './series';
import type { AdsPoint, EngagementPoint } from './types';

const engagementPoint = (fields: Partial<EngagementPoint>): EngagementPoint => ({
  period: '2026-11-27T12:00:00.000Z',
  group: null,
  active_users: 0,
  sessions: 0,
  events: 0,
  sessions_started: 0,
  session_duration_p50_ms: null,
  session_duration_p90_ms: null,
  bounce_rate: null,
  events_per_session: null,
  ...fields,
});

const adsPoint = (fields: Partial<AdsPoint>): AdsPoint => ({
  period: '2026-11-27T12:00:00.000Z',
  group: {},
  impressions: 0,
  users_reached: 0,
  clicks: 0,
  attributed_clicks: 0,
  unattributed_clicks: 0,
  conversions: 0,
  unattributed_conversions: 0,
  ctr: null,
  conversion_rate: null,
  money: [],
  ...fields,
});

describe('series', () => {
  describe(periods.name, () => {
    it('should list every period up to now, with the answer’s point or none', () => {
      const point = { period: '2026-11-27T12:01:00.000Z', value: 7 };

      const { times, points } = periods(
        '2026-11-27T12:00:00.000Z',
        '2026-11-27T12:05:00.000Z',
        60,
        [point],
        Date.parse('2026-11-27T12:02:30.000Z'),
      );

      expect(times.map((t) => new Date(t * 1000).toISOString())).toEqual([
        '2026-11-27T12:00:00.000Z',
        '2026-11-27T12:01:00.000Z',
        '2026-11-27T12:02:00.000Z',
      ]);
      expect(points).toEqual([undefined, point, undefined]);
    });
  });

  describe(engagementBreakdown.name, () => {
    it('should add sessions across periods and divide the rates again from the sums', () => {
      const rows = engagementBreakdown([
        engagementPoint({ group: 'mobile', sessions_started: 10, bounce_rate: 0.5, events_per_session: 2 }),
        engagementPoint({ group: 'mobile', sessions_started: 30, bounce_rate: 0.1, events_per_session: 6 }),
        engagementPoint({ group: 'desktop', sessions_started: 10, bounce_rate: 0, events_per_session: 4 }),
        engagementPoint({ group: '', sessions_started: 0 }),
      ]);

      expect(rows).toEqual([
        { group: 'mobile', sessions: 40, share: 0.8, bounceRate: 8 / 40, eventsPerSession: 200 / 40 },
        { group: 'desktop', sessions: 10, share: 0.2, bounceRate: 0, eventsPerSession: 4 },
        { group: 'unknown', sessions: 0, share: 0, bounceRate: null, eventsPerSession: null },
      ]);
    });
  });

  describe(adsTotals.name, () => {
    it('should divide CTR and ROAS from the sums, and keep each currency’s money apart, exactly', () => {
      const totals = adsTotals([
        adsPoint({
          impressions: 100,
          clicks: 1,
          conversions: 1,
          money: [
            {
              currency: 'USD',
              conversions: 1,
              spend_micros: '9007199254740993',
              revenue_micros: '0',
              unattributed_revenue_micros: '0',
              cpa_micros: null,
              roas: 0,
            },
          ],
        }),
        adsPoint({
          impressions: 300,
          clicks: 7,
          money: [
            {
              currency: 'EUR',
              conversions: 0,
              spend_micros: '2000000',
              revenue_micros: '5000000',
              unattributed_revenue_micros: '0',
              cpa_micros: null,
              roas: 2.5,
            },
            {
              currency: 'USD',
              conversions: 0,
              spend_micros: '1',
              revenue_micros: '0',
              unattributed_revenue_micros: '0',
              cpa_micros: null,
              roas: 0,
            },
          ],
        }),
      ]);

      expect(totals.ctr).toBe(8 / 400);
      expect(totals.conversionRate).toBe(1 / 8);
      expect(totals.money).toEqual([
        { currency: 'EUR', spendMicros: '2000000', revenueMicros: '5000000', conversions: 0, roas: 2.5 },
        { currency: 'USD', spendMicros: '9007199254740994', revenueMicros: '0', conversions: 1, roas: 0 },
      ]);
    });

    it('should leave ratios without a denominator empty', () => {
      expect(adsTotals([])).toMatchObject({ ctr: null, conversionRate: null, money: [] });
    });
  });
});
