import { ApiProperty } from '@nestjs/swagger';
import type { AnswerSnapshot } from '@social-pulse/shared';
import { z } from 'zod';
import { adIdParam, countOf, microsOf, microsPer, ratioOf, type Int64Json } from './ads-measures';
import { AnswerEnvelopeDto } from './answer-envelope.dto';
import {
  ceilTo,
  DAY_MS,
  floorTo,
  HOUR_MS,
  isoFromClickHouse as iso,
  isoTimeParam,
  MINUTE_MS,
  rangeProblem,
  type IntervalRule,
} from './time-params';

export const ADS_INTERVALS = ['minute', 'hour', 'day'] as const;
export type AdsInterval = (typeof ADS_INTERVALS)[number];

/** What a series may be broken down by, in the order answers list them; each maps to one fixed column (repositories/ads-queries.ts). */
export const ADS_GROUP_BYS = ['device', 'os', 'country', 'age_band', 'gender', 'currency'] as const;
export type AdsGroupBy = (typeof ADS_GROUP_BYS)[number];

export interface AdsIntervalRule extends IntervalRule {
  /** How long the interval's fact table keeps a period (clickhouse/migrations/0006_ad_performance.sql). */
  keptMs: number;
  kept: string;
}

/**
 * Per interval, as the engagement series: minutes for the live dashboard (the last hour by default, a
 * day at most: 1,440 points per group), hours for a month (744), days for the day facts' five years
 * (1,827). Minutes are kept 35 days and hours 400: older periods answer no points. A minute answer is
 * cached 1 s, an hour answer 30 s, a day answer 60 s: what a chart at that resolution can lag. The
 * minute's second keeps an impression, click or conversion visible within 5 s (the job's flush and
 * checkpoint take most of that; bench/ads-latency.bench.ts).
 */
export const ADS_INTERVAL_RULES: Record<AdsInterval, AdsIntervalRule> = {
  minute: {
    periodMs: MINUTE_MS,
    defaultSpanMs: HOUR_MS,
    maxSpanMs: DAY_MS,
    maxSpan: '24 hours',
    cacheTtlSeconds: 1,
    keptMs: 35 * DAY_MS,
    kept: '35 days',
  },
  hour: {
    periodMs: HOUR_MS,
    defaultSpanMs: DAY_MS,
    maxSpanMs: 31 * DAY_MS,
    maxSpan: '31 days',
    cacheTtlSeconds: 30,
    keptMs: 400 * DAY_MS,
    kept: '400 days',
  },
  day: {
    periodMs: DAY_MS,
    defaultSpanMs: 30 * DAY_MS,
    maxSpanMs: 1827 * DAY_MS,
    maxSpan: '1827 days (5 years)',
    cacheTtlSeconds: 60,
    keptMs: 1827 * DAY_MS,
    kept: '5 years',
  },
};

const GROUP_BY_LIST = ADS_GROUP_BYS.join(', ');
const isGroupBy = (value: string): value is AdsGroupBy => (ADS_GROUP_BYS as readonly string[]).includes(value);

/**
 * group_by as a comma-separated list of zero or more dimensions. An unknown name or one named twice is
 * refused (a repeat is a client's mistake, not a second breakdown); the list comes back in the
 * canonical order, so `os,device` and `device,os` are one request, one cache key and one SQL text.
 */
const groupByParam = z
  .string({ error: `group_by must be one comma-separated list of ${GROUP_BY_LIST}` })
  .transform((value, ctx) => {
    const names = value === '' ? [] : value.split(',').map((name) => name.trim());
    for (const [i, name] of names.entries()) {
      if (!isGroupBy(name)) {
        ctx.addIssue({ code: 'custom', message: `group_by must list only ${GROUP_BY_LIST} (not "${name}")` });
        return z.NEVER;
      }
      if (names.indexOf(name) !== i) {
        ctx.addIssue({ code: 'custom', message: `group_by names ${name} more than once` });
        return z.NEVER;
      }
    }
    return ADS_GROUP_BYS.filter((name) => names.includes(name));
  })
  .optional();

/**
 * GET /v1/ads/performance's parameters. `to` defaults to now and `from` to the interval's default span
 * before it; the range is then widened to whole periods (from down, to up), as the engagement summary's.
 */
export const adsPerformanceQuerySchema = z
  .object({
    from: isoTimeParam('from'),
    to: isoTimeParam('to'),
    interval: z.enum(ADS_INTERVALS, { error: `interval must be one of ${ADS_INTERVALS.join(', ')}` }).default('minute'),
    group_by: groupByParam,
    campaign_id: adIdParam('campaign_id'),
    ad_id: adIdParam('ad_id'),
  })
  .transform((query, ctx) => {
    const rule = ADS_INTERVAL_RULES[query.interval];
    const to = query.to ?? Date.now();
    const from = query.from ?? Math.max(0, to - rule.defaultSpanMs);
    const problem = rangeProblem({ from, to, ...rule, context: `for interval=${query.interval}` });
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return {
      interval: query.interval,
      group_by: query.group_by ?? [],
      campaign_id: query.campaign_id ?? null,
      ad_id: query.ad_id ?? null,
      from: new Date(floorTo(from, rule.periodMs)),
      to: new Date(ceilTo(to, rule.periodMs)),
    };
  });

export type AdsPerformanceQuery = z.infer<typeof adsPerformanceQuerySchema>;

/**
 * One currency's money in a point, as the query sends it: currency, spend, revenue and unattributed
 * revenue as decimal text (toString of the Int64 sums), and the conversions recorded in that currency.
 */
export type AdsMoneyTuple = [
  currency: string,
  spend_micros: Int64Json,
  revenue_micros: Int64Json,
  unattributed_revenue_micros: Int64Json,
  conversions: Int64Json,
];

/** One row of the performance query: a period and group, its counts over all currencies, its money per currency. */
export interface AdsPerformanceRow extends Partial<Record<AdsGroupBy, string>> {
  period: string;
  impressions: Int64Json;
  users_reached: Int64Json;
  clicks: Int64Json;
  attributed_clicks: Int64Json;
  conversions: Int64Json;
  unattributed_conversions: Int64Json;
  money: AdsMoneyTuple[];
}

export class AdsGroupDto {
  @ApiProperty({ required: false, description: 'Device type from the user agent' }) device?: string;
  @ApiProperty({ required: false }) os?: string;
  @ApiProperty({ required: false, description: 'ISO 3166-1 alpha-2' }) country?: string;
  @ApiProperty({ required: false, description: 'From the profile valid at the event' }) age_band?: string;
  @ApiProperty({ required: false, description: 'From the profile valid at the event' }) gender?: string;
  @ApiProperty({ required: false, description: 'ISO 4217 currency of the rows' }) currency?: string;
}

export class AdsMoneyDto {
  @ApiProperty({ description: "ISO 4217, or 'unknown' for money recorded without a currency" }) currency!: string;
  @ApiProperty({ description: 'Attributed conversions recorded in this currency (the denominator of cpa_micros)' })
  conversions!: number;
  @ApiProperty({ description: 'Spend in integer micros of the currency, as a decimal string (exact beyond 2^53)' })
  spend_micros!: string;
  @ApiProperty({ description: 'Revenue of attributed conversions, integer micros as a decimal string' })
  revenue_micros!: string;
  @ApiProperty({ description: 'Revenue of conversions without a click, integer micros as a decimal string' })
  unattributed_revenue_micros!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Cost per acquisition: spend / conversions, in whole micros as a decimal string; null without conversions',
  })
  cpa_micros!: string | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Return on ad spend: revenue / spend (6 decimals); null without spend',
  })
  roas!: number | null;
}

export class AdsPointDto {
  @ApiProperty({ description: 'Start of the period (ISO-8601, UTC)' }) period!: string;
  @ApiProperty({
    type: AdsGroupDto,
    description: "This series' value of each group_by dimension ('unknown' when unknown); {} without group_by",
  })
  group!: AdsGroupDto;
  @ApiProperty() impressions!: number;
  @ApiProperty({
    description:
      'Distinct visitors (user id, else anonymous id) with an impression: merged uniq states of this point, ' +
      'never a sum of other points (approximate beyond about 65,000)',
  })
  users_reached!: number;
  @ApiProperty({ description: 'All clicks' }) clicks!: number;
  @ApiProperty({ description: 'Clicks matched to an impression' }) attributed_clicks!: number;
  @ApiProperty({ description: 'clicks - attributed_clicks' }) unattributed_clicks!: number;
  @ApiProperty({ description: 'Conversions attributed to a click, in the click’s period and segment' })
  conversions!: number;
  @ApiProperty({ description: 'Conversions without a click, in their own period and segment' })
  unattributed_conversions!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'clicks / impressions (6 decimals); null without impressions',
  })
  ctr!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'conversions / clicks (6 decimals); null without clicks' })
  conversion_rate!: number | null;
  @ApiProperty({
    type: [AdsMoneyDto],
    description:
      'Money per currency, by currency: no sum ever mixes two. Currencies whose spend, revenue and conversions ' +
      "are all zero here are left out (such as 'unknown' on impressions that cost nothing).",
  })
  money!: AdsMoneyDto[];
}

export class AdsPerformanceDataDto {
  @ApiProperty({ enum: ADS_INTERVALS }) interval!: AdsInterval;
  @ApiProperty({ enum: ADS_GROUP_BYS, isArray: true, description: 'The breakdown, in canonical order' })
  group_by!: AdsGroupBy[];
  @ApiProperty({ type: String, nullable: true }) campaign_id!: string | null;
  @ApiProperty({ type: String, nullable: true }) ad_id!: string | null;
  @ApiProperty({ description: 'Start of the first period (ISO-8601, UTC): the request’s from, down to a period' })
  from!: string;
  @ApiProperty({ description: 'End of the last period, exclusive: the request’s to, up to a period' }) to!: string;
  @ApiProperty({
    type: [AdsPointDto],
    description: 'Oldest first, then by group (dimensions in group_by order); periods without rows are absent',
  })
  points!: AdsPointDto[];
}

/** GET /v1/ads/performance: data_time and computed_at are when ClickHouse was read. */
export class AdsPerformanceAnswerDto extends AnswerEnvelopeDto(AdsPerformanceDataDto) {}

export type AdsPerformanceSnapshot = AnswerSnapshot<AdsPerformanceDataDto>;

/** One currency's money; null when it says nothing (no spend, revenue or conversions in it). */
function moneyOf([currency, spend, revenue, unattributedRevenue, conversions]: AdsMoneyTuple): AdsMoneyDto | null {
  const money = {
    currency,
    conversions: countOf(conversions, 'conversions'),
    spend_micros: microsOf(spend, 'spend_micros'),
    revenue_micros: microsOf(revenue, 'revenue_micros'),
    unattributed_revenue_micros: microsOf(unattributedRevenue, 'unattributed_revenue_micros'),
  };
  const amounts = [money.spend_micros, money.revenue_micros, money.unattributed_revenue_micros];
  if (money.conversions === 0 && amounts.every((amount) => amount === '0')) return null;
  return {
    ...money,
    cpa_micros: microsPer(money.spend_micros, money.conversions),
    roas: ratioOf(BigInt(money.revenue_micros), BigInt(money.spend_micros)),
  };
}

/** A row to its point: counts over all currencies, the ratios divided from them, money per currency. */
export function mapAdsPoint(groupBy: readonly AdsGroupBy[], row: AdsPerformanceRow): AdsPointDto {
  const impressions = countOf(row.impressions, 'impressions');
  const clicks = countOf(row.clicks, 'clicks');
  const attributedClicks = countOf(row.attributed_clicks, 'attributed_clicks');
  const conversions = countOf(row.conversions, 'conversions');
  return {
    period: iso(row.period),
    group: Object.fromEntries(groupBy.map((name) => [name, row[name] ?? ''])),
    impressions,
    users_reached: countOf(row.users_reached, 'users_reached'),
    clicks,
    attributed_clicks: attributedClicks,
    unattributed_clicks: clicks - attributedClicks,
    conversions,
    unattributed_conversions: countOf(row.unattributed_conversions, 'unattributed_conversions'),
    ctr: ratioOf(clicks, impressions),
    conversion_rate: ratioOf(conversions, clicks),
    money: row.money
      .map(moneyOf)
      .filter((money): money is AdsMoneyDto => money !== null)
      .sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0)),
  };
}

/** The rows (ordered by period and group in SQL) to the cached snapshot. */
export function mapAdsPerformance(
  query: AdsPerformanceQuery,
  rows: AdsPerformanceRow[],
  readAt: Date,
): AdsPerformanceSnapshot {
  const readTime = readAt.toISOString();
  return {
    data: {
      interval: query.interval,
      group_by: query.group_by,
      campaign_id: query.campaign_id,
      ad_id: query.ad_id,
      from: query.from.toISOString(),
      to: query.to.toISOString(),
      points: rows.map((row) => mapAdsPoint(query.group_by, row)),
    },
    data_time: readTime,
    computed_at: readTime,
  };
}
