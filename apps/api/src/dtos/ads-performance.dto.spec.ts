import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ADS_POINT, adsPerformanceRow } from '../testing/ads.fixtures';
import {
  ADS_INTERVAL_RULES,
  adsPerformanceQuerySchema,
  mapAdsPerformance,
  mapAdsPoint,
  type AdsPerformanceQuery,
} from './ads-performance.dto';

const NOW = new Date('2026-11-26T12:34:56.789Z');
const GROUP_BY_LIST = 'device, os, country, age_band, gender, currency';

const problems = (query: Record<string, unknown>) => {
  const result = adsPerformanceQuerySchema.safeParse(query);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
};

describe('adsPerformanceQuerySchema', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('should default to minutes over the last hour, widened to whole minutes, ungrouped and unfiltered', () => {
    expect(adsPerformanceQuerySchema.parse({})).toEqual({
      interval: 'minute',
      group_by: [],
      campaign_id: null,
      ad_id: null,
      from: new Date('2026-11-26T11:34:00.000Z'),
      to: new Date('2026-11-26T12:35:00.000Z'),
    });
  });

  it.each([
    ['hour', '2026-11-25T12:00:00.000Z', '2026-11-26T13:00:00.000Z'],
    ['day', '2026-10-27T00:00:00.000Z', '2026-11-27T00:00:00.000Z'],
  ])('should default the %s range to its span before now', (interval, from, to) => {
    expect(adsPerformanceQuerySchema.parse({ interval })).toMatchObject({
      interval,
      from: new Date(from),
      to: new Date(to),
    });
  });

  it('should take the filters and a breakdown, listing the breakdown in canonical order', () => {
    expect(
      adsPerformanceQuerySchema.parse({
        from: '2026-11-26T13:30:15+02:00',
        to: '2026-11-26T12:00:00.001Z',
        interval: 'hour',
        group_by: 'currency,gender, device,age_band,country,os',
        campaign_id: 'summer-sale',
        ad_id: "ad'; DROP TABLE x",
      }),
    ).toEqual({
      interval: 'hour',
      group_by: ['device', 'os', 'country', 'age_band', 'gender', 'currency'],
      campaign_id: 'summer-sale',
      ad_id: "ad'; DROP TABLE x",
      from: new Date('2026-11-26T11:00:00.000Z'),
      to: new Date('2026-11-26T13:00:00.000Z'),
    });
  });

  it('should read one spelling of a breakdown whatever the order, and an empty group_by as none', () => {
    expect(adsPerformanceQuerySchema.parse({ group_by: 'os,device' }).group_by).toEqual(['device', 'os']);
    expect(adsPerformanceQuerySchema.parse({ group_by: 'device,os' }).group_by).toEqual(['device', 'os']);
    expect(adsPerformanceQuerySchema.parse({ group_by: '' }).group_by).toEqual([]);
  });

  it('should accept each interval’s longest range', () => {
    for (const [interval, rule] of Object.entries(ADS_INTERVAL_RULES)) {
      const to = Date.UTC(2026, 10, 26);
      const range = { from: new Date(to - rule.maxSpanMs).toISOString(), to: new Date(to).toISOString() };

      expect(problems({ ...range, interval }), interval).toEqual([]);
    }
  });

  it.each([
    [{ from: 'yesterday' }, 'from must be an ISO-8601 time such as 2026-11-26T12:00:00Z'],
    [{ to: '2026-11-26T12:00:00' }, 'to must be an ISO-8601 time such as 2026-11-26T12:00:00Z'],
    [{ interval: 'week' }, 'interval must be one of minute, hour, day'],
    [{ group_by: 'browser' }, `group_by must list only ${GROUP_BY_LIST} (not "browser")`],
    [{ group_by: 'device,device_type' }, `group_by must list only ${GROUP_BY_LIST} (not "device_type")`],
    [{ group_by: 'device;DROP TABLE x' }, `group_by must list only ${GROUP_BY_LIST} (not "device;DROP TABLE x")`],
    [{ group_by: 'device,' }, `group_by must list only ${GROUP_BY_LIST} (not "")`],
    [{ group_by: 'os,device,os' }, 'group_by names os more than once'],
    [{ group_by: ['os', 'device'] }, `group_by must be one comma-separated list of ${GROUP_BY_LIST}`],
    [{ campaign_id: '' }, 'campaign_id must not be empty'],
    [{ ad_id: 'a'.repeat(129) }, 'ad_id must be at most 128 characters'],
    [{ from: '2026-11-26T12:00:00Z', to: '2026-11-26T12:00:00Z' }, 'from must be before to'],
    [
      { from: '2026-11-25T11:59:59Z', to: '2026-11-26T12:00:00Z' },
      'from and to must be at most 24 hours apart for interval=minute',
    ],
    [
      { from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:01Z', interval: 'hour' },
      'from and to must be at most 31 days apart for interval=hour',
    ],
    [
      { from: '2021-01-01', to: '2026-01-03', interval: 'day' },
      'from and to must be at most 1827 days (5 years) apart for interval=day',
    ],
  ])('should refuse %j with "%s"', (query, message) => {
    expect(problems(query)).toEqual([message]);
  });

  it('should report every malformed parameter together', () => {
    expect(problems({ from: 'x', interval: 'z', group_by: 'q', campaign_id: '' })).toEqual([
      'from must be an ISO-8601 time such as 2026-11-26T12:00:00Z',
      'interval must be one of minute, hour, day',
      `group_by must list only ${GROUP_BY_LIST} (not "q")`,
      'campaign_id must not be empty',
    ]);
  });
});

describe(mapAdsPoint.name, () => {
  it('should answer the counts, unattributed clicks, ratios of the summed counts and money per currency', () => {
    expect(mapAdsPoint([], adsPerformanceRow())).toEqual(ADS_POINT);
  });

  it('should answer null, not Infinity or 0, for every ratio whose denominator is 0', () => {
    const point = mapAdsPoint(
      [],
      adsPerformanceRow({
        impressions: '0',
        clicks: '0',
        attributed_clicks: '0',
        conversions: '2',
        money: [['USD', '0', '9000000', '0', '0']],
      }),
    );

    expect(point).toMatchObject({ ctr: null, conversion_rate: null, unattributed_clicks: 0 });
    expect(point.money).toEqual([expect.objectContaining({ currency: 'USD', cpa_micros: null, roas: null })]);
  });

  it('should answer 0, not null, for a ratio of nothing over something', () => {
    const point = mapAdsPoint([], adsPerformanceRow({ clicks: '0', attributed_clicks: '0', conversions: '0' }));

    expect(point).toMatchObject({ ctr: 0, conversion_rate: null });
  });

  it('should name the group by its dimensions in group_by order', () => {
    const point = mapAdsPoint(
      ['device', 'age_band', 'currency'],
      adsPerformanceRow({
        device: 'mobile',
        age_band: 'unknown',
        currency: 'USD',
        money: [['USD', '1', '2', '0', '1']],
      }),
    );

    expect(point.group).toEqual({ device: 'mobile', age_band: 'unknown', currency: 'USD' });
    expect(Object.keys(point.group)).toEqual(['device', 'age_band', 'currency']);
  });

  it('should leave out a currency with no money and no conversions, and keep one that only converted', () => {
    const point = mapAdsPoint(
      [],
      adsPerformanceRow({
        money: [
          ['unknown', '0', '0', '0', '0'],
          ['GBP', '0', '0', '0', '3'],
          ['USD', '0', '0', '-0', 0],
        ],
      }),
    );

    expect(point.money.map((m) => [m.currency, m.conversions, m.cpa_micros])).toEqual([['GBP', 3, '0']]);
  });

  it('should keep money past 2^53 exact and take counts sent as numbers', () => {
    const point = mapAdsPoint(
      [],
      adsPerformanceRow({ impressions: 10, clicks: 1, money: [['IDR', '90071992547409930', '0', '0', 10]] }),
    );

    expect(point.ctr).toBe(0.1);
    expect(point.money[0]).toMatchObject({ spend_micros: '90071992547409930', cpa_micros: '9007199254740993' });
  });
});

describe(mapAdsPerformance.name, () => {
  const READ_AT = new Date('2025-06-01T12:02:03.000Z');
  const query: AdsPerformanceQuery = {
    interval: 'minute',
    group_by: ['country'],
    campaign_id: 'summer-sale',
    ad_id: null,
    from: new Date('2025-06-01T12:00:00.000Z'),
    to: new Date('2025-06-01T12:03:00.000Z'),
  };

  it('should answer the request’s resolved parameters and one point per row, in the rows’ order', () => {
    const snapshot = mapAdsPerformance(
      query,
      [
        adsPerformanceRow({ country: 'DE' }),
        adsPerformanceRow({ country: 'FR' }),
        adsPerformanceRow({ period: '2025-06-01 12:01:00', country: 'DE' }),
      ],
      READ_AT,
    );

    expect(snapshot).toMatchObject({
      data: {
        interval: 'minute',
        group_by: ['country'],
        campaign_id: 'summer-sale',
        ad_id: null,
        from: '2025-06-01T12:00:00.000Z',
        to: '2025-06-01T12:03:00.000Z',
      },
      data_time: '2025-06-01T12:02:03.000Z',
      computed_at: '2025-06-01T12:02:03.000Z',
    });
    expect(snapshot.data.points.map((p) => [p.period.slice(11, 16), p.group])).toEqual([
      ['12:00', { country: 'DE' }],
      ['12:00', { country: 'FR' }],
      ['12:01', { country: 'DE' }],
    ]);
  });

  it('should answer no points, with the read time, for a range without data', () => {
    expect(mapAdsPerformance(query, [], READ_AT)).toMatchObject({
      data: { points: [] },
      data_time: '2025-06-01T12:02:03.000Z',
    });
  });
});
