import { TOPICS } from '@social-pulse/shared';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCollectorTestApp, TEST_WRITE_KEY, type CollectorTestApp } from '../testing/collector-test-app';
import { adEvent, contentEvent, identifyEvent, nested, userEvent } from '@social-pulse/testing/fixtures';
import { BatchController } from './batch.controller';

const CHROME =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

/** The load balancer in front of the collector: its country headers and X-Forwarded-For are believed. */
const PROXY_CIDR = '10.0.0.0/8';
const PROXY = '10.1.2.3';

interface BatchAnswer {
  accepted: number;
  rejected: { index: number; event_id?: string; reason: string }[];
}

describe(BatchController.name, () => {
  let sut: CollectorTestApp;

  beforeAll(async () => {
    sut = await createCollectorTestApp({
      COLLECTOR_MAX_BATCH_EVENTS: '5',
      COLLECTOR_MAX_EVENT_BYTES: '4096',
      COLLECTOR_MAX_DEPTH: '4',
      COLLECTOR_MAX_STRING_LENGTH: '200',
      TRUSTED_PROXIES: PROXY_CIDR,
    });
  });
  afterAll(() => sut.close());
  beforeEach(() => sut.kafka.reset());
  afterEach(() => vi.useRealTimers());

  describe('POST /v1/batch', () => {
    it('should publish the events of each family to its topic, keyed by user or visitor, in one publish', async () => {
      const content = contentEvent({ user_id: 'u-1', properties: { content_id: 'c-1', hashtags: ['#Pulse'] } });
      // A visitor not yet identified: no user_id, so the anonymous id is the key.
      const user = userEvent({ user_id: undefined, anonymous_id: 'anon-2' });
      const ad = adEvent({ user_id: 'u-3' });

      const res = await sut.post('/v1/batch', { events: [content, user, ad] });

      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual({ accepted: 3, rejected: [] });
      expect(sut.kafka.published).toHaveLength(1);
      expect(sut.kafka.records().map(({ topic, key }) => [topic, key])).toEqual([
        [TOPICS.contentEvents, 'u-1'],
        [TOPICS.userEvents, 'anon-2'],
        [TOPICS.adEvents, 'u-3'],
      ]);
      expect(sut.kafka.values(TOPICS.contentEvents)[0]).toMatchObject({
        event_id: content.event_id,
        properties: { content_id: 'c-1', hashtags: ['pulse'] },
      });
      expect(sut.kafka.values(TOPICS.adEvents)[0]).toMatchObject({
        event_id: ad.event_id,
        properties: { cost_micros: 1500, currency: 'USD' },
      });
    });

    it('should take user.identified (schema 2) beside a schema 1 event to user-events, and dead-letter a bad trait', async () => {
      const identify = identifyEvent({ user_id: 'u-7', anonymous_id: 'anon-7' });
      const old = userEvent({ schema_version: 1, user_id: undefined, anonymous_id: 'anon-8' });
      const badTrait = identifyEvent({ properties: { traits: { age_band: '30-39', plan: 'pro' } } });

      const res = await sut.post('/v1/batch', { events: [identify, badTrait, old] });

      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual({
        accepted: 2,
        rejected: [
          {
            index: 1,
            event_id: badTrait.event_id,
            reason: expect.stringMatching(/^properties\.traits\.age_band: expected an age band: 13-17, /),
          },
        ],
      });
      expect(sut.kafka.records(TOPICS.userEvents).map(({ key }) => key)).toEqual(['u-7', 'anon-8']);
      expect(sut.kafka.values(TOPICS.userEvents)).toMatchObject([
        {
          event_id: identify.event_id,
          event_type: 'user.identified',
          schema_version: 2,
          anonymous_id: 'anon-7',
          properties: { traits: identify.properties.traits },
        },
        { event_id: old.event_id, event_type: 'user.page_viewed', schema_version: 1 },
      ]);
      expect(sut.kafka.values(TOPICS.deadLetter)).toMatchObject([
        { reason_code: 'properties', event: { event_id: badTrait.event_id } },
      ]);
    });

    it('should reject user.identified sent as schema 1, or without its anonymous id, with the reason', async () => {
      const old = identifyEvent({ schema_version: 1 });
      const unlinked = identifyEvent({ anonymous_id: undefined });

      const res = await sut.post('/v1/batch', { events: [old, unlinked] });

      expect(res.json()).toEqual({
        accepted: 0,
        rejected: [
          {
            index: 0,
            event_id: old.event_id,
            reason: 'schema_version: expected schema_version 2 (user.identified is new in version 2)',
          },
          {
            index: 1,
            event_id: unlinked.event_id,
            reason: expect.stringMatching(/^anonymous_id: expected anonymous_id/),
          },
        ],
      });
      expect(sut.kafka.values(TOPICS.deadLetter).map((letter) => letter.reason_code)).toEqual([
        'schema_version',
        'anonymous_id',
      ]);
      expect(sut.kafka.records(TOPICS.userEvents)).toEqual([]);
    });

    it('should enrich events with device, bot flag, country and the anonymised IP, via a trusted proxy', async () => {
      const human = contentEvent({ context: { country: 'ZZ', ip: '1.2.3.4' } });
      const bot = contentEvent({ context: { user_agent: GOOGLEBOT } });

      const res = await sut.post(
        '/v1/batch',
        { events: [human, bot] },
        {
          'x-write-key': TEST_WRITE_KEY,
          'user-agent': CHROME,
          'cf-ipcountry': 'nl',
          'x-forwarded-for': '203.0.113.77',
        },
        { remoteAddress: PROXY },
      );

      expect(res.statusCode).toBe(202);
      const [storedHuman, storedBot] = sut.kafka.values(TOPICS.contentEvents);
      expect(storedHuman.context).toEqual({
        device: expect.objectContaining({ type: 'desktop', os: 'macOS', browser: 'Chrome' }),
        is_bot: false,
        country: 'NL',
        ip: '203.0.113.0',
      });
      expect(storedBot.context).toMatchObject({ is_bot: true, device: { type: 'bot' }, country: 'NL' });
    });

    it('should stamp received_at and correct event_time by the clock skew the batch sent_at shows', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date('2026-11-26T12:00:00.000Z'));
      // The client's clock is 60 s behind: it sent at 11:59:00 what it stamped 11:58:30.
      const late = contentEvent({ client_ts: '2026-11-26T11:58:30.000Z' });
      // A client time after the receipt is capped at the receipt.
      const future = contentEvent({ client_ts: '2026-11-26T13:00:00.000Z', sent_at: '2026-11-26T12:00:00.000Z' });

      const res = await sut.post('/v1/batch', { sent_at: '2026-11-26T11:59:00.000Z', events: [late, future] });

      expect(res.statusCode).toBe(202);
      expect(sut.kafka.values(TOPICS.contentEvents)).toMatchObject([
        { event_id: late.event_id, received_at: '2026-11-26T12:00:00.000Z', event_time: '2026-11-26T11:59:30.000Z' },
        { event_id: future.event_id, received_at: '2026-11-26T12:00:00.000Z', event_time: '2026-11-26T12:00:00.000Z' },
      ]);
    });

    it('should accept the valid events and reject the others with their index, id and reason', async () => {
      const good = contentEvent();
      const events = [
        { ...contentEvent(), event_id: 'not-a-uuid' },
        good,
        contentEvent({ event_type: 'content.teleported' }),
        contentEvent({ user_id: undefined }),
        adEvent({ properties: { campaign_id: 'c', ad_id: 'a', currency: 'dollars' } }),
      ];

      const res = await sut.post('/v1/batch', { events });
      const answer = res.json<BatchAnswer>();

      expect(res.statusCode).toBe(202);
      expect(answer.accepted).toBe(1);
      expect(answer.rejected).toEqual([
        { index: 0, event_id: 'not-a-uuid', reason: 'event_id: expected a UUID v7 event_id' },
        { index: 2, event_id: events[2].event_id, reason: expect.stringMatching(/^event_type: expected a known/) },
        { index: 3, event_id: events[3].event_id, reason: 'user_id: expected user_id or anonymous_id' },
        { index: 4, event_id: events[4].event_id, reason: expect.stringContaining('ISO 4217') },
      ]);
      expect(sut.kafka.values(TOPICS.contentEvents).map((e) => e.event_id)).toEqual([good.event_id]);
    });

    it('should send each rejected event to the dead letters, with its reason, in the same publish', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date('2026-11-26T12:00:00.000Z'));
      const bad = { ...contentEvent(), event_id: 'not-a-uuid' };
      const good = contentEvent();

      await sut.post('/v1/batch', { events: [bad, good, 42] });

      expect(sut.kafka.published).toHaveLength(1);
      expect(sut.kafka.records(TOPICS.deadLetter).map((r) => r.key)).toEqual([
        'not-a-uuid',
        `batch-${Date.parse('2026-11-26T12:00:00.000Z')}-2`,
      ]);
      expect(sut.kafka.values(TOPICS.deadLetter)).toEqual([
        {
          reason_code: 'event_id',
          reason: 'event_id: expected a UUID v7 event_id',
          received_at: '2026-11-26T12:00:00.000Z',
          event: bad,
        },
        {
          reason_code: 'event',
          reason: expect.stringContaining('event_type'),
          received_at: '2026-11-26T12:00:00.000Z',
          event: 42,
        },
      ]);
    });

    it('should keep only an excerpt of a dead letter bigger than COLLECTOR_MAX_EVENT_BYTES', async () => {
      const big = contentEvent({
        properties: { content_id: 'c', parts: Array.from({ length: 30 }, () => 'y'.repeat(190)) },
      });

      const res = await sut.post('/v1/batch', { events: [big] });

      expect(res.json<BatchAnswer>().rejected).toEqual([
        { index: 0, event_id: big.event_id, reason: expect.stringMatching(/^event is \d+ bytes; the limit is 4096$/) },
      ]);
      const [letter] = sut.kafka.values(TOPICS.deadLetter);
      expect(letter).not.toHaveProperty('event');
      expect(letter.event_excerpt).toBe(JSON.stringify(big).slice(0, 1024));
    });

    it('should reject events nested too deep, with strings or keys too long, or too big, by the configured limits', async () => {
      const good = contentEvent();
      const events = [
        contentEvent({ properties: { content_id: 'c', deep: nested(3) } }), // properties + 3 = 4 levels: allowed
        contentEvent({ context: nested(5) }),
        contentEvent({ properties: { content_id: 'c', bio: 'x'.repeat(201) } }),
        contentEvent({ properties: { content_id: 'c', ['k'.repeat(257)]: 1 } }),
        contentEvent({ properties: { content_id: 'c', blobs: Array.from({ length: 25 }, () => 'y'.repeat(190)) } }),
      ];

      const res = await sut.post('/v1/batch', { events: [...events.slice(0, 4), good] });
      const sizeRes = await sut.post('/v1/batch', { events: [events[4]] });

      expect(res.statusCode).toBe(202);
      expect(res.json<BatchAnswer>()).toEqual({
        accepted: 2,
        rejected: [
          { index: 1, event_id: events[1].event_id, reason: 'context.a.a.a.a: nested deeper than 4 levels' },
          {
            index: 2,
            event_id: events[2].event_id,
            reason: 'properties.bio: string of 201 characters; the limit is 200',
          },
          {
            index: 3,
            event_id: events[3].event_id,
            reason: `properties.${'k'.repeat(40)}: key of 257 characters; the limit is 256`,
          },
        ],
      });
      expect(sizeRes.json<BatchAnswer>().rejected[0].reason).toMatch(/^event is \d+ bytes; the limit is 4096$/);
      expect(sut.kafka.values(TOPICS.contentEvents).map((e) => e.event_id)).toEqual([
        events[0].event_id,
        good.event_id,
      ]);
    });

    it('should reject an event nested 50,000 levels deep without failing its batch', async () => {
      const good = contentEvent();
      // More levels than a recursive walk (or JSON.stringify) survives.
      const body = `{"events":[{"events":${'['.repeat(50_000)}${']'.repeat(50_000)}},${JSON.stringify(good)}]}`;

      const res = await sut.post('/v1/batch', body);

      expect(res.statusCode).toBe(202);
      expect(res.json<BatchAnswer>()).toEqual({
        accepted: 1,
        rejected: [{ index: 0, reason: 'events[0][0][0][0]: nested deeper than 4 levels' }],
      });
      expect(sut.kafka.records(TOPICS.contentEvents)).toHaveLength(1);
      expect(sut.kafka.records(TOPICS.deadLetter)).toHaveLength(1);
    });

    it('should answer 413 for more events than COLLECTOR_MAX_BATCH_EVENTS and publish nothing', async () => {
      const res = await sut.post('/v1/batch', { events: Array.from({ length: 6 }, () => contentEvent()) });

      expect(res.statusCode).toBe(413);
      expect(res.json()).toMatchObject({
        status: 413,
        detail: 'a batch holds at most 5 events; this one has 6',
      });
      expect(sut.kafka.published).toEqual([]);
    });

    it.each([
      ['no events', { events: [] }, 'events: expected at least one event'],
      ['events that are not an array', { events: 'many' }, 'events:'],
      ['no events field', { nothing: true }, 'events:'],
      ['a bad sent_at', { sent_at: 'yesterday', events: [{}] }, 'sent_at: expected an ISO-8601 time'],
      ['an array', [contentEvent()], 'body:'],
    ])('should answer 400 for %s and publish nothing', async (_, body, reason) => {
      const res = await sut.post('/v1/batch', body);

      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        status: 400,
        detail: expect.stringContaining(`invalid batch: ${reason}`),
      });
      expect(sut.kafka.published).toEqual([]);
    });
  });

  describe('POST /v1/event', () => {
    it('should accept one event through the same pipeline, without its sent_at and write_key', async () => {
      const event = userEvent();

      const res = await sut.post(
        '/v1/event',
        { ...event, sent_at: new Date().toISOString(), write_key: TEST_WRITE_KEY },
        { 'x-country': 'fr' },
        { remoteAddress: PROXY },
      );

      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual({ accepted: 1, rejected: [] });
      const [stored] = sut.kafka.values(TOPICS.userEvents);
      expect(stored).toMatchObject({
        event_id: event.event_id,
        event_time: expect.any(String),
        context: { country: 'FR' },
      });
      expect(stored).not.toHaveProperty('sent_at');
      expect(stored).not.toHaveProperty('write_key');
    });

    it('should answer 400 with the reason for an invalid event, and still keep it as a dead letter', async () => {
      const event = contentEvent({ event_type: 'content.teleported' });

      const res = await sut.post('/v1/event', event);

      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        status: 400,
        detail: expect.stringMatching(/^invalid event: event_type: /),
      });
      expect(sut.kafka.records(TOPICS.deadLetter).map((r) => r.key)).toEqual([event.event_id]);
      expect(sut.kafka.records(TOPICS.contentEvents)).toEqual([]);
    });

    it('should answer 400 for a body that is not an object', async () => {
      const res = await sut.post('/v1/event', [contentEvent()]);

      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ detail: 'invalid event: expected a JSON object' });
      expect(sut.kafka.published).toEqual([]);
    });
  });

  describe('when Kafka cannot publish', () => {
    it('should answer 503 at once while Kafka is known to be away, publishing nothing', async () => {
      sut.kafka.disconnect();

      const res = await sut.post('/v1/batch', { events: [contentEvent()] });

      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 503, detail: expect.stringContaining('Kafka is unavailable') });
      expect(sut.kafka.published).toEqual([]);
    });

    it('should answer 503 when a publish fails, report the failure, and refuse further batches until Kafka is back', async () => {
      sut.kafka.failNextPublish(new Error('broker went away'));

      const failed = await sut.post('/v1/batch', { events: [contentEvent()] });
      const meanwhile = await sut.post('/v1/batch', { events: [contentEvent()] });
      sut.kafka.recover();
      const after = await sut.post('/v1/batch', { events: [contentEvent()] });

      expect(failed.statusCode).toBe(503);
      expect(failed.json()).toMatchObject({ detail: expect.stringContaining('could not be made durable') });
      expect(sut.kafka.failuresReported).toBe(1);
      expect(meanwhile.statusCode).toBe(503);
      expect(after.statusCode).toBe(202);
      expect(sut.kafka.published).toHaveLength(1);
    });

    it('should answer 413, not 503, when Kafka refuses the records as too large', async () => {
      sut.kafka.failNextPublish(Object.assign(new Error('send failed'), { cause: { type: 'MESSAGE_TOO_LARGE' } }));

      const res = await sut.post('/v1/batch', { events: [contentEvent()] });

      expect(res.statusCode).toBe(413);
      expect(res.json()).toMatchObject({ detail: expect.stringContaining('too large for Kafka') });
      expect(sut.kafka.failuresReported).toBe(0);
      expect(sut.kafka.canPublish()).toBe(true);
    });
  });

  describe('GET /v1/schema', () => {
    it('should describe the event types of every family', async () => {
      const res = await sut.inject({ method: 'GET', url: '/v1/schema' });

      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('content.liked');
      expect(res.body).toContain('user.page_viewed');
      expect(res.body).toContain('user.identified');
      expect(res.body).toContain('ad.click');
    });
  });
});
