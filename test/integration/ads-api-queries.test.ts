import { adsCampaignsStatement, adsPerformanceStatement } from '@social-pulse/api/ads-queries';
import { mapAdsCampaigns, type AdsCampaignsQuery } from '@social-pulse/api/ads-campaigns-dto';
import { mapAdsPerformance, type AdsPerformanceQuery } from '@social-pulse/api/ads-performance-dto';
import { ClickHouseRepository } from '@social-pulse/api/clickhouse-repository';
import { loadApiConfig } from '@social-pulse/api/config';
import type { ClickHouseStatement } from '@social-pulse/api/engagement-queries';
import { MIGRATIONS_DIR, createClickHouse, migrate, readMigrations } from '@social-pulse/clickhouse';
import { explainedReads, platform } from '@social-pulse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The project's migrations in a database of this test's own, filled through the real ingestion path
 * (change rows into ad_performance_changes, whose views keep the minute, hour and day facts), read by
 * the API's own repository and mapped as the API answers: exact sums after negative restatements,
 * users reached merged (never summed) per point, money per currency and exact past 2^53, ratios with
 * null for a zero denominator, and every statement reading fewer parts and granules than its table
 * holds (EXPLAIN indexes = 1).
 */
describe('ads API queries', () => {
  const database = `ads_api_${Date.now()}`;
  const admin = createClickHouse({ url: platform.clickhouseUrl });
  const client = createClickHouse({ url: platform.clickhouseUrl, database });
  const databaseUrl = new URL(platform.clickhouseUrl);
  databaseUrl.pathname = `/${database}`;
  const repository = new ClickHouseRepository(loadApiConfig({ CLICKHOUSE_URL: databaseUrl.toString() }));

  const MINUTE = 60_000;
  const HOUR = 60 * MINUTE;
  const DAY = 24 * HOUR;
  // Times relative to now, within each fact table's TTL (minutes 35 days, hours 400, days 5 years):
  // the recent hour H holds the minute detail; earlier days one row set at noon; 40 days ago another
  // month; 500 days ago (another year) only the day facts keep.
  const NOW = Date.now();
  const TODAY = Math.floor(NOW / DAY) * DAY;
  const H = Math.floor(NOW / HOUR) * HOUR - 2 * HOUR;
  const noonOf = (daysAgo: number) => TODAY - daysAgo * DAY + 12 * HOUR;
  const YEARS_AGO = TODAY - 500 * DAY;
  const text = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
  const seconds = (ms: number) => text(ms).slice(0, 19);
  const iso = (ms: number) => new Date(ms).toISOString();

  type Segment = Record<'device_type' | 'os' | 'country' | 'age_band' | 'gender', string>;
  const MOBILE_DE: Segment = { device_type: 'mobile', os: 'ios', country: 'DE', age_band: '25-34', gender: 'female' };
  const DESKTOP_FR: Segment = { device_type: 'desktop', os: 'linux', country: 'FR', age_band: '35-44', gender: 'male' };
  const UNKNOWN: Segment = {
    device_type: 'unknown',
    os: 'unknown',
    country: 'unknown',
    age_band: 'unknown',
    gender: 'unknown',
  };

  interface Measures {
    impressions?: number;
    clicks?: number;
    attributed_clicks?: number;
    conversions?: number;
    unattributed_conversions?: number;
    /** Strings for amounts past 2^53, which JSONEachRow reads into Int64 exactly. */
    spend_micros?: number | string;
    revenue_micros?: number | string;
    unattributed_revenue_micros?: number | string;
    reached?: string[];
  }
  const change = (
    minute: number,
    campaign: string,
    ad: string,
    segment: Segment,
    currency: string,
    measures: Measures,
  ) => ({
    minute: seconds(minute),
    campaign_id: campaign,
    ad_id: ad,
    ...segment,
    currency,
    impressions: 0,
    clicks: 0,
    attributed_clicks: 0,
    conversions: 0,
    unattributed_conversions: 0,
    spend_micros: 0,
    revenue_micros: 0,
    unattributed_revenue_micros: 0,
    reached: [],
    changed_at: text(NOW),
    ...measures,
  });

  // Hour H, as the job writes it: a first change set for minutes H and H+1, then restatements. c1's
  // mobile segment spends USD, its desktop segment EUR; c2 (ad a3) has impressions without money
  // ('unknown' currency) and an unattributed conversion in GBP. u1 is reached by both campaigns.
  const M0 = H;
  const M1 = H + MINUTE;
  const recentChanges = [
    [
      change(M0, 'c1', 'a1', MOBILE_DE, 'USD', {
        impressions: 100,
        reached: ['u1', 'u2', 'u3'],
        clicks: 10,
        attributed_clicks: 8,
        conversions: 2,
        spend_micros: 5_000_000,
        revenue_micros: 8_000_000,
      }),
      change(M0, 'c1', 'a1', DESKTOP_FR, 'EUR', {
        impressions: 50,
        reached: ['u4', 'a:x'],
        clicks: 5,
        attributed_clicks: 5,
        conversions: 1,
        spend_micros: 2_000_000,
        revenue_micros: 6_000_000,
      }),
      change(M0, 'c2', 'a3', UNKNOWN, 'unknown', { impressions: 20, reached: ['u1', 'u5'] }),
      change(M0, 'c2', 'a3', UNKNOWN, 'GBP', { unattributed_conversions: 1, unattributed_revenue_micros: 2_500_000 }),
      // A conversion without a click yet, in its own minute.
      change(M1, 'c1', 'a1', MOBILE_DE, 'USD', {
        impressions: 30,
        reached: ['u1', 'u6'],
        clicks: 3,
        attributed_clicks: 3,
        spend_micros: 1_500_000,
        unattributed_conversions: 1,
        unattributed_revenue_micros: 4_000_000,
      }),
    ],
    [
      // Restated: the conversion of M1 is credited to its click in M0 (-1 there, +1 here), and 4
      // invalid impressions of M0 are taken back with their cost (a uniq state cannot take users back).
      change(M1, 'c1', 'a1', MOBILE_DE, 'USD', {
        unattributed_conversions: -1,
        unattributed_revenue_micros: -4_000_000,
      }),
      change(M0, 'c1', 'a1', MOBILE_DE, 'USD', { conversions: 1, revenue_micros: 4_000_000 }),
      change(M0, 'c1', 'a1', MOBILE_DE, 'USD', { impressions: -4, spend_micros: -200_000 }),
    ],
  ];

  // Earlier days at noon, each day its own insert; c4 and c5 compete with c1 for USD spend.
  const dailyChanges = [
    [
      change(noonOf(3), 'c1', 'a1', MOBILE_DE, 'USD', {
        impressions: 1000,
        reached: ['u1', 'u2'],
        clicks: 20,
        attributed_clicks: 20,
        conversions: 2,
        spend_micros: 3_000_000,
        revenue_micros: 9_000_000,
      }),
    ],
    [
      change(noonOf(2), 'c1', 'a1', MOBILE_DE, 'USD', {
        impressions: 1000,
        reached: ['u1', 'u7'],
        clicks: 20,
        attributed_clicks: 20,
        conversions: 1,
        spend_micros: 2_000_000,
        revenue_micros: 3_000_000,
      }),
      change(noonOf(2), 'c3', 'a5', DESKTOP_FR, 'EUR', {
        impressions: 500,
        reached: ['u8'],
        clicks: 5,
        attributed_clicks: 5,
        spend_micros: 7_000_000,
      }),
      change(noonOf(2), 'c4', 'a6', DESKTOP_FR, 'USD', {
        impressions: 2000,
        reached: ['u9'],
        clicks: 40,
        attributed_clicks: 40,
        conversions: 4,
        spend_micros: 10_000_000,
        revenue_micros: 30_000_000,
      }),
      change(noonOf(2), 'c5', 'a7', DESKTOP_FR, 'USD', {
        impressions: 100,
        reached: ['u1'],
        clicks: 1,
        attributed_clicks: 1,
        spend_micros: 500_000,
      }),
    ],
    [
      change(noonOf(1), 'c1', 'a1', MOBILE_DE, 'USD', {
        impressions: 1000,
        reached: ['u2'],
        clicks: 10,
        attributed_clicks: 10,
        spend_micros: 1_000_000,
      }),
    ],
    [change(noonOf(40), 'c1', 'a1', MOBILE_DE, 'USD', { impressions: 10, reached: ['u1'], spend_micros: 100_000 })],
    // After hour H, in its minute partition: a statement without its upper bound would read this part.
    [change(H + 90 * MINUTE, 'c1', 'a1', MOBILE_DE, 'USD', { impressions: 7, reached: ['u1'] })],
    // Past 2^53 micros (9 billion yen): exact through the sums and the answer.
    [
      change(YEARS_AGO + 12 * HOUR, 'c9', 'a9', UNKNOWN, 'JPY', {
        impressions: 1,
        reached: ['u1'],
        spend_micros: '9007199254740993',
        revenue_micros: '18014398509481986',
      }),
    ],
  ];

  // The canary's impressions (campaign CANARY: and its id, an ad per canary), in M0 with money and in
  // the current minute: summed into the facts like any other, in no answer but the canary's. If an
  // answer below counted them, its numbers would be off (M0's USD spend, the campaigns' list).
  const NOW_MINUTE = Math.floor(NOW / MINUTE) * MINUTE;
  const canaryChanges = [
    change(M0, 'CANARY:pulse-canary', 'canary-m0', MOBILE_DE, 'USD', {
      impressions: 1,
      reached: ['CANARY:pulse-canary'],
      spend_micros: 1_000_000,
    }),
    change(NOW_MINUTE, 'CANARY:pulse-canary', 'canary-now', UNKNOWN, 'unknown', {
      impressions: 1,
      reached: ['CANARY:pulse-canary'],
    }),
  ];

  const FACTS = ['ad_performance_minute', 'ad_performance_hour', 'ad_performance_day'];

  beforeAll(async () => {
    await admin.command({ query: `CREATE DATABASE ${database}` });
    await migrate(client, readMigrations(MIGRATIONS_DIR));
    // Parts stay as the inserts made them, so that what a statement should read is known (below).
    for (const table of FACTS) await client.command({ query: `SYSTEM STOP MERGES ${database}.${table}` });
    // One insert per batch: separate parts, as the job's commits make them. Inserting rows older than a
    // table's TTL is harmless: the views see every inserted block, and only the day facts are read there.
    for (const batch of [...recentChanges, ...dailyChanges, canaryChanges]) {
      await client.insert({ table: 'ad_performance_changes', values: batch, format: 'JSONEachRow' });
    }
  });
  afterAll(async () => {
    await admin.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    await Promise.all([admin.close(), client.close(), repository.onModuleDestroy()]);
  });

  const performance = (
    interval: AdsPerformanceQuery['interval'],
    from: number,
    to: number,
    options: Partial<Pick<AdsPerformanceQuery, 'group_by' | 'campaign_id' | 'ad_id'>> = {},
  ): AdsPerformanceQuery => ({
    interval,
    group_by: [],
    campaign_id: null,
    ad_id: null,
    ...options,
    from: new Date(from),
    to: new Date(to),
  });
  /** The points the API answers for a query: the repository's rows through the API's mapping. */
  const points = async (query: AdsPerformanceQuery) =>
    mapAdsPerformance(query, await repository.adsPerformance(query), new Date(NOW)).data.points;
  const campaigns = async (query: AdsCampaignsQuery) =>
    mapAdsCampaigns(query, await repository.adsCampaigns(query), new Date(NOW)).data.campaigns;

  const money = (
    currency: string,
    conversions: number,
    spend: string,
    revenue: string,
    unattributed: string,
    cpa: string | null,
    roas: number | null,
  ) => ({
    currency,
    conversions,
    spend_micros: spend,
    revenue_micros: revenue,
    unattributed_revenue_micros: unattributed,
    cpa_micros: cpa,
    roas,
  });

  describe('performance', () => {
    it('should sum each minute after its restatements, with users merged across segments and money per currency', async () => {
      // M0: 100 - 4 + 50 + 20 impressions; u1 reached in two segments counts once (6, not 7); the
      // restated conversion is attributed in M0 and no longer unattributed in M1. GBP has no spend (roas
      // null) and no conversions (cpa null); the 'unknown' currency holds no money and is left out.
      expect(await points(performance('minute', H, H + HOUR))).toEqual([
        {
          period: iso(M0),
          group: {},
          impressions: 166,
          users_reached: 6,
          clicks: 15,
          attributed_clicks: 13,
          unattributed_clicks: 2,
          conversions: 4,
          unattributed_conversions: 1,
          ctr: 0.090361,
          conversion_rate: 0.266667,
          money: [
            money('EUR', 1, '2000000', '6000000', '0', '2000000', 3),
            money('GBP', 0, '0', '0', '2500000', null, null),
            money('USD', 3, '4800000', '12000000', '0', '1600000', 2.5),
          ],
        },
        {
          period: iso(M1),
          group: {},
          impressions: 30,
          users_reached: 2,
          clicks: 3,
          attributed_clicks: 3,
          unattributed_clicks: 0,
          conversions: 0,
          unattributed_conversions: 0,
          ctr: 0.1,
          conversion_rate: 0,
          money: [money('USD', 0, '1500000', '0', '0', null, 0)],
        },
      ]);
    });

    it('should split the counts by currency too when grouped by it, null ratios where nothing divides', async () => {
      const rows = await points(performance('minute', H, H + HOUR, { group_by: ['currency'] }));

      expect(
        rows.map((p) => [p.period, p.group, p.impressions, p.users_reached, p.clicks, p.ctr, p.conversion_rate]),
      ).toEqual([
        [iso(M0), { currency: 'EUR' }, 50, 2, 5, 0.1, 0.2],
        [iso(M0), { currency: 'GBP' }, 0, 0, 0, null, null],
        [iso(M0), { currency: 'USD' }, 96, 3, 10, 0.104167, 0.3],
        [iso(M0), { currency: 'unknown' }, 20, 2, 0, 0, null],
        [iso(M1), { currency: 'USD' }, 30, 2, 3, 0.1, 0],
      ]);
      expect(rows.map((p) => p.money.map((m) => m.currency))).toEqual([['EUR'], ['GBP'], ['USD'], [], ['USD']]);
    });

    it('should break one campaign down by device and country, and filter by ad', async () => {
      const byDevice = await points(
        performance('minute', H, H + HOUR, { group_by: ['device', 'country'], campaign_id: 'c1' }),
      );
      const adA3 = await points(performance('minute', H, H + HOUR, { ad_id: 'a3' }));

      expect(byDevice.map((p) => [p.period, p.group, p.impressions, p.users_reached, p.conversions])).toEqual([
        [iso(M0), { device: 'desktop', country: 'FR' }, 50, 2, 1],
        [iso(M0), { device: 'mobile', country: 'DE' }, 96, 3, 3],
        [iso(M1), { device: 'mobile', country: 'DE' }, 30, 2, 0],
      ]);
      expect(adA3).toEqual([
        expect.objectContaining({
          period: iso(M0),
          impressions: 20,
          users_reached: 2,
          clicks: 0,
          ctr: 0,
          conversion_rate: null,
          unattributed_conversions: 1,
          money: [money('GBP', 0, '0', '0', '2500000', null, null)],
        }),
      ]);
      expect(await points(performance('minute', H, H + HOUR, { campaign_id: 'c1', ad_id: 'a3' }))).toEqual([]);
    });

    it('should answer the hour from the hour facts: the minutes summed, their users merged', async () => {
      expect(await points(performance('hour', H, H + HOUR))).toEqual([
        expect.objectContaining({
          period: iso(H),
          impressions: 196,
          users_reached: 7,
          clicks: 18,
          attributed_clicks: 16,
          conversions: 4,
          unattributed_conversions: 1,
          money: [
            money('EUR', 1, '2000000', '6000000', '0', '2000000', 3),
            money('GBP', 0, '0', '0', '2500000', null, null),
            money('USD', 3, '6300000', '12000000', '0', '2100000', 1.904762),
          ],
        }),
      ]);
    });

    it('should answer earlier days from the hour and day facts', async () => {
      const hours = await points(
        performance('hour', TODAY - 3 * DAY, TODAY - DAY + 13 * HOUR, { group_by: ['currency'] }),
      );
      const days = await points(performance('day', TODAY - 3 * DAY, TODAY - DAY, { group_by: [] }));

      expect(
        hours.map((p) => [p.period, p.group, p.impressions, p.users_reached, p.money.map((m) => m.spend_micros)]),
      ).toEqual([
        [iso(noonOf(3)), { currency: 'USD' }, 1000, 2, ['3000000']],
        [iso(noonOf(2)), { currency: 'EUR' }, 500, 1, ['7000000']],
        [iso(noonOf(2)), { currency: 'USD' }, 3100, 3, ['12500000']],
        [iso(noonOf(1)), { currency: 'USD' }, 1000, 1, ['1000000']],
      ]);
      expect(days).toEqual([
        expect.objectContaining({
          period: iso(TODAY - 3 * DAY),
          impressions: 1000,
          users_reached: 2,
          conversions: 2,
          money: [money('USD', 2, '3000000', '9000000', '0', '1500000', 3)],
        }),
        expect.objectContaining({
          period: iso(TODAY - 2 * DAY),
          impressions: 3600,
          users_reached: 4,
          clicks: 66,
          conversions: 5,
          conversion_rate: 0.075758,
          money: [
            money('EUR', 0, '7000000', '0', '0', null, 0),
            money('USD', 5, '12500000', '33000000', '0', '2500000', 2.64),
          ],
        }),
      ]);
    });

    it('should keep money past 2^53 exact from the day facts to the answer', async () => {
      const rows = await repository.adsPerformance(performance('day', YEARS_AGO, YEARS_AGO + DAY));

      expect(rows[0].money).toEqual([['JPY', '9007199254740993', '18014398509481986', '0', expect.anything()]]);
      expect((await points(performance('day', YEARS_AGO, YEARS_AGO + DAY)))[0].money).toEqual([
        money('JPY', 0, '9007199254740993', '18014398509481986', '0', null, 2),
      ]);
    });
  });

  describe('campaigns', () => {
    it('should rank the minutes’ campaigns per currency, with their sums and ratios', async () => {
      expect(await campaigns({ grain: 'minute', from: new Date(H), to: new Date(H + HOUR), limit: 20 })).toEqual([
        {
          rank: 1,
          campaign_id: 'c1',
          currency: 'EUR',
          impressions: 50,
          clicks: 5,
          conversions: 1,
          spend_micros: '2000000',
          revenue_micros: '6000000',
          ctr: 0.1,
          cpa_micros: '2000000',
          roas: 3,
        },
        {
          rank: 1,
          campaign_id: 'c2',
          currency: 'GBP',
          impressions: 0,
          clicks: 0,
          conversions: 0,
          spend_micros: '0',
          revenue_micros: '0',
          ctr: null,
          cpa_micros: null,
          roas: null,
        },
        {
          rank: 1,
          campaign_id: 'c1',
          currency: 'USD',
          impressions: 126,
          clicks: 13,
          conversions: 3,
          spend_micros: '6300000',
          revenue_micros: '12000000',
          ctr: 0.103175,
          cpa_micros: '2100000',
          roas: 1.904762,
        },
        expect.objectContaining({
          rank: 1,
          campaign_id: 'c2',
          currency: 'unknown',
          impressions: 20,
          ctr: 0,
          roas: null,
        }),
      ]);
    });

    it('should answer the first limit campaigns by spend of each currency from the hours', async () => {
      const top = await campaigns({
        grain: 'hour',
        from: new Date(TODAY - 3 * DAY),
        to: new Date(TODAY - DAY + 13 * HOUR),
        limit: 2,
      });

      expect(top.map((c) => [c.currency, c.rank, c.campaign_id, c.spend_micros, c.conversions, c.cpa_micros])).toEqual([
        ['EUR', 1, 'c3', '7000000', 0, null],
        ['USD', 1, 'c4', '10000000', 4, '2500000'],
        ['USD', 2, 'c1', '6000000', 3, '2000000'],
      ]);
    });

    it('should read years ago from the day facts, exact past 2^53', async () => {
      expect(
        await campaigns({
          grain: 'day',
          from: new Date(YEARS_AGO - 10 * DAY),
          to: new Date(YEARS_AGO + 30 * DAY),
          limit: 20,
        }),
      ).toEqual([
        expect.objectContaining({
          campaign_id: 'c9',
          currency: 'JPY',
          spend_micros: '9007199254740993',
          revenue_micros: '18014398509481986',
          roas: 2,
        }),
      ]);
    });
  });

  describe('canary', () => {
    it("should list the canary campaigns' ads of the last minutes, and only them", async () => {
      const rows = await repository.latestCanaryAds(1000);

      expect(rows.map((r) => [r.period, r.campaign_id, r.ad_id, Number(r.impressions)])).toEqual([
        [seconds(NOW_MINUTE), 'CANARY:pulse-canary', 'canary-now', 1],
      ]);
    });
  });

  describe('partition pruning', () => {
    const recent = (options: Parameters<typeof performance>[3] = {}) => performance('minute', H, H + HOUR, options);
    const earlierHours = () =>
      performance('hour', TODAY - 3 * DAY, TODAY - DAY + 13 * HOUR, { group_by: ['currency'] });
    const allGroups = ['device', 'os', 'country', 'age_band', 'gender', 'currency'] as const;
    // [name, statement, the one table it reads]
    const statements: [string, ClickHouseStatement, string][] = [
      [
        'performance minute, by device and country, one campaign',
        adsPerformanceStatement(recent({ group_by: ['device', 'country'], campaign_id: 'c1' })),
        'ad_performance_minute',
      ],
      ['performance minute, one ad', adsPerformanceStatement(recent({ ad_id: 'a3' })), 'ad_performance_minute'],
      ['performance hour, by currency', adsPerformanceStatement(earlierHours()), 'ad_performance_hour'],
      [
        'performance day, by everything',
        adsPerformanceStatement(performance('day', TODAY - 3 * DAY, TODAY - DAY, { group_by: [...allGroups] })),
        'ad_performance_day',
      ],
      [
        'campaigns minute',
        adsCampaignsStatement({ grain: 'minute', from: new Date(H), to: new Date(H + HOUR), limit: 20 }),
        'ad_performance_minute',
      ],
      [
        'campaigns hour',
        adsCampaignsStatement({ grain: 'hour', from: new Date(TODAY - 3 * DAY), to: new Date(TODAY - DAY), limit: 20 }),
        'ad_performance_hour',
      ],
      [
        'campaigns day',
        adsCampaignsStatement({
          grain: 'day',
          from: new Date(YEARS_AGO - 10 * DAY),
          to: new Date(YEARS_AGO + 30 * DAY),
          limit: 20,
        }),
        'ad_performance_day',
      ],
    ];

    /** The active parts of a table whose periods overlap [from, to): what a statement must read, and no more. */
    const partsOverlapping = async (table: string, params: ClickHouseStatement['query_params']) => {
      const result = await client.query({
        query: `SELECT count() AS parts FROM system.parts
                WHERE database = {database:String} AND table = {table:String} AND active
                  AND max_time >= {from:DateTime('UTC')} AND min_time < {to:DateTime('UTC')}`,
        query_params: { database, table, from: params.from, to: params.to },
        format: 'JSONEachRow',
      });
      return Number((await result.json<{ parts: string | number }>())[0].parts);
    };

    it.each(statements)('should read only the parts of its range: %s', async (_, statement, table) => {
      const explain = await (
        await client.query({ ...statement, query: `EXPLAIN indexes = 1 ${statement.query}`, format: 'TabSeparatedRaw' })
      ).text();
      const reads = explainedReads(explain);

      expect(
        reads.map((r) => `${r.database}.${r.table}`),
        explain,
      ).toEqual([`${database}.${table}`]);
      const [{ total, byTimeRange, selected }] = reads;
      if (!total || !byTimeRange || !selected) throw new Error(`${table} was not pruned by its time range\n${explain}`);
      expect(total.parts, `${table} should hold several parts\n${explain}`).toBeGreaterThan(1);
      // Both bounds prune: exactly the parts whose periods overlap the range, then the key may drop more.
      expect(byTimeRange.parts, `${table} parts\n${explain}`).toBe(
        await partsOverlapping(table, statement.query_params),
      );
      expect(selected.parts, `${table} parts\n${explain}`).toBeLessThanOrEqual(byTimeRange.parts);
      expect(selected.parts, `${table} parts\n${explain}`).toBeLessThan(total.parts);
      expect(selected.granules, `${table} granules\n${explain}`).toBeGreaterThan(0);
      expect(selected.granules, `${table} granules\n${explain}`).toBeLessThan(total.granules);
    });
  });
});
