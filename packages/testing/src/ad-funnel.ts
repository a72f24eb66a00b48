import { SCHEMA_VERSION, uuidv7 } from '@social-pulse/events';
import { BROWSER_USER_AGENT } from './fixtures';

export const PHONE_USER_AGENT =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

/** A segment as the ads API breaks it down with group_by=device,age_band,gender,country. */
export type AdSegment = `${string}|${string}|${string}|${string}`;

/** One segment's measures over the funnel's whole range; money per currency, in micros. */
export interface AdTotals {
  impressions: number;
  users_reached: number;
  clicks: number;
  attributed_clicks: number;
  conversions: number;
  unattributed_conversions: number;
  money: Record<string, { spend_micros: number; revenue_micros: number; unattributed_revenue_micros: number }>;
}

export interface ScriptedAdFunnel {
  campaignId: string;
  /**
   * Batches in the order to post them, each at `postAt` (epoch ms; its events are from up to 0.7 s
   * before), twice, as a client resending. postAdFunnel does that.
   */
  batches: { postAt: number; events: Record<string, unknown>[] }[];
  /** The truth per segment (device|age_band|gender|country). */
  expected: Record<AdSegment, AdTotals>;
  /** Every event's time lies in [from, to). */
  from: Date;
  to: Date;
}

/**
 * A funnel whose every number is known: four viewers of one campaign (its id unique to `run`)
 * over 3.4 seconds from `start`, with two ads in two currencies. It covers what the Ad
 * Performance Calculator must get right end to end:
 * - v1 (phone, identified 55-64 male US) clicks an impression and converts; it also clicks an
 *   impression nobody saw (unattributed click) and converts without a click (unattributed).
 * - v2 (desktop, never identified: unknown demographics and country) clicks an impression whose
 *   batch arrives after the click's, and converts in EUR.
 * - v3 (phone, identified 35-44 non_binary GB) is seen by cookie only (anonymous id, resolved through
 *   its identify); its conversion arrives before its click (counted unattributed, then restated).
 * - v4 (desktop, 18-24 female FR, then 25-34 after a second identify mid-stream): impressions and a
 *   click under each profile; the second click converts.
 * Rules the truth follows: an impression's spend is its cost; a click counts (with its cost) in its
 * own segment and is attributed when its impression is known; a conversion credits its click's
 * segment in its own currency. Windows and lateness are not exercised here (the job's own tests).
 */
export function scriptedAdFunnel(run: string, start = Date.now()): ScriptedAdFunnel {
  const campaignId = `funnel-${run}`;
  // Times are milliseconds after `start`. The funnel runs live, as clients send: each batch is posted
  // when its newest event happens, so the job reads its events before its watermark passes them and
  // tags each with the profile of its time, whichever topic it reads first. Backdated events (a
  // funnel of minutes ago) would be late on arrival, tagged with the profiles known then.
  const t0 = start;
  const at = (ms: number) => new Date(t0 + ms).toISOString();
  const viewer = (n: number) => ({ user: `funnel-${run}-u${n}`, anon: `funnel-${run}-a${n}` });
  const [v1, v2, v3, v4] = [1, 2, 3, 4].map(viewer);
  const ads = [
    { ad_id: 'ad-a', currency: 'USD', impressionCost: 2_000 },
    { ad_id: 'ad-b', currency: 'EUR', impressionCost: 3_000 },
  ];
  const base = (ms: number, ua: string, ids: { user_id?: string; anonymous_id: string }) => ({
    event_id: uuidv7(t0 + ms),
    schema_version: SCHEMA_VERSION,
    ...ids,
    client_ts: at(ms),
    context: { user_agent: ua },
  });
  const identify = (ms: number, v: { user: string; anon: string }, ua: string, traits: Record<string, string>) => ({
    ...base(ms, ua, { user_id: v.user, anonymous_id: v.anon }),
    event_type: 'user.identified',
    properties: { traits },
  });
  /** Four impressions from ms on, 50 ms apart, alternating the two ads. */
  const impressions = (ms: number, ids: { user_id?: string; anonymous_id: string }, ua: string, tag: string) =>
    [0, 1, 2, 3].map((k) => ({
      ...base(ms + k * 50, ua, ids),
      event_type: 'ad.impression',
      properties: {
        campaign_id: campaignId,
        ad_id: ads[k % 2].ad_id,
        impression_id: `${run}-${tag}-imp-${k}`,
        currency: ads[k % 2].currency,
        cost_micros: ads[k % 2].impressionCost,
      },
    }));
  const click = (
    ms: number,
    ids: { user_id?: string; anonymous_id: string },
    ua: string,
    impressionId: string,
    clickId: string,
    k: number,
  ) => ({
    ...base(ms, ua, ids),
    event_type: 'ad.click',
    properties: {
      campaign_id: campaignId,
      ad_id: ads[k % 2].ad_id,
      impression_id: impressionId,
      click_id: clickId,
      currency: ads[k % 2].currency,
      cost_micros: k % 2 === 0 ? 50_000 : 60_000,
    },
  });
  const conversion = (
    ms: number,
    ids: { user_id?: string; anonymous_id: string },
    ua: string,
    clickId: string,
    currency: string,
    revenue: number,
  ) => ({
    ...base(ms, ua, ids),
    event_type: 'ad.conversion',
    properties: { campaign_id: campaignId, ad_id: 'ad-a', click_id: clickId, currency, revenue_micros: revenue },
  });
  const signedIn = (v: { user: string; anon: string }) => ({ user_id: v.user, anonymous_id: v.anon });
  const cookie = (v: { anon: string }) => ({ anonymous_id: v.anon });

  const batch = (postAt: number, ...events: Record<string, unknown>[]) => ({ postAt: t0 + postAt, events });
  const batches = [
    batch(
      0,
      identify(0, v1, PHONE_USER_AGENT, { age_band: '55-64', gender: 'male', country: 'US' }),
      identify(0, v3, PHONE_USER_AGENT, { age_band: '35-44', gender: 'non_binary', country: 'GB' }),
      identify(0, v4, BROWSER_USER_AGENT, { age_band: '18-24', gender: 'female', country: 'FR' }),
    ),
    // Out of order: v2's click, and v3's conversion, before what they refer to.
    batch(
      1_600,
      click(1_300, cookie(v2), BROWSER_USER_AGENT, `${run}-v2-imp-1`, `${run}-v2-click`, 1),
      conversion(1_600, cookie(v3), PHONE_USER_AGENT, `${run}-v3-click`, 'USD', 7_000_000),
    ),
    batch(
      1_700,
      ...impressions(1_000, signedIn(v1), PHONE_USER_AGENT, 'v1'),
      ...impressions(1_000, cookie(v3), PHONE_USER_AGENT, 'v3'),
      ...impressions(1_000, signedIn(v4), BROWSER_USER_AGENT, 'v4'),
    ),
    batch(
      1_900,
      ...impressions(1_000, cookie(v2), BROWSER_USER_AGENT, 'v2'),
      click(1_200, signedIn(v1), PHONE_USER_AGENT, `${run}-v1-imp-0`, `${run}-v1-click`, 0),
      click(1_200, cookie(v3), PHONE_USER_AGENT, `${run}-v3-imp-0`, `${run}-v3-click`, 0),
      click(1_200, signedIn(v4), BROWSER_USER_AGENT, `${run}-v4-imp-0`, `${run}-v4-click-old`, 0),
      click(1_400, signedIn(v1), PHONE_USER_AGENT, `never-shown-${run}`, `${run}-v1-click-unseen`, 0),
      conversion(1_800, signedIn(v1), PHONE_USER_AGENT, `${run}-v1-click`, 'USD', 5_000_000),
      conversion(1_850, signedIn(v1), PHONE_USER_AGENT, `never-clicked-${run}`, 'USD', 1_000_000),
      conversion(1_900, cookie(v2), BROWSER_USER_AGENT, `${run}-v2-click`, 'EUR', 4_000_000),
    ),
    // v4 tells a new age: its later events are tagged 25-34, its earlier ones stay 18-24.
    batch(3_000, identify(3_000, v4, BROWSER_USER_AGENT, { age_band: '25-34', gender: 'female', country: 'FR' })),
    batch(
      3_400,
      ...impressions(3_100, signedIn(v4), BROWSER_USER_AGENT, 'v4-new'),
      click(3_300, signedIn(v4), BROWSER_USER_AGENT, `${run}-v4-new-imp-0`, `${run}-v4-click-new`, 0),
      conversion(3_400, signedIn(v4), BROWSER_USER_AGENT, `${run}-v4-click-new`, 'USD', 2_000_000),
    ),
  ];

  /** Four impressions' spend: two in USD, two in EUR. */
  const seen = { USD: 2 * 2_000, EUR: 2 * 3_000 };
  const money = (usd: [number, number, number], eur: [number, number, number]) => ({
    USD: { spend_micros: usd[0], revenue_micros: usd[1], unattributed_revenue_micros: usd[2] },
    EUR: { spend_micros: eur[0], revenue_micros: eur[1], unattributed_revenue_micros: eur[2] },
  });
  const expected: Record<AdSegment, AdTotals> = {
    'mobile|55-64|male|US': {
      impressions: 4,
      users_reached: 1,
      clicks: 2,
      attributed_clicks: 1,
      conversions: 1,
      unattributed_conversions: 1,
      money: money([seen.USD + 2 * 50_000, 5_000_000, 1_000_000], [seen.EUR, 0, 0]),
    },
    'desktop|unknown|unknown|unknown': {
      impressions: 4,
      users_reached: 1,
      clicks: 1,
      attributed_clicks: 1,
      conversions: 1,
      unattributed_conversions: 0,
      money: money([seen.USD, 0, 0], [seen.EUR + 60_000, 4_000_000, 0]),
    },
    'mobile|35-44|non_binary|GB': {
      impressions: 4,
      users_reached: 1,
      clicks: 1,
      attributed_clicks: 1,
      conversions: 1,
      unattributed_conversions: 0,
      money: money([seen.USD + 50_000, 7_000_000, 0], [seen.EUR, 0, 0]),
    },
    'desktop|18-24|female|FR': {
      impressions: 4,
      users_reached: 1,
      clicks: 1,
      attributed_clicks: 1,
      conversions: 0,
      unattributed_conversions: 0,
      money: money([seen.USD + 50_000, 0, 0], [seen.EUR, 0, 0]),
    },
    'desktop|25-34|female|FR': {
      impressions: 4,
      users_reached: 1,
      clicks: 1,
      attributed_clicks: 1,
      conversions: 1,
      unattributed_conversions: 0,
      money: money([seen.USD + 50_000, 2_000_000, 0], [seen.EUR, 0, 0]),
    },
  };
  return { campaignId, batches, expected, from: new Date(t0), to: new Date(t0 + 3_401) };
}

/** What the ads API answers per point (GET /v1/ads/performance), as far as the truth needs it. */
interface AdsApiPoint {
  group: Partial<Record<'device' | 'age_band' | 'gender' | 'country', string>>;
  impressions: number;
  users_reached: number;
  clicks: number;
  attributed_clicks: number;
  conversions: number;
  unattributed_conversions: number;
  money: { currency: string; spend_micros: string; revenue_micros: string; unattributed_revenue_micros: string }[];
}

/**
 * The funnel's segments as the ads API answers them (group_by=device,age_band,gender,country),
 * summed over the answer's periods: the truth's shape, to compare with toEqual.
 */
function adTotalsOf(points: AdsApiPoint[]): Record<AdSegment, AdTotals> {
  const totals: Record<AdSegment, AdTotals> = {};
  for (const point of points) {
    const { device, age_band, gender, country } = point.group;
    const segment: AdSegment = `${device}|${age_band}|${gender}|${country}`;
    const total = (totals[segment] ??= {
      impressions: 0,
      users_reached: 0,
      clicks: 0,
      attributed_clicks: 0,
      conversions: 0,
      unattributed_conversions: 0,
      money: {},
    });
    for (const measure of [
      'impressions',
      'users_reached',
      'clicks',
      'attributed_clicks',
      'conversions',
      'unattributed_conversions',
    ] as const) {
      total[measure] += point[measure];
    }
    for (const money of point.money) {
      const sums = (total.money[money.currency] ??= {
        spend_micros: 0,
        revenue_micros: 0,
        unattributed_revenue_micros: 0,
      });
      sums.spend_micros += Number(money.spend_micros);
      sums.revenue_micros += Number(money.revenue_micros);
      sums.unattributed_revenue_micros += Number(money.unattributed_revenue_micros);
    }
  }
  return totals;
}

/**
 * Posts the funnel's batches live, each at its time and twice (a client resending after a lost
 * answer), calling `posted` with the count of batches posted so far. The waits pace the posts like
 * the clients of the script (the timeline is what is being sent); they synchronise nothing.
 */
export async function postAdFunnel(
  funnel: ScriptedAdFunnel,
  post: (events: Record<string, unknown>[]) => Promise<void>,
  posted: (batches: number) => void = () => undefined,
): Promise<void> {
  for (const [index, { postAt, events }] of funnel.batches.entries()) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, postAt - Date.now())));
    await post(events);
    await post(events);
    posted(index + 1);
  }
}

const COUNTS = ['impressions', 'clicks', 'attributed_clicks', 'conversions', 'unattributed_conversions'] as const;

/** The funnel's counts over all segments: what its campaign's facts hold once the job committed it. */
export function funnelCounts(funnel: ScriptedAdFunnel): Record<(typeof COUNTS)[number], number> {
  const totals = Object.values(funnel.expected);
  return Object.fromEntries(COUNTS.map((c) => [c, totals.reduce((sum, t) => sum + t[c], 0)])) as Record<
    (typeof COUNTS)[number],
    number
  >;
}

/** The funnel campaign's counts in the minute facts of the ClickHouse server at `url`, as committed so far. */
export async function committedFunnelCounts(url: string, funnel: ScriptedAdFunnel): Promise<Record<string, number>> {
  const sums = COUNTS.map((c) => `sum(${c}) AS ${c}`).join(', ');
  const search = new URLSearchParams({
    query: `SELECT ${sums} FROM ad_performance_minute WHERE campaign_id = {campaign:String} FORMAT JSONEachRow`,
    param_campaign: funnel.campaignId,
  });
  const res = await fetch(`${url}/?${search}`, { method: 'POST', signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`ClickHouse answered ${res.status}: ${text.slice(0, 300)}`);
  const row = JSON.parse(text) as Record<string, string>;
  return Object.fromEntries(COUNTS.map((c) => [c, Number(row[c])]));
}

/**
 * The funnel's segments as the ads API at `apiUrl` answers them, with the answer's source. Ask once
 * the counts are committed: a day answer is cached for a minute.
 */
export async function adsApiTotals(
  apiUrl: string,
  funnel: ScriptedAdFunnel,
): Promise<{ source: string; totals: Record<AdSegment, AdTotals> }> {
  const query = new URLSearchParams({
    interval: 'day',
    from: funnel.from.toISOString(),
    to: funnel.to.toISOString(),
    campaign_id: funnel.campaignId,
    group_by: 'device,age_band,gender,country',
  });
  const res = await fetch(`${apiUrl}/v1/ads/performance?${query}`, { headers: { 'x-api-key': 'pulse-dev-api-key' } });
  if (res.status !== 200) throw new Error(`the ads API answered ${res.status}: ${await res.text()}`);
  const answer = (await res.json()) as { source: string; data: { points: AdsApiPoint[] } };
  return { source: answer.source, totals: adTotalsOf(answer.data.points) };
}
