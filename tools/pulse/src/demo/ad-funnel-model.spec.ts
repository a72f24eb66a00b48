import { validateEvent } from '@social-pulse/events';
import { describe, expect, it } from 'vitest';
import { AdFunnelModel, type AdFunnelEvent } from './ad-funnel-model';

/** A repeatable random source, so the tests do not depend on luck. */
function seeded(seed = 11): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 2 ** 32;
    return state / 2 ** 32;
  };
}

/** Four hours of 400 viewers, polled every second as the demo does. */
function fourHours(): AdFunnelEvent[] {
  let now = 1_800_000_000_000;
  const model = new AdFunnelModel({ viewers: 400, random: seeded(), now: () => now });
  const events: AdFunnelEvent[] = [];
  for (let t = 0; t < 4 * 3_600; t++, now += 1_000) events.push(...model.due());
  return events;
}

type Props = Record<string, string | number>;
const props = (e: AdFunnelEvent) => e.event.properties as Props;
const timeOf = (e: AdFunnelEvent) => Date.parse(e.event.client_ts as string);

describe(AdFunnelModel.name, () => {
  const events = fourHours();
  const ofType = (type: string) => events.filter((e) => e.event.event_type === type);
  const impressions = ofType('ad.impression');
  const clicks = ofType('ad.click');
  const conversions = ofType('ad.conversion');
  const identifies = ofType('user.identified');
  const impressionById = new Map(impressions.map((e) => [props(e).impression_id, e]));
  const clickById = new Map(clicks.map((e) => [props(e).click_id, e]));
  /** Traits per anonymous id, from the identify events. */
  const traits = new Map(
    identifies.map((e) => [e.event.anonymous_id, (e.event.properties as { traits: Props }).traits]),
  );

  it('should make events the collector accepts', () => {
    for (const type of ['ad.impression', 'ad.click', 'ad.conversion', 'user.identified']) {
      const sample = ofType(type).slice(0, 50);
      expect(sample.length, type).toBeGreaterThan(0);
      for (const { event } of sample) expect(validateEvent(event), type).toMatchObject({ ok: true });
    }
  });

  it('should send each identified viewer’s identify before their ad events, with traits', () => {
    expect(identifies.length).toBeGreaterThan(200);
    const firstAdEvent = new Map<string, number>();
    for (const e of [...impressions, ...clicks, ...conversions]) {
      const anon = e.event.anonymous_id as string;
      firstAdEvent.set(anon, Math.min(firstAdEvent.get(anon) ?? Infinity, timeOf(e)));
    }
    for (const e of identifies) {
      expect(e.event.user_id).toMatch(/^demo-ad-user-/);
      expect(timeOf(e)).toBeLessThanOrEqual(firstAdEvent.get(e.event.anonymous_id as string)!);
    }
    expect(impressions.some((e) => e.event.user_id === undefined && traits.has(e.event.anonymous_id))).toBe(true);
  });

  it('should attribute every click to an earlier impression and every conversion to an earlier click', () => {
    for (const click of clicks) {
      const impression = impressionById.get(props(click).impression_id);
      expect(impression).toBeDefined();
      expect(timeOf(click)).toBeGreaterThan(timeOf(impression!));
      expect(props(click).campaign_id).toBe(props(impression!).campaign_id);
    }
    for (const conversion of conversions) {
      const click = clickById.get(props(conversion).click_id);
      expect(click).toBeDefined();
      expect(timeOf(conversion)).toBeGreaterThan(timeOf(click!));
      expect(props(conversion).revenue_micros).toBeGreaterThan(0);
    }
  });

  it('should click at 1-3 % overall, more on phones than on desktops', () => {
    const ctr = clicks.length / impressions.length;
    expect(ctr).toBeGreaterThan(0.01);
    expect(ctr).toBeLessThan(0.03);
    const mobile = (e: AdFunnelEvent) => String((e.event.context as Props).user_agent).includes('Mobile');
    const rate = (onPhone: boolean) =>
      clicks.filter((e) => mobile(e) === onPhone).length / impressions.filter((e) => mobile(e) === onPhone).length;
    expect(rate(true)).toBeGreaterThan(rate(false) * 1.5);
  });

  it('should convert by age band differently on purpose, and restate some clicks hours later', () => {
    const rate = (band: string) => {
      const inBand = (e: AdFunnelEvent) => traits.get(e.event.anonymous_id)?.age_band === band;
      return conversions.filter(inBand).length / clicks.filter(inBand).length;
    };
    expect(rate('25-34')).toBeGreaterThan(rate('55-64') * 2);
    const late = conversions.filter((c) => timeOf(c) - timeOf(clickById.get(props(c).click_id)!) >= 3_600_000);
    expect(late.length).toBeGreaterThan(0);
    expect(late.length).toBeLessThan(conversions.length / 2);
  });

  it('should spend and earn in each campaign’s one currency', () => {
    const currencies = new Map<string | number, Set<string | number>>();
    for (const e of [...impressions, ...clicks, ...conversions]) {
      const set = currencies.get(props(e).campaign_id) ?? new Set();
      set.add(props(e).currency);
      currencies.set(props(e).campaign_id, set);
    }
    expect([...currencies.values()].map((s) => s.size)).toEqual([1, 1, 1]);
    expect(new Set([...currencies.values()].flatMap((s) => [...s])).size).toBe(3);
  });
});
