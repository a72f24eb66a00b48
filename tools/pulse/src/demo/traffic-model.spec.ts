import { describe, expect, it } from 'vitest';
import { validateEvent } from '@social-pulse/events';
import { DEMO_TOPICS, TrafficModel, zipfPicker } from './traffic-model';

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
});
