import type { AdsGroup, AdsMoney, AdsPoint, EngagementPoint } from './types';

/**
 * Every period from `from` up to `to` (exclusive) and not after now, as unix seconds, with the
 * point of each, or undefined where the answer has none: a minute without events is a 0 on a
 * chart, not a line drawn across it.
 */
export function periods<P extends { period: string }>(
  from: string,
  to: string,
  stepSeconds: number,
  points: P[],
  now: number,
): { times: number[]; points: (P | undefined)[] } {
  const byTime = new Map(points.map((point) => [Date.parse(point.period) / 1000, point]));
  const times: number[] = [];
  const end = Math.min(Date.parse(to), now) / 1000;
  for (let time = Date.parse(from) / 1000; time < end; time += stepSeconds) times.push(time);
  return { times, points: times.map((time) => byTime.get(time)) };
}

/** One row of a breakdown table: a group's sessions summed over the periods, and its rates. */
export interface EngagementBreakdownRow {
  group: string;
  sessions: number;
  share: number;
  bounceRate: number | null;
  eventsPerSession: number | null;
}

/**
 * Sessions per group over all periods: counts add up across periods, and rates are divided again
 * from the sums (bounces = rate × sessions), never averaged. Visitors do not add up across
 * periods (one person visits in many), so the breakdown leaves them out. Largest group first.
 */
export function engagementBreakdown(points: EngagementPoint[]): EngagementBreakdownRow[] {
  const groups = new Map<string, { sessions: number; bounces: number; events: number }>();
  for (const point of points) {
    const started = point.sessions_started ?? 0;
    const sums = groups.get(point.group ?? '') ?? { sessions: 0, bounces: 0, events: 0 };
    sums.sessions += started;
    sums.bounces += (point.bounce_rate ?? 0) * started;
    sums.events += (point.events_per_session ?? 0) * started;
    groups.set(point.group ?? '', sums);
  }
  const total = [...groups.values()].reduce((sum, g) => sum + g.sessions, 0);
  return [...groups]
    .map(([group, sums]) => ({
      group: group || 'unknown',
      sessions: sums.sessions,
      share: total > 0 ? sums.sessions / total : 0,
      bounceRate: sums.sessions > 0 ? sums.bounces / sums.sessions : null,
      eventsPerSession: sums.sessions > 0 ? sums.events / sums.sessions : null,
    }))
    .sort((a, b) => b.sessions - a.sessions || a.group.localeCompare(b.group));
}

/** Money of one currency summed exactly (micros as BigInt), with ROAS divided from the sums. */
export interface MoneyTotal {
  currency: string;
  spendMicros: string;
  revenueMicros: string;
  conversions: number;
  roas: number | null;
}

/** Ad counts over points, and money per currency: CTR and ROAS divided from the sums. */
export interface AdsTotals {
  impressions: number;
  clicks: number;
  conversions: number;
  ctr: number | null;
  conversionRate: number | null;
  money: MoneyTotal[];
}

export function adsTotals(points: AdsPoint[]): AdsTotals {
  let impressions = 0;
  let clicks = 0;
  let conversions = 0;
  const money = new Map<string, { spend: bigint; revenue: bigint; conversions: number }>();
  for (const point of points) {
    impressions += point.impressions;
    clicks += point.clicks;
    conversions += point.conversions;
    for (const entry of point.money) addMoney(money, entry);
  }
  return {
    impressions,
    clicks,
    conversions,
    ctr: impressions > 0 ? clicks / impressions : null,
    conversionRate: clicks > 0 ? conversions / clicks : null,
    money: [...money]
      .map(([currency, sums]) => ({
        currency,
        spendMicros: String(sums.spend),
        revenueMicros: String(sums.revenue),
        conversions: sums.conversions,
        roas: sums.spend > 0n ? Number((sums.revenue * 1_000_000n) / sums.spend) / 1_000_000 : null,
      }))
      .sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}

function addMoney(totals: Map<string, { spend: bigint; revenue: bigint; conversions: number }>, entry: AdsMoney) {
  const sums = totals.get(entry.currency) ?? { spend: 0n, revenue: 0n, conversions: 0 };
  sums.spend += BigInt(entry.spend_micros);
  sums.revenue += BigInt(entry.revenue_micros);
  sums.conversions += entry.conversions;
  totals.set(entry.currency, sums);
}

/** The points of each value of one group dimension (e.g. device), largest by impressions first. */
export function adsByGroup(points: AdsPoint[], dimension: keyof AdsGroup): { group: string; totals: AdsTotals }[] {
  const groups = new Map<string, AdsPoint[]>();
  for (const point of points) {
    const group = point.group[dimension] ?? 'unknown';
    groups.set(group, [...(groups.get(group) ?? []), point]);
  }
  return [...groups]
    .map(([group, groupPoints]) => ({ group, totals: adsTotals(groupPoints) }))
    .sort((a, b) => b.totals.impressions - a.totals.impressions || a.group.localeCompare(b.group));
}
