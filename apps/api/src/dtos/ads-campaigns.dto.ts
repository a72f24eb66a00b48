import { ApiProperty } from '@nestjs/swagger';
import type { AnswerSnapshot } from '@social-pulse/shared';
import { z } from 'zod';
import { ADS_INTERVAL_RULES, ADS_INTERVALS, type AdsInterval } from './ads-performance.dto';
import { countOf, microsOf, microsPer, ratioOf, type Int64Json } from './ads-measures';
import { AnswerEnvelopeDto } from './answer-envelope.dto';
import { ceilTo, DAY_MS, floorTo, HOUR_MS, intParam, isoTimeParam, rangeProblem } from './time-params';

/** The default range: the last 24 hours, in whole hours up to the current one. */
export const CAMPAIGNS_DEFAULT_SPAN_MS = 24 * HOUR_MS;
/** As long as the day facts keep anything. */
export const CAMPAIGNS_MAX_SPAN_MS = ADS_INTERVAL_RULES.day.maxSpanMs;
export const MAX_CAMPAIGNS_LIMIT = 100;

/**
 * The longest range each fact table answers. A top list needs no finer time than its range's length
 * calls for, and a coarser table holds 60 (or 24) times fewer rows for the same range: minutes up to 6
 * hours (whole minutes, 360 periods), hours up to 31 days (whole hours, 744), days beyond. A table is
 * chosen only when it still keeps the range's start (minutes 35 days, hours 400); else the next coarser.
 */
export const CAMPAIGNS_GRAIN_SPANS: Record<Exclude<AdsInterval, 'day'>, number> = {
  minute: 6 * HOUR_MS,
  hour: 31 * DAY_MS,
};

/** The fact table that answers [from, to) with fewest rows, still holding from's period. */
export function campaignsGrain(from: number, to: number, now: number): AdsInterval {
  for (const grain of ['minute', 'hour'] as const) {
    const rule = ADS_INTERVAL_RULES[grain];
    if (to - from <= CAMPAIGNS_GRAIN_SPANS[grain] && floorTo(from, rule.periodMs) >= now - rule.keptMs) return grain;
  }
  return 'day';
}

/**
 * GET /v1/ads/campaigns's parameters. The grain follows from the range (campaignsGrain), and the range
 * is widened to its whole periods, as the summaries' are; without from, it is the 24 hours before to
 * widened, so that a dashboard polling with to=now shares one cache key per hour.
 */
export const adsCampaignsQuerySchema = z
  .object({
    from: isoTimeParam('from'),
    to: isoTimeParam('to'),
    limit: intParam('limit', 1, MAX_CAMPAIGNS_LIMIT, 20),
  })
  .transform((query, ctx) => {
    const to = query.to ?? Date.now();
    const from = query.from ?? Math.max(0, to - CAMPAIGNS_DEFAULT_SPAN_MS);
    const problem = rangeProblem({ from, to, maxSpanMs: CAMPAIGNS_MAX_SPAN_MS, maxSpan: '1827 days (5 years)' });
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    const grain = campaignsGrain(from, to, Date.now());
    const { periodMs } = ADS_INTERVAL_RULES[grain];
    const wholeTo = ceilTo(to, periodMs);
    return {
      grain,
      from: new Date(
        query.from === undefined ? Math.max(0, wholeTo - CAMPAIGNS_DEFAULT_SPAN_MS) : floorTo(from, periodMs),
      ),
      to: new Date(wholeTo),
      limit: query.limit,
    };
  });

export type AdsCampaignsQuery = z.infer<typeof adsCampaignsQuerySchema>;

/** One row of the campaigns query: money as decimal text (toString of the Int64 sums). */
export interface AdsCampaignRow {
  campaign_id: string;
  currency: string;
  total_impressions: Int64Json;
  total_clicks: Int64Json;
  total_conversions: Int64Json;
  total_spend_micros: Int64Json;
  total_revenue_micros: Int64Json;
}

export class AdsCampaignDto {
  @ApiProperty({ description: 'Rank by spend among the campaigns of the same currency, from 1' }) rank!: number;
  @ApiProperty() campaign_id!: string;
  @ApiProperty({ description: "ISO 4217, or 'unknown': every figure of this entry is of the rows in this currency" })
  currency!: string;
  @ApiProperty() impressions!: number;
  @ApiProperty() clicks!: number;
  @ApiProperty({ description: 'Attributed conversions' }) conversions!: number;
  @ApiProperty({ description: 'Integer micros of the currency, as a decimal string (exact beyond 2^53)' })
  spend_micros!: string;
  @ApiProperty({ description: 'Revenue of attributed conversions, integer micros as a decimal string' })
  revenue_micros!: string;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'clicks / impressions (6 decimals); null without impressions',
  })
  ctr!: number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'spend / conversions in whole micros, as a decimal string; null without conversions',
  })
  cpa_micros!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'revenue / spend (6 decimals); null without spend' })
  roas!: number | null;
}

export class AdsCampaignsDataDto {
  @ApiProperty({
    enum: ADS_INTERVALS,
    description: 'The fact table read: minute for ranges up to 6 hours, hour up to 31 days, day beyond',
  })
  grain!: AdsInterval;
  @ApiProperty({ description: 'Start of the range (ISO-8601, UTC): the request’s from, down to a whole grain' })
  from!: string;
  @ApiProperty({ description: 'End of the range, exclusive: the request’s to, up to a whole grain' }) to!: string;
  @ApiProperty({ description: 'Campaigns at most per currency' }) limit!: number;
  @ApiProperty({
    type: [AdsCampaignDto],
    description:
      'Per currency (alphabetical), the campaigns with the most spend in it, most first; a campaign that ' +
      'spends in two currencies is listed in each. Currencies are never compared or added.',
  })
  campaigns!: AdsCampaignDto[];
}

/** GET /v1/ads/campaigns: data_time and computed_at are when ClickHouse was read. */
export class AdsCampaignsAnswerDto extends AnswerEnvelopeDto(AdsCampaignsDataDto) {}

export type AdsCampaignsSnapshot = AnswerSnapshot<AdsCampaignsDataDto>;

/** The rows (ordered by currency, then spend, most first, in SQL) to the cached snapshot, ranked per currency. */
export function mapAdsCampaigns(query: AdsCampaignsQuery, rows: AdsCampaignRow[], readAt: Date): AdsCampaignsSnapshot {
  const ranks = new Map<string, number>();
  const campaigns = rows.map((row): AdsCampaignDto => {
    const rank = (ranks.get(row.currency) ?? 0) + 1;
    ranks.set(row.currency, rank);
    const impressions = countOf(row.total_impressions, 'impressions');
    const clicks = countOf(row.total_clicks, 'clicks');
    const conversions = countOf(row.total_conversions, 'conversions');
    const spend = microsOf(row.total_spend_micros, 'spend_micros');
    const revenue = microsOf(row.total_revenue_micros, 'revenue_micros');
    return {
      rank,
      campaign_id: row.campaign_id,
      currency: row.currency,
      impressions,
      clicks,
      conversions,
      spend_micros: spend,
      revenue_micros: revenue,
      ctr: ratioOf(clicks, impressions),
      cpa_micros: microsPer(spend, conversions),
      roas: ratioOf(BigInt(revenue), BigInt(spend)),
    };
  });
  const readTime = readAt.toISOString();
  return {
    data: {
      grain: query.grain,
      from: query.from.toISOString(),
      to: query.to.toISOString(),
      limit: query.limit,
      campaigns,
    },
    data_time: readTime,
    computed_at: readTime,
  };
}
