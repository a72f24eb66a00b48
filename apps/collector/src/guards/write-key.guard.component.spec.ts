import { CANARY_CLAIM_REASON } from '@social-pulse/events';
import { TOPICS } from '@social-pulse/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCollectorTestApp, type CollectorTestApp } from '../testing/collector-test-app';
import { contentEvent } from '@social-pulse/testing/fixtures';
import { WriteKeyGuard } from './write-key.guard';

const KEY = 'open-write-key';
const ORIGIN_KEY = 'origin-write-key';
const CANARY_KEY = 'canary-write-key';
const basic = (user: string) => `Basic ${Buffer.from(`${user}:`).toString('base64')}`;

describe(WriteKeyGuard.name, () => {
  let sut: CollectorTestApp;

  beforeAll(async () => {
    sut = await createCollectorTestApp({
      COLLECTOR_WRITE_KEYS: `${KEY},${ORIGIN_KEY}:https://a.example|https://b.example`,
      COLLECTOR_CORS_ORIGINS: 'https://c.example',
      COLLECTOR_CANARY_WRITE_KEY: CANARY_KEY,
    });
  });
  afterAll(() => sut.close());
  beforeEach(() => sut.kafka.reset());

  describe('where the key comes from', () => {
    it.each([
      ['the X-Write-Key header', '/v1/batch', { 'x-write-key': KEY }, {}],
      ['the user of HTTP Basic auth', '/v1/batch', { authorization: basic(KEY) }, {}],
      ['the write_key query parameter', `/v1/batch?write_key=${KEY}`, {}, {}],
      ['the write_key field of the body', '/v1/batch', {}, { write_key: KEY }],
    ])('should accept a batch with the key in %s', async (_, path, headers, extra) => {
      const event = contentEvent();

      const res = await sut.post(path, { events: [event], ...extra }, headers);

      expect(res.statusCode).toBe(202);
      expect(sut.kafka.values(TOPICS.contentEvents).map((e) => e.event_id)).toEqual([event.event_id]);
    });

    it('should accept a sendBeacon event (text/plain, key in the body) and not store the key', async () => {
      const event = contentEvent();

      const res = await sut.post('/v1/event', JSON.stringify({ ...event, write_key: KEY }), {
        'content-type': 'text/plain;charset=UTF-8',
      });

      expect(res.statusCode).toBe(202);
      const [stored] = sut.kafka.values(TOPICS.contentEvents);
      expect(stored.event_id).toBe(event.event_id);
      expect(stored).not.toHaveProperty('write_key');
    });

    it('should take the header over the body, so a wrong header is not rescued by a right body key', async () => {
      const res = await sut.post(
        '/v1/batch',
        { events: [contentEvent()], write_key: KEY },
        { 'x-write-key': 'wrong-key-123' },
      );

      expect(res.statusCode).toBe(401);
      expect(sut.kafka.published).toEqual([]);
    });
  });

  describe('refusals', () => {
    it.each(['/v1/batch', '/v1/event'])('should answer 401 with problem details on %s without a key', async (path) => {
      const res = await sut.post(path, { events: [contentEvent()] }, {});

      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toEqual({
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
        detail: 'missing write key: send X-Write-Key',
        instance: path,
      });
      expect(sut.kafka.published).toEqual([]);
    });

    it.each([
      ['header, same length as a real key', { 'x-write-key': KEY.replace('open', 'shut') }, '/v1/batch', {}],
      ['header, another length', { 'x-write-key': 'wrong-key-123' }, '/v1/batch', {}],
      ['Basic auth', { authorization: basic('wrong-key-123') }, '/v1/batch', {}],
      ['query', {}, '/v1/batch?write_key=wrong-key-123', {}],
      ['body', {}, '/v1/batch', { write_key: 'wrong-key-123' }],
      ['body of a single event', {}, '/v1/event', { write_key: 'wrong-key-123' }],
    ])('should answer 401 for an unknown key in the %s', async (_, headers, path, extra) => {
      const body = path === '/v1/event' ? { ...contentEvent(), ...extra } : { events: [contentEvent()], ...extra };

      const res = await sut.post(path, body, headers);

      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ status: 401, detail: 'unknown write key' });
      expect(sut.kafka.published).toEqual([]);
    });
  });

  describe('origins per key', () => {
    it('should let a key with origins post from them, and from clients that send no Origin', async () => {
      const body = { events: [contentEvent()] };

      const fromA = await sut.post('/v1/batch', body, { 'x-write-key': ORIGIN_KEY, origin: 'https://a.example' });
      const fromB = await sut.post('/v1/batch', body, { 'x-write-key': ORIGIN_KEY, origin: 'https://b.example' });
      const server = await sut.post('/v1/batch', body, { 'x-write-key': ORIGIN_KEY });

      expect([fromA.statusCode, fromB.statusCode, server.statusCode]).toEqual([202, 202, 202]);
      expect(fromA.headers['access-control-allow-origin']).toBe('https://a.example');
      expect(sut.kafka.published).toHaveLength(3);
    });

    it('should answer 403 for a key used from an origin it does not allow', async () => {
      const res = await sut.post(
        '/v1/batch',
        { events: [contentEvent()] },
        { 'x-write-key': ORIGIN_KEY, origin: 'https://c.example' },
      );

      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({
        status: 403,
        detail: 'origin https://c.example may not post with this write key',
      });
      expect(sut.kafka.published).toEqual([]);
    });

    it('should hold a key without origins of its own to COLLECTOR_CORS_ORIGINS', async () => {
      const body = { events: [contentEvent()] };

      const allowed = await sut.post('/v1/batch', body, { 'x-write-key': KEY, origin: 'https://c.example' });
      const refused = await sut.post('/v1/batch', body, { 'x-write-key': KEY, origin: 'https://a.example' });

      expect(allowed.statusCode).toBe(202);
      expect(refused.statusCode).toBe(403);
      expect(sut.kafka.published).toHaveLength(1);
    });

    it('should let any origin post with a key whose origins are *', async () => {
      const app = await createCollectorTestApp({ COLLECTOR_WRITE_KEYS: `${KEY}:*` });
      try {
        const res = await app.post(
          '/v1/batch',
          { events: [contentEvent()] },
          { 'x-write-key': KEY, origin: 'https://anywhere.example' },
        );

        expect(res.statusCode).toBe(202);
        expect(res.headers['access-control-allow-origin']).toBe('https://anywhere.example');
      } finally {
        await app.close();
      }
    });
  });

  describe("the canary's key", () => {
    it('should mark the events sent with it, and only those', async () => {
      const canary = contentEvent();
      const other = contentEvent();

      expect((await sut.post('/v1/batch', { events: [canary] }, { 'x-write-key': CANARY_KEY })).statusCode).toBe(202);
      expect((await sut.post('/v1/batch', { events: [other] }, { 'x-write-key': KEY })).statusCode).toBe(202);

      expect(sut.kafka.values(TOPICS.contentEvents).map((e) => [e.event_id, e.canary])).toEqual([
        [canary.event_id, true],
        [other.event_id, undefined],
      ]);
    });

    it('should reject, with its reason and into the dead letters, an event that claims the marker with another key', async () => {
      const claimed = { ...contentEvent(), canary: true };
      const fine = contentEvent();

      const res = await sut.post('/v1/batch', { events: [claimed, fine] }, { 'x-write-key': KEY });

      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual({
        accepted: 1,
        rejected: [{ index: 0, event_id: claimed.event_id, reason: CANARY_CLAIM_REASON }],
      });
      expect(sut.kafka.values(TOPICS.contentEvents).map((e) => e.event_id)).toEqual([fine.event_id]);
      expect(sut.kafka.values(TOPICS.deadLetter)).toMatchObject([{ reason: CANARY_CLAIM_REASON }]);
    });
  });
});
