import { describe, expect, it } from 'vitest';
import { validateEvent } from '@social-pulse/events';
import { BrowsingModel, type BrowsingEvent } from './browsing-model';

/** A repeatable random source, so the tests do not depend on luck. */
function seeded(seed = 7): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 2 ** 32;
    return state / 2 ** 32;
  };
}

const GAP_MS = 30 * 60_000;

/** Three hours of 50 visitors, polled every second as the demo does. */
function threeHours(): BrowsingEvent[] {
  let now = 1_800_000_000_000;
  const model = new BrowsingModel({ visitors: 50, random: seeded(), now: () => now });
  const events: BrowsingEvent[] = [];
  for (let t = 0; t < 3 * 3_600; t++, now += 1_000) events.push(...model.due());
  return events;
}

describe(BrowsingModel.name, () => {
  const events = threeHours();
  const byVisitor = new Map<string, { at: number; session: string }[]>();
  for (const { event } of events) {
    const list = byVisitor.get(event.user_id as string) ?? [];
    list.push({ at: Date.parse(event.client_ts as string), session: event.session_id as string });
    byVisitor.set(event.user_id as string, list);
  }

  it('should make events the collector accepts', () => {
    expect(events.length).toBeGreaterThan(1_000);
    for (const { event } of events.slice(0, 500)) expect(validateEvent(event)).toMatchObject({ ok: true });
  });

  it('should pause both shorter and longer than the session gap, and start a new session id only after the longer', () => {
    let short = 0;
    let long = 0;
    for (const list of byVisitor.values()) {
      for (let i = 1; i < list.length; i++) {
        const pause = list[i].at - list[i - 1].at;
        if (pause > GAP_MS) {
          long++;
          expect(list[i].session).not.toBe(list[i - 1].session);
        } else {
          if (pause > 60_000) short++;
          expect(list[i].session).toBe(list[i - 1].session);
        }
      }
    }
    expect(short).toBeGreaterThan(20);
    expect(long).toBeGreaterThan(20);
  });

  it('should make sessions of varied length, bounces among them', () => {
    const lengths: number[] = [];
    for (const list of byVisitor.values()) {
      const sessions = new Map<string, number[]>();
      for (const { at, session } of list) sessions.set(session, [...(sessions.get(session) ?? []), at]);
      for (const times of sessions.values()) lengths.push(times.length === 1 ? 0 : times.at(-1)! - times[0]);
    }
    expect(lengths.filter((length) => length === 0).length).toBeGreaterThan(3);
    expect(lengths.filter((length) => length > 0 && length < 5 * 60_000).length).toBeGreaterThan(10);
    expect(lengths.filter((length) => length > 15 * 60_000).length).toBeGreaterThan(10);
  });

  it('should come from several countries and devices, one of each per visitor', () => {
    expect(new Set(events.map((e) => e.country)).size).toBeGreaterThanOrEqual(4);
    const agents = new Set(events.map((e) => (e.event.context as { user_agent: string }).user_agent));
    expect(agents.size).toBeGreaterThanOrEqual(3);
    for (const [visitor, list] of byVisitor) {
      const countries = new Set(events.filter((e) => e.event.user_id === visitor).map((e) => e.country));
      expect(countries.size, visitor).toBe(1);
      expect(list.length).toBeGreaterThan(0);
    }
  });
});
