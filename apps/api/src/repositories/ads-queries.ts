/**
 * The API's ads SQL, apart so that tests can run and EXPLAIN exactly what the API runs: each builder
 * returns the statement and its bound parameters. Values are always `{name:Type}` parameters; the only
 * request text that shapes the statement is interval (or the campaigns' grain) and group_by, and both
 * pass through the fixed maps below.
 */
import { CANARY_ID_PREFIX } from '@social-pulse/events';
import type { AdsCampaignsQuery } from '../dtos/ads-campaigns.dto';
import type { AdsGroupBy, AdsInterval, AdsPerformanceQuery } from '../dtos/ads-performance.dto';
import { clickhouseSeconds, floorTo, MINUTE_MS } from '../dtos/time-params';
import type { ClickHouseStatement } from './engagement-queries';

/** Each grain's fact table (clickhouse/migrations/0006_ad_performance.sql). */
export const AD_FACTS = {
  minute: 'ad_performance_minute',
  hour: 'ad_performance_hour',
  day: 'ad_performance_day',
} as const satisfies Record<AdsInterval, string>;

/**
 * The campaigns of real advertisers: the canary's (CANARY_ID_PREFIX and an id, which the collector
 * refuses from anyone else) are summed into the facts like any other, and every dashboard number
 * leaves them out. The facts are ordered by (period, campaign_id, …): a campaign condition prunes.
 */
export const NOT_CANARY_CAMPAIGN = `NOT startsWith(campaign_id, '${CANARY_ID_PREFIX}')`;

/** The canary's campaigns only (its route: canaryAdsStatement). */
export const CANARY_CAMPAIGN = `startsWith(campaign_id, '${CANARY_ID_PREFIX}')`;

/** The allow-list: a group_by value names one of these columns and nothing else. */
export const AD_GROUP_COLUMNS = {
  device: 'device_type',
  os: 'os',
  country: 'country',
  age_band: 'age_band',
  gender: 'gender',
  currency: 'currency',
} as const satisfies Record<AdsGroupBy, string>;

/** A column under its group_by name, which the row (and so the answer) carries. */
const named = (groupBy: AdsGroupBy) =>
  AD_GROUP_COLUMNS[groupBy] === groupBy ? groupBy : `${AD_GROUP_COLUMNS[groupBy]} AS ${groupBy}`;

/**
 * Per period and group: the counts over all currencies, the users reached merged from the same rows,
 * and the money per currency. The inner GROUP BY adds currency to the keys (sums, and the uniq states
 * merged into one state per key); the outer one drops it again, summing the counts, merging the states
 * (so users_reached is a uniq of the point's own rows, never a sum) and collecting one money tuple per
 * currency. Money leaves as text (toString): an Int64 never passes through a JSON number. Inner aliases
 * end in _sum so that no alias shadows a column. The period bounds prune partitions and the primary
 * key; campaign_id (and ad_id) narrow the key further.
 */
export function adsPerformanceStatement(query: AdsPerformanceQuery): ClickHouseStatement {
  const columns = query.group_by.map((groupBy) => AD_GROUP_COLUMNS[groupBy]);
  const outerKeys = ['period', ...columns].join(', ');
  const innerKeys = ['period', ...columns, ...(columns.includes('currency') ? [] : ['currency'])].join(', ');
  const filters = [
    NOT_CANARY_CAMPAIGN,
    ...(query.campaign_id === null ? [] : ['campaign_id = {campaign_id:String}']),
    ...(query.ad_id === null ? [] : ['ad_id = {ad_id:String}']),
  ];
  return {
    name: 'ads_performance',
    query: `
      SELECT period, ${query.group_by.map((groupBy) => `${named(groupBy)}, `).join('')}sum(impressions_sum) AS impressions,
             uniqMerge(users_state) AS users_reached, sum(clicks_sum) AS clicks,
             sum(attributed_clicks_sum) AS attributed_clicks, sum(conversions_sum) AS conversions,
             sum(unattributed_conversions_sum) AS unattributed_conversions,
             groupArray((currency, toString(spend_sum), toString(revenue_sum), toString(unattributed_revenue_sum),
                         conversions_sum)) AS money
      FROM (
        SELECT ${innerKeys}, sum(impressions) AS impressions_sum, uniqMergeState(users) AS users_state,
               sum(clicks) AS clicks_sum, sum(attributed_clicks) AS attributed_clicks_sum,
               sum(conversions) AS conversions_sum, sum(unattributed_conversions) AS unattributed_conversions_sum,
               sum(spend_micros) AS spend_sum, sum(revenue_micros) AS revenue_sum,
               sum(unattributed_revenue_micros) AS unattributed_revenue_sum
        FROM ${AD_FACTS[query.interval]}
        WHERE period >= {from:DateTime('UTC')} AND period < {to:DateTime('UTC')}${filters.map((f) => ` AND ${f}`).join('')}
        GROUP BY ${innerKeys}
      )
      GROUP BY ${outerKeys}
      ORDER BY ${outerKeys}`,
    query_params: {
      from: clickhouseSeconds(query.from),
      to: clickhouseSeconds(query.to),
      ...(query.campaign_id === null ? {} : { campaign_id: query.campaign_id }),
      ...(query.ad_id === null ? {} : { ad_id: query.ad_id }),
    },
  };
}

/**
 * The campaigns with the most spend per currency in [from, to) of one grain's facts: sums per
 * (campaign, currency), ordered by currency and spend (campaign id breaking ties), the first `limit`
 * of each currency (LIMIT BY: spends in different currencies are never ranked against each other).
 * Output aliases are total_* so that the ORDER BY's sum(spend_micros) reads the column, not an alias.
 */
export function adsCampaignsStatement(query: AdsCampaignsQuery): ClickHouseStatement {
  return {
    name: 'ads_campaigns',
    query: `
      SELECT campaign_id, currency, sum(impressions) AS total_impressions, sum(clicks) AS total_clicks,
             sum(conversions) AS total_conversions, toString(sum(spend_micros)) AS total_spend_micros,
             toString(sum(revenue_micros)) AS total_revenue_micros
      FROM ${AD_FACTS[query.grain]}
      WHERE period >= {from:DateTime('UTC')} AND period < {to:DateTime('UTC')} AND ${NOT_CANARY_CAMPAIGN}
      GROUP BY campaign_id, currency
      ORDER BY currency, sum(spend_micros) DESC, campaign_id
      LIMIT {limit:UInt32} BY currency`,
    query_params: { from: clickhouseSeconds(query.from), to: clickhouseSeconds(query.to), limit: query.limit },
  };
}

/**
 * The canary campaigns' ads in the minute facts from the minute of `since` on, newest first, their
 * impressions summed per minute: the facts the dashboard's ad queries read, the campaign filter
 * reversed. An ad shows once the job emitted its change (the next flush) and its sink committed it
 * (the next checkpoint), and the minute view summed it.
 */
export function canaryAdsStatement(since: Date, limit: number): ClickHouseStatement {
  return {
    name: 'ads_canary',
    query: `
      SELECT period, campaign_id, ad_id, sum(impressions) AS impressions
      FROM ${AD_FACTS.minute}
      WHERE period >= {since:DateTime('UTC')} AND ${CANARY_CAMPAIGN}
      GROUP BY period, campaign_id, ad_id
      ORDER BY period DESC, campaign_id, ad_id
      LIMIT {limit:UInt32}`,
    query_params: { since: clickhouseSeconds(new Date(floorTo(since.getTime(), MINUTE_MS))), limit },
  };
}
