import { AGE_BANDS, GENDERS, SCHEMA_VERSION, uuidv7, type AgeBand, type Gender } from '@social-pulse/events';
import { DEMO_COUNTRIES } from './browsing-model';
import { PEOPLE_USER_AGENTS } from './traffic-model';

/**
 * The demo's campaigns: each pays per impression (CPM) or per click (CPC) in its own currency, so
 * the API's per-currency money is visible; order values differ so ROAS differs.
 */
export const AD_CAMPAIGNS = [
  {
    campaign_id: 'spring-sale',
    currency: 'USD',
    ads: ['spring-video', 'spring-banner'],
    impressionCostMicros: 4_000,
    clickCostMicros: 0,
    orderValueMicros: [15_000_000, 60_000_000],
  },
  {
    campaign_id: 'new-phone',
    currency: 'EUR',
    ads: ['phone-hero', 'phone-carousel'],
    impressionCostMicros: 0,
    clickCostMicros: 350_000,
    orderValueMicros: [200_000_000, 900_000_000],
  },
  {
    campaign_id: 'city-breaks',
    currency: 'GBP',
    ads: ['city-paris'],
    impressionCostMicros: 2_500,
    clickCostMicros: 100_000,
    orderValueMicros: [80_000_000, 300_000_000],
  },
] as const;

type AdultAgeBand = Exclude<AgeBand, '13-17'>;
/** The demo's campaigns target adults: no 13-17s see their ads. */
const VIEWER_AGE_BANDS = AGE_BANDS.filter((band): band is AdultAgeBand => band !== '13-17');

/**
 * The funnel, with segment differences on purpose: phones click more than desktops (CTR about 2.5 %
 * against 1.2 %), and conversion after a click depends on age (25-34 converts most, 55-64 least).
 * Most conversions follow their click within minutes; a tenth come hours later and restate the
 * click's minute. Viewers never identified convert at the unknown rate.
 */
export const AD_FUNNEL = {
  ctrByDevice: { mobile: 0.025, desktop: 0.012 },
  conversionByAge: {
    '18-24': 0.04,
    '25-34': 0.12,
    '35-44': 0.08,
    '45-54': 0.05,
    '55-64': 0.02,
    '65+': 0.02,
    unknown: 0.04,
  } satisfies Record<AdultAgeBand | 'unknown', number>,
  /** Seconds between two impressions to one viewer. */
  impressionGapMs: [5_000, 90_000],
  conversionDelayMs: [10_000, 15 * 60_000],
  lateConversionDelayMs: [60 * 60_000, 3 * 60 * 60_000],
  lateConversionShare: 0.1,
  /** Viewers who tell who they are (identify with traits); the rest stay anonymous. */
  identifiedShare: 0.7,
  /** Impressions an ad server logs by cookie alone, resolved to the user through the identify link. */
  cookieOnlyShare: 0.2,
} as const;

interface Viewer {
  anonymousId: string;
  /** Set for viewers who identify; their first event is the identify. */
  userId?: string;
  identified: boolean;
  userAgent: string;
  mobile: boolean;
  country: string;
  ageBand: AdultAgeBand | 'unknown';
  gender: Gender | 'unknown';
  nextAt: number;
}

export interface AdFunnelEvent {
  /** The viewer's country, for the edge's x-country header. */
  country: string;
  event: Record<string, unknown>;
}

interface Scheduled {
  at: number;
  make: (at: number) => AdFunnelEvent;
}

/**
 * Viewers seeing the demo campaigns' ads: impressions at a steady pace, clicks at the device's CTR a
 * few seconds later, conversions at the age band's rate minutes (or hours) after the click. The
 * events are what the SDK and an ad server would send: identify first for identified viewers, then
 * ad events with impression_id, click_id, cost and revenue in the campaign's currency.
 */
export class AdFunnelModel {
  private readonly viewers: Viewer[];
  private readonly random: () => number;
  private readonly now: () => number;
  /** Clicks and conversions waiting for their time, oldest first. */
  private scheduled: Scheduled[] = [];

  constructor(options: { viewers: number; random?: () => number; now?: () => number }) {
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    const start = this.now();
    this.viewers = Array.from({ length: options.viewers }, (_, i) => {
      const userAgent = PEOPLE_USER_AGENTS[i % PEOPLE_USER_AGENTS.length];
      const identified = this.random() < AD_FUNNEL.identifiedShare;
      return {
        anonymousId: `demo-ad-anon-${i}`,
        userId: identified ? `demo-ad-user-${i}` : undefined,
        identified: false,
        userAgent,
        mobile: userAgent.includes('Mobile'),
        country: DEMO_COUNTRIES[Math.floor(this.random() * DEMO_COUNTRIES.length)],
        ageBand: identified ? this.pick(VIEWER_AGE_BANDS) : 'unknown',
        gender: identified ? this.pick(GENDERS) : 'unknown',
        nextAt: start + Math.floor(this.random() * 60_000),
      };
    });
  }

  /** The events due by now: viewers' impressions (after their identify) and scheduled clicks and conversions. */
  due(): AdFunnelEvent[] {
    const now = this.now();
    const events: AdFunnelEvent[] = [];
    for (const viewer of this.viewers) {
      while (viewer.nextAt <= now) {
        const at = viewer.nextAt;
        if (viewer.userId && !viewer.identified) {
          viewer.identified = true;
          events.push(this.identify(viewer, at));
        }
        events.push(this.impression(viewer, at));
        viewer.nextAt = at + this.between(AD_FUNNEL.impressionGapMs);
      }
    }
    const ready = this.scheduled.filter((s) => s.at <= now);
    this.scheduled = this.scheduled.filter((s) => s.at > now);
    for (const s of ready.sort((a, b) => a.at - b.at)) events.push(s.make(s.at));
    return events;
  }

  private identify(viewer: Viewer, at: number): AdFunnelEvent {
    return this.event(viewer, at, 'user.identified', {
      traits: {
        ...(viewer.ageBand !== 'unknown' && { age_band: viewer.ageBand }),
        ...(viewer.gender !== 'unknown' && { gender: viewer.gender }),
        country: viewer.country,
        signup_date: new Date(at - 86_400_000 * (1 + Math.floor(this.random() * 700))).toISOString().slice(0, 10),
        plan: this.random() < 0.2 ? 'premium' : 'free',
      },
    });
  }

  private impression(viewer: Viewer, at: number): AdFunnelEvent {
    const campaign = this.pick(AD_CAMPAIGNS);
    const ad = this.pick(campaign.ads);
    const impressionId = uuidv7(at);
    const cookieOnly = this.random() < AD_FUNNEL.cookieOnlyShare;
    const ctr = viewer.mobile ? AD_FUNNEL.ctrByDevice.mobile : AD_FUNNEL.ctrByDevice.desktop;
    if (this.random() < ctr) {
      const clickAt = at + this.between([2_000, 20_000]);
      this.scheduled.push({ at: clickAt, make: (t) => this.click(viewer, t, campaign, ad, impressionId) });
    }
    return this.event(
      viewer,
      at,
      'ad.impression',
      {
        campaign_id: campaign.campaign_id,
        ad_id: ad,
        impression_id: impressionId,
        currency: campaign.currency,
        ...(campaign.impressionCostMicros > 0 && { cost_micros: campaign.impressionCostMicros }),
      },
      cookieOnly,
    );
  }

  private click(
    viewer: Viewer,
    at: number,
    campaign: (typeof AD_CAMPAIGNS)[number],
    ad: string,
    impressionId: string,
  ): AdFunnelEvent {
    const clickId = uuidv7(at);
    if (this.random() < AD_FUNNEL.conversionByAge[viewer.ageBand]) {
      const late = this.random() < AD_FUNNEL.lateConversionShare;
      const conversionAt = at + this.between(late ? AD_FUNNEL.lateConversionDelayMs : AD_FUNNEL.conversionDelayMs);
      this.scheduled.push({
        at: conversionAt,
        make: (t) =>
          this.event(viewer, t, 'ad.conversion', {
            campaign_id: campaign.campaign_id,
            ad_id: ad,
            click_id: clickId,
            currency: campaign.currency,
            revenue_micros: this.between(campaign.orderValueMicros),
          }),
      });
    }
    return this.event(viewer, at, 'ad.click', {
      campaign_id: campaign.campaign_id,
      ad_id: ad,
      impression_id: impressionId,
      click_id: clickId,
      currency: campaign.currency,
      ...(campaign.clickCostMicros > 0 && { cost_micros: campaign.clickCostMicros }),
    });
  }

  private event(
    viewer: Viewer,
    at: number,
    eventType: string,
    properties: Record<string, unknown>,
    cookieOnly = false,
  ): AdFunnelEvent {
    return {
      country: viewer.country,
      event: {
        event_id: uuidv7(at),
        event_type: eventType,
        schema_version: SCHEMA_VERSION,
        ...(viewer.identified && !cookieOnly && { user_id: viewer.userId }),
        anonymous_id: viewer.anonymousId,
        client_ts: new Date(at).toISOString(),
        context: { app_version: 'demo-1.0', locale: 'en-US', user_agent: viewer.userAgent },
        properties,
      },
    };
  }

  private between([low, high]: readonly [number, number]): number {
    return low + Math.floor(this.random() * (high - low));
  }

  private pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.random() * values.length)];
  }
}
