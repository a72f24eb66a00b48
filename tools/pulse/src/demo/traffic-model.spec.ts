import { describe, expect, it } from 'vitest';
import { validateEvent } from '@social-pulse/events';
import { DEMO_SCENARIOS, DEMO_TOPICS, PEOPLE_USER_AGENTS, TrafficModel, zipfPicker } from './traffic-model';

/** A repeatable random source, so the tests do not depend on luck. */
function seeded(seed = 42): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 2 ** 32;
    return state / 2 ** 32;
  };
}

describe(zipfPicker.name, () => {
  it('should pick the head far more often than the tail', () => {
    const pick = zipfPicker(60, 1.1, seeded());
    const counts = new Array(60).fill(0);
    for (let i = 0; i < 20_000; i++) counts[pick()]++;
    expect(counts[0]).toBeGreaterThan(counts[9] * 5);
    expect(counts[9]).toBeGreaterThan(counts[59]);
  });
});

describe(TrafficModel.name, () => {
  it('should make events the collector accepts', () => {
    const model = new TrafficModel({ users: 300, random: seeded() });
    for (let i = 0; i < 200; i++) expect(validateEvent(model.nextEvent())).toMatchObject({ ok: true });
  });

  it('should start a surge of a tail topic after half a minute and end it after one', () => {
    let now = 1_000_000;
    const model = new TrafficModel({ users: 300, random: seeded(), now: () => now });
    expect(model.currentSurge()).toBeUndefined();
    now += 31_000;
    const surge = model.currentSurge();
    expect(DEMO_TOPICS.slice(20)).toContain(surge);
    now += 61_000;
    expect(model.currentSurge()).toBeUndefined();
  });

  describe('what the job must damp and catch', () => {
    interface DemoEvent {
      user_id: string;
      context: { user_agent?: string };
      properties: { hashtags: string[] };
    }
    const sample = (model: TrafficModel, count: number) =>
      Array.from({ length: count }, () => model.nextEvent() as unknown as DemoEvent);
    const { spam, botRing, slowBurn } = DEMO_SCENARIOS;

    it('should send people, the spammer and the bot ring in proportion to their rates', () => {
      const model = new TrafficModel({ users: 300, peoplePerSecond: 20, random: seeded() });
      const events = sample(model, 20_000);
      const share = (test: (e: DemoEvent) => boolean) => events.filter(test).length / events.length;

      expect(model.eventsPerSecond).toBe(20 + spam.perSecond + botRing.perSecond);
      expect(share((e) => e.user_id === spam.userId)).toBeCloseTo(spam.perSecond / model.eventsPerSecond, 1);
      expect(share((e) => e.user_id.startsWith('demo-bot-'))).toBeCloseTo(botRing.perSecond / model.eventsPerSecond, 1);
    });

    it('should make the spammer one account hammering one tag, more often than any real topic', () => {
      const events = sample(new TrafficModel({ users: 300, random: seeded() }), 20_000);
      const mentions = new Map<string, number>();
      for (const tag of events.flatMap((e) => e.properties.hashtags)) mentions.set(tag, (mentions.get(tag) ?? 0) + 1);
      const spamEvents = events.filter((e) => e.properties.hashtags.includes(spam.tag));

      expect(new Set(spamEvents.map((e) => e.user_id))).toEqual(new Set([spam.userId]));
      expect(spamEvents.every((e) => e.properties.hashtags.length === 1)).toBe(true);
      // A person's phone, not a bot: the spammer is what the per-author cap, not the bot flag, must damp.
      expect(spamEvents.every((e) => e.context.user_agent === PEOPLE_USER_AGENTS[0])).toBe(true);
      // By raw counts the spam tag would lead the list: what the per-author cap is there to undo.
      const top = [...mentions].sort((a, b) => b[1] - a[1])[0][0];
      expect(top).toBe(spam.tag);
    });

    it('should send the bot ring from its accounts with a bot user agent in each event', () => {
      const events = sample(new TrafficModel({ users: 300, random: seeded() }), 20_000);
      const bots = events.filter((e) => e.user_id.startsWith('demo-bot-'));
      const people = events.filter((e) => e.user_id.startsWith('demo-user-'));

      expect(bots.every((e) => e.context.user_agent === botRing.userAgent)).toBe(true);
      expect(bots.every((e) => e.properties.hashtags.join() === botRing.tag)).toBe(true);
      expect(new Set(bots.map((e) => e.user_id)).size).toBe(botRing.accounts);
      const browsers = new Set<string | undefined>(PEOPLE_USER_AGENTS);
      expect(people.every((e) => browsers.has(e.context.user_agent))).toBe(true);
      // A few real people mention the tag too, so its row shows mentions beside bot_mentions.
      const real = people.filter((e) => e.properties.hashtags.includes(botRing.tag)).length;
      expect(real / people.length).toBeCloseTo(botRing.realShare, 2);
    });

    it('should let the slow-burning topic grow over its ramp, then hold', () => {
      let now = 1_000_000;
      const model = new TrafficModel({ users: 300, random: seeded(), now: () => now });
      const slowShare = () => {
        const people = sample(model, 20_000).filter((e) => e.user_id.startsWith('demo-user-'));
        return people.filter((e) => e.properties.hashtags.includes(slowBurn.tag)).length / people.length;
      };

      expect(slowShare()).toBe(0);
      now += slowBurn.rampMs / 2;
      expect(slowShare()).toBeCloseTo(slowBurn.maxShare / 2, 1);
      now += slowBurn.rampMs / 2;
      expect(slowShare()).toBeCloseTo(slowBurn.maxShare, 1);
      now += slowBurn.rampMs;
      expect(model.slowBurnShare()).toBe(slowBurn.maxShare);
    });

    it('should spread a surge over many authors', () => {
      let now = 1_000_000;
      const model = new TrafficModel({ users: 300, random: seeded(), now: () => now });
      now += 31_000;
      const surge = model.currentSurge()!;
      const authors = new Set(
        sample(model, 5_000)
          .filter((e) => e.properties.hashtags.includes(surge))
          .map((e) => e.user_id),
      );

      expect(authors.size).toBeGreaterThan(200);
    });
  });
});
