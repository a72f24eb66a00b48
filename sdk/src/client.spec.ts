import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_EVENT_BYTES, PulseClient } from './client';
import type { OutgoingEvent } from './types';

type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

/** A collector stand-in: answers in turn, and remembers the event ids of every request. */
function fakeCollector(...answers: Answer[]) {
  const requests: string[][] = [];
  const fetch = vi.fn(async (_url: string, init: { body: string }) => {
    requests.push((JSON.parse(init.body) as { events: { event_id: string }[] }).events.map((e) => e.event_id));
    const answer = answers.shift() ?? { status: 202, body: { accepted: requests.at(-1)!.length, rejected: [] } };
    if (answer.status === 0) throw new TypeError('Failed to fetch');
    return new Response(JSON.stringify(answer.body ?? {}), { status: answer.status, headers: answer.headers });
  });
  return { fetch, requests };
}

/** A collector stand-in that accepts everything and keeps the events it was sent, in order. */
function recordingCollector(): OutgoingEvent[] {
  const events: OutgoingEvent[] = [];
  vi.stubGlobal('fetch', async (_url: string, init: { body: string }) => {
    const sent = (JSON.parse(init.body) as { events: OutgoingEvent[] }).events;
    events.push(...sent);
    return new Response(JSON.stringify({ accepted: sent.length, rejected: [] }), { status: 202 });
  });
  return events;
}

const newClient = (options: Partial<ConstructorParameters<typeof PulseClient>[0]> = {}) =>
  new PulseClient({
    endpoint: 'http://collector.test',
    writeKey: 'k',
    flushAt: 100,
    flushIntervalMs: 60_000,
    retryBaseMs: 1,
    retryMaxMs: 1,
    ...options,
  });

describe(PulseClient.name, () => {
  beforeEach(() => vi.stubGlobal('BroadcastChannel', undefined)); // Node's would keep the worker alive
  afterEach(() => vi.unstubAllGlobals());

  describe('flush', () => {
    it('should send the same event ids again after a 503, then forget them once accepted', async () => {
      const collector = fakeCollector({ status: 503, headers: { 'retry-after': '0' } });
      vi.stubGlobal('fetch', collector.fetch);
      const sut = newClient();
      const ids = [sut.track('content.liked', { content_id: 'a' }), sut.track('content.liked', { content_id: 'b' })];
      await sut.flush();
      await vi.waitFor(() => expect(sut.stats.sent).toBe(2));
      expect(collector.requests).toEqual([ids, ids]);
      expect(sut.stats.retries).toBe(1);
      await sut.flush();
      expect(collector.requests).toHaveLength(2);
    });

    it('should retry a network error', async () => {
      const collector = fakeCollector({ status: 0 });
      vi.stubGlobal('fetch', collector.fetch);
      const sut = newClient();
      sut.track('content.liked', { content_id: 'a' });
      await sut.flush();
      await vi.waitFor(() => expect(sut.stats.sent).toBe(1));
      expect(collector.requests).toHaveLength(2);
    });

    it('should not retry a batch refused with 400, and report every event of it', async () => {
      const collector = fakeCollector({ status: 400 });
      vi.stubGlobal('fetch', collector.fetch);
      const sut = newClient();
      const onRejected = vi.fn();
      sut.onRejected = onRejected;
      const id = sut.track('content.liked', { content_id: 'a' });
      await sut.flush();
      await sut.flush();
      expect(collector.requests).toHaveLength(1);
      expect(onRejected).toHaveBeenCalledWith([{ index: 0, event_id: id, reason: 'http_400' }]);
      expect(sut.stats).toMatchObject({ dropped: 1, dropReasons: { refused: 1 } });
    });

    it('should remove accepted and rejected events on a partial answer, reporting the rejected', async () => {
      const rejected = [{ index: 1, event_id: 'x', reason: 'expected content_id' }];
      const collector = fakeCollector({ status: 202, body: { accepted: 1, rejected } });
      vi.stubGlobal('fetch', collector.fetch);
      const sut = newClient();
      const onRejected = vi.fn();
      sut.onRejected = onRejected;
      sut.track('content.liked', { content_id: 'a' });
      sut.track('content.liked', {});
      await sut.flush();
      await sut.flush();
      expect(collector.requests).toHaveLength(1);
      expect(onRejected).toHaveBeenCalledWith(rejected);
      expect(sut.stats).toMatchObject({ sent: 1, rejected: 1 });
    });

    it('should send flushAt events without being asked', async () => {
      const collector = fakeCollector();
      vi.stubGlobal('fetch', collector.fetch);
      const sut = newClient({ flushAt: 3 });
      for (let i = 0; i < 3; i++) sut.track('content.liked', { content_id: `c${i}` });
      await vi.waitFor(() => expect(collector.requests).toHaveLength(1));
      expect(collector.requests[0]).toHaveLength(3);
    });
  });

  describe('track', () => {
    it('should evict the oldest events beyond maxQueueSize and count them', async () => {
      const collector = fakeCollector();
      vi.stubGlobal('fetch', collector.fetch);
      const sut = newClient({ maxQueueSize: 3 });
      const ids = Array.from({ length: 5 }, (_, i) => sut.track('content.liked', { content_id: `c${i}` }));
      await sut.flush();
      expect(collector.requests).toEqual([ids.slice(2)]);
      expect(sut.stats).toMatchObject({ dropped: 2, dropReasons: { queue_full: 2 } });
    });

    it('should drop an oversized event with a reason, and still send the next', async () => {
      const collector = fakeCollector();
      vi.stubGlobal('fetch', collector.fetch);
      const sut = newClient();
      expect(sut.track('content.liked', { content_id: 'big', text: 'x'.repeat(MAX_EVENT_BYTES) })).toBeUndefined();
      const next = sut.track('content.liked', { content_id: 'small' });
      await sut.flush();
      expect(collector.requests).toEqual([[next]]);
      expect(sut.stats.dropReasons.oversized).toBe(1);
    });

    it('should queue nothing while opted out', async () => {
      const collector = fakeCollector();
      vi.stubGlobal('fetch', collector.fetch);
      const sut = newClient();
      sut.optOut();
      expect(sut.track('content.liked', { content_id: 'a' })).toBeUndefined();
      await sut.flush();
      expect(collector.fetch).not.toHaveBeenCalled();
      sut.optIn();
      expect(sut.track('content.liked', { content_id: 'a' })).toEqual(expect.any(String));
    });

    it('should carry the user after identify, and a new anonymous id and session after reset', async () => {
      const bodies = recordingCollector();
      const sut = newClient();
      sut.page();
      sut.identify('user-1');
      sut.page();
      sut.reset();
      sut.page();
      await sut.flush();
      const [anonymous, , signedIn, afterReset] = bodies; // the second is user.identified
      expect(anonymous.user_id).toBeUndefined();
      expect(signedIn).toMatchObject({
        event_type: 'user.page_viewed',
        user_id: 'user-1',
        anonymous_id: anonymous.anonymous_id,
        session_id: anonymous.session_id,
      });
      expect(afterReset.user_id).toBeUndefined();
      expect(afterReset.anonymous_id).not.toBe(anonymous.anonymous_id);
      expect(afterReset.session_id).not.toBe(anonymous.session_id);
    });
  });

  describe('identify', () => {
    it('should send user.identified at schema_version 2, linking the anonymous id to the user, with the traits', async () => {
      const bodies = recordingCollector();
      const sut = newClient();
      sut.page();
      const traits = { age_band: '25-34', country: 'DE', plan: 'pro' } as const;
      const id = sut.identify('user-1', traits);
      await sut.flush();
      const [page, identify] = bodies;
      expect(identify).toEqual({
        event_id: id,
        event_type: 'user.identified',
        schema_version: 2,
        user_id: 'user-1',
        anonymous_id: page.anonymous_id,
        session_id: page.session_id,
        client_ts: expect.any(String),
        context: expect.any(Object),
        properties: { traits },
      });
      expect(page.schema_version).toBe(2);
    });

    it('should send empty traits when given none, and no session when none is open', async () => {
      const bodies = recordingCollector();
      const sut = newClient();
      sut.identify('user-1');
      await sut.flush();
      expect(bodies).toHaveLength(1);
      expect(bodies[0]).toMatchObject({ event_type: 'user.identified', properties: { traits: {} } });
      expect(bodies[0]).not.toHaveProperty('session_id');
    });

    it('should neither start nor extend a session', async () => {
      const bodies = recordingCollector();
      const clock = { now: Date.parse('2026-11-26T12:00:00.000Z') };
      const sut = newClient({ now: () => clock.now, sessionTimeoutMs: 30 * 60_000, trackSessionStart: true });
      sut.identify('user-1'); // no session yet: none is started, so no user.session_started either
      sut.page();
      clock.now += 20 * 60_000;
      sut.identify('user-1');
      clock.now += 11 * 60_000; // 31 minutes after the page view: identify did not extend its session
      sut.page();
      await sut.flush();
      expect(bodies.map((event) => event.event_type)).toEqual([
        'user.identified',
        'user.session_started',
        'user.page_viewed',
        'user.identified',
        'user.session_started',
        'user.page_viewed',
      ]);
      expect(bodies[0].session_id).toBeUndefined();
      expect(bodies[3].session_id).toBe(bodies[2].session_id);
      expect(bodies[5].session_id).not.toBe(bodies[2].session_id);
    });

    it('should send nothing while opted out, and still tie the events after opting in to the user', async () => {
      const bodies = recordingCollector();
      const sut = newClient();
      sut.optOut();
      expect(sut.identify('user-1', { gender: 'female' })).toBeUndefined();
      await sut.flush();
      expect(bodies).toEqual([]);
      sut.optIn();
      sut.page();
      await sut.flush();
      expect(bodies).toMatchObject([{ event_type: 'user.page_viewed', user_id: 'user-1' }]);
    });
  });
});
