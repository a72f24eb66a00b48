import { describe, expect, it } from 'vitest';
import type { AdsCampaignsQuery } from '../dtos/ads-campaigns.dto';
import { ADS_GROUP_BYS, ADS_INTERVALS, type AdsPerformanceQuery } from '../dtos/ads-performance.dto';
import {
  AD_FACTS,
  AD_GROUP_COLUMNS,
  adsCampaignsStatement,
  adsPerformanceStatement,
  CANARY_CAMPAIGN,
  canaryAdsStatement,
  NOT_CANARY_CAMPAIGN,
} from './ads-queries';

const query = (overrides: Partial<AdsPerformanceQuery> = {}): AdsPerformanceQuery => ({
  interval: 'minute',
  group_by: [],
  campaign_id: null,
  ad_id: null,
  from: new Date('2026-11-26T11:00:00.000Z'),
  to: new Date('2026-11-26T12:35:00.000Z'),
  ...overrides,
});

/** Every {name:Type} placeholder of a statement. */
const placeholders = (sql: string) => [...sql.matchAll(/\{(\w+):[^}]+\}/g)].map(([, name]) => name).sort();

/** The dimension columns a statement names anywhere. */
const DIMENSIONS = ['device_type', 'os', 'country', 'age_band', 'gender'];
const dimensionsIn = (sql: string) => DIMENSIONS.filter((column) => new RegExp(`\\b${column}\\b`).test(sql));

/** The key lists of the inner and the outer GROUP BY, in that order. */
const groupBys = (sql: string) => [...sql.matchAll(/GROUP BY ([^\n]+)/g)].map(([, keys]) => keys.trim());

describe(adsPerformanceStatement.name, () => {
  it.each(ADS_INTERVALS)('should read the %s facts with the range as parameters', (interval) => {
    const statement = adsPerformanceStatement(query({ interval }));

    expect(statement.query).toContain(`FROM ${AD_FACTS[interval]}\n`);
    expect(statement.query).not.toContain('2026');
    expect(statement.query_params).toEqual({ from: '2026-11-26 11:00:00', to: '2026-11-26 12:35:00' });
    expect(placeholders(statement.query)).toEqual(['from', 'to']);
  });

  it('should group by period alone outside and by period and currency inside, without group_by', () => {
    const { query: sql } = adsPerformanceStatement(query());

    expect(groupBys(sql)).toEqual(['period, currency', 'period']);
    expect(sql).toMatch(/ORDER BY period$/);
    expect(dimensionsIn(sql)).toEqual([]);
  });

  it.each(ADS_GROUP_BYS)('should group by the allow-listed column of group_by=%s, under its name', (groupBy) => {
    const { query: sql } = adsPerformanceStatement(query({ group_by: [groupBy] }));
    const column = AD_GROUP_COLUMNS[groupBy];

    expect(sql).toContain(
      column === groupBy ? `SELECT period, ${column}, ` : `SELECT period, ${column} AS ${groupBy}, `,
    );
    expect(groupBys(sql)).toEqual([
      groupBy === 'currency' ? 'period, currency' : `period, ${column}, currency`,
      `period, ${column}`,
    ]);
    expect(dimensionsIn(sql)).toEqual(DIMENSIONS.filter((d) => d === column));
  });

  it('should group by every dimension of group_by, and by no other column', () => {
    const { query: sql } = adsPerformanceStatement(query({ group_by: [...ADS_GROUP_BYS] }));

    expect(groupBys(sql)).toEqual([
      'period, device_type, os, country, age_band, gender, currency',
      'period, device_type, os, country, age_band, gender, currency',
    ]);
    expect(sql).toMatch(/ORDER BY period, device_type, os, country, age_band, gender, currency$/);
  });

  it('should merge the users reached in the point’s own GROUP BY, never summing them', () => {
    const { query: sql } = adsPerformanceStatement(query({ group_by: ['device'] }));

    expect(sql).toContain('uniqMergeState(users) AS users_state');
    expect(sql).toContain('uniqMerge(users_state) AS users_reached');
    expect(sql).not.toMatch(/sum\([^)]*users/);
  });

  it('should send money as text, one tuple per currency', () => {
    const { query: sql } = adsPerformanceStatement(query());

    expect(sql).toMatch(
      /groupArray\(\(currency, toString\(spend_sum\), toString\(revenue_sum\), toString\(unattributed_revenue_sum\),\s+conversions_sum\)\) AS money/,
    );
  });

  it('should bind the campaign and ad filters, never writing them into the SQL', () => {
    const campaign = "c'); DROP TABLE ad_performance_minute; --";
    const statement = adsPerformanceStatement(query({ campaign_id: campaign, ad_id: 'ad-7' }));

    expect(statement.query).not.toContain('DROP');
    expect(statement.query).toContain('AND campaign_id = {campaign_id:String} AND ad_id = {ad_id:String}');
    expect(statement.query_params).toEqual({
      from: '2026-11-26 11:00:00',
      to: '2026-11-26 12:35:00',
      campaign_id: campaign,
      ad_id: 'ad-7',
    });
    expect(placeholders(statement.query)).toEqual(['ad_id', 'campaign_id', 'from', 'to']);
  });

  it('should filter by an ad alone', () => {
    const statement = adsPerformanceStatement(query({ ad_id: 'ad-7' }));

    expect(placeholders(statement.query)).toEqual(['ad_id', 'from', 'to']);
    // No campaign filter: the only condition on campaigns is the one that leaves the canary's out.
    expect(statement.query.replace(NOT_CANARY_CAMPAIGN, '')).not.toContain('campaign_id');
  });
});

describe(adsCampaignsStatement.name, () => {
  const campaigns = (overrides: Partial<AdsCampaignsQuery> = {}): AdsCampaignsQuery => ({
    grain: 'hour',
    from: new Date('2026-11-25T13:00:00.000Z'),
    to: new Date('2026-11-26T13:00:00.000Z'),
    limit: 20,
    ...overrides,
  });

  it.each(ADS_INTERVALS)('should read the %s facts, the range and limit as parameters', (grain) => {
    const statement = adsCampaignsStatement(campaigns({ grain }));

    expect(statement.query).toContain(`FROM ${AD_FACTS[grain]}\n`);
    expect(statement.query).not.toContain('2026');
    expect(statement.query_params).toEqual({ from: '2026-11-25 13:00:00', to: '2026-11-26 13:00:00', limit: 20 });
    expect(placeholders(statement.query)).toEqual(['from', 'limit', 'to']);
  });

  it('should rank by spend within each currency, never across currencies', () => {
    const { query: sql } = adsCampaignsStatement(campaigns());

    expect(groupBys(sql)).toEqual(['campaign_id, currency']);
    expect(sql).toMatch(
      /ORDER BY currency, sum\(spend_micros\) DESC, campaign_id\s+LIMIT \{limit:UInt32\} BY currency$/,
    );
    expect(dimensionsIn(sql)).toEqual([]);
  });

  it('should send money as text', () => {
    const { query: sql } = adsCampaignsStatement(campaigns());

    expect(sql).toContain('toString(sum(spend_micros)) AS total_spend_micros');
    expect(sql).toContain('toString(sum(revenue_micros)) AS total_revenue_micros');
  });
});

describe('canary campaigns', () => {
  it("should leave the canary's campaigns out of every ads answer, whatever the filters", () => {
    expect(NOT_CANARY_CAMPAIGN).toBe("NOT startsWith(campaign_id, 'CANARY:')");
    for (const statement of [
      adsPerformanceStatement(query()),
      adsPerformanceStatement(query({ campaign_id: 'c-1', ad_id: 'a-1', group_by: ['device'] })),
      adsCampaignsStatement({ grain: 'day', from: new Date(0), to: new Date(86_400_000), limit: 5 }),
    ]) {
      expect(statement.query).toContain(`AND ${NOT_CANARY_CAMPAIGN}`);
    }
  });

  it("should read the canary campaigns' ads of the minute facts from the minute of `since` on", () => {
    const statement = canaryAdsStatement(new Date('2026-11-26T12:34:56.789Z'), 1000);

    expect(statement.name).toBe('ads_canary');
    expect(statement.query).toContain(`FROM ${AD_FACTS.minute}\n`);
    expect(statement.query).toContain(`WHERE period >= {since:DateTime('UTC')} AND ${CANARY_CAMPAIGN}`);
    expect(statement.query).not.toContain('2026');
    expect(statement.query_params).toEqual({ since: '2026-11-26 12:34:00', limit: 1000 });
    expect(placeholders(statement.query)).toEqual(['limit', 'since']);
  });
});
