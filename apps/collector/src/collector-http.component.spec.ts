import { TOPICS } from '@social-pulse/shared';
import { deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collectorHttpOptions } from './collector-http';
import { createCollectorTestApp, TEST_WRITE_KEY, type CollectorTestApp } from './testing/collector-test-app';
import { contentEvent } from '@social-pulse/testing/fixtures';

const MAX_BODY_BYTES = 4096;
const ORIGIN_KEY = 'origin-write-key';
const headers = { 'x-write-key': TEST_WRITE_KEY };

/** A JSON batch of exactly `bytes` bytes (padding in a property), to probe the body limit. */
function batchOfBytes(bytes: number): { body: string; eventId: string } {
  const event = contentEvent({ properties: { content_id: 'c-1', pad: '' } });
  const pad = 'x'.repeat(bytes - Buffer.byteLength(JSON.stringify({ events: [event] })));
  const body = JSON.stringify({ events: [{ ...event, properties: { content_id: 'c-1', pad } }] });
  return { body, eventId: event.event_id };
}

/** A sample's value in Prometheus text (its labels starting with `labels`), 0 when absent. */
function sample(text: string, name: string, labels = ''): number {
  const line = text
    .split('\n')
    .find((l) => (labels ? l.startsWith(`${name}{${labels}`) : l.startsWith(`${name} `) || l.startsWith(`${name}{`)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe(collectorHttpOptions.name, () => {
  let sut: CollectorTestApp;

  beforeAll(async () => {
    sut = await createCollectorTestApp({
      COLLECTOR_WRITE_KEYS: `${TEST_WRITE_KEY},${ORIGIN_KEY}:https://a.example`,
      COLLECTOR_CORS_ORIGINS: 'https://c.example',
      COLLECTOR_MAX_BODY_BYTES: String(MAX_BODY_BYTES),
    });
  });
  afterAll(() => sut.close());
  beforeEach(() => sut.kafka.reset());

  describe('body limit (COLLECTOR_MAX_BODY_BYTES)', () => {
    it('should accept a body of exactly the limit', async () => {
      const { body, eventId } = batchOfBytes(MAX_BODY_BYTES);

      const res = await sut.post('/v1/batch', body, headers);

      expect(res.statusCode).toBe(202);
      expect(sut.kafka.values(TOPICS.contentEvents).map((e) => e.event_id)).toEqual([eventId]);
    });

    it('should answer 413 with a problem for a body one byte over the limit, and publish nothing', async () => {
      const { body } = batchOfBytes(MAX_BODY_BYTES + 1);

      const res = await sut.post('/v1/batch', body, headers);

      expect(res.statusCode).toBe(413);
      expect(res.json()).toMatchObject({ status: 413, detail: expect.any(String) });
      expect(sut.kafka.published).toEqual([]);
    });

    it('should apply the limit to the inflated bytes, refusing a small gzip bomb with 413', async () => {
      const bomb = gzipSync(JSON.stringify({ events: [{ pad: '0'.repeat(200_000) }] }));
      expect(bomb.length).toBeLessThan(MAX_BODY_BYTES);

      const res = await sut.post('/v1/batch', bomb, { ...headers, 'content-encoding': 'gzip' });

      expect(res.statusCode).toBe(413);
      expect(sut.kafka.published).toEqual([]);
    });
  });

  describe('compressed bodies', () => {
    it.each([
      ['gzip', gzipSync],
      ['deflate', deflateSync],
    ])('should accept a %s batch', async (encoding, compress) => {
      const events = [contentEvent(), contentEvent()];

      const res = await sut.post('/v1/batch', compress(JSON.stringify({ events })), {
        ...headers,
        'content-encoding': encoding,
      });

      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual({ accepted: 2, rejected: [] });
      expect(sut.kafka.values(TOPICS.contentEvents).map((e) => e.event_id)).toEqual(events.map((e) => e.event_id));
    });

    it('should answer 415 for an encoding other than gzip or deflate', async () => {
      const res = await sut.post('/v1/batch', JSON.stringify({ events: [contentEvent()] }), {
        ...headers,
        'content-encoding': 'br',
      });

      expect(res.statusCode).toBe(415);
      expect(res.json()).toMatchObject({ status: 415, detail: expect.stringContaining('"br"') });
    });

    it('should answer 400 for a body that is not valid gzip', async () => {
      const res = await sut.post('/v1/batch', Buffer.from('certainly not gzip'), {
        ...headers,
        'content-encoding': 'gzip',
      });

      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ detail: expect.stringContaining('not valid gzip') });
      expect(sut.kafka.published).toEqual([]);
    });
  });

  describe('bodies that are not a batch', () => {
    it.each([
      ['bad JSON', '{"events": [', 'application/json', 400],
      ['bad JSON as text/plain', '{"events": [', 'text/plain', 400],
      ['an unsupported content type', '<events/>', 'application/xml', 415],
      ['a form (parsed, so not a batch)', 'events=1', 'application/x-www-form-urlencoded', 400],
    ])('should answer %s with a problem 4xx and publish nothing', async (_, body, contentType, status) => {
      const res = await sut.post('/v1/batch', body, { ...headers, 'content-type': contentType });

      expect(res.statusCode).toBe(status);
      expect(res.json()).toMatchObject({ status, detail: expect.any(String) });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(sut.kafka.published).toEqual([]);
    });
  });

  describe('CORS', () => {
    const preflight = (origin: string) =>
      sut.inject({
        method: 'OPTIONS',
        url: '/v1/batch',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,content-encoding,x-write-key',
        },
      });

    it.each([
      ['a key of its own', 'https://a.example'],
      ['COLLECTOR_CORS_ORIGINS', 'https://c.example'],
    ])('should answer a preflight from an origin allowed by %s', async (_, origin) => {
      const res = await preflight(origin);

      expect(res.statusCode).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe(origin);
      expect(res.headers['access-control-allow-headers']).toBe(
        'content-type, content-encoding, x-write-key, authorization',
      );
      expect(res.headers['access-control-max-age']).toBe('600');
    });

    it('should not allow a preflight from an origin no key allows', async () => {
      const res = await preflight('https://evil.example');

      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('should expose Retry-After to browsers', async () => {
      const res = await sut.post(
        '/v1/batch',
        { events: [contentEvent()] },
        { 'x-write-key': ORIGIN_KEY, origin: 'https://a.example' },
      );

      expect(res.statusCode).toBe(202);
      expect(res.headers['access-control-expose-headers']).toBe('retry-after');
    });
  });

  describe('metrics', () => {
    const metrics = async () => (await sut.inject({ method: 'GET', url: '/metrics' })).body;

    it('should count whole-request rejections by status and reason', async () => {
      const before = await metrics();

      await sut.post('/v1/batch', '{', headers);
      await sut.post('/v1/batch', { events: [contentEvent()] }, {});
      await sut.post('/v1/batch', { events: [contentEvent()] }, {});
      await sut.post(
        '/v1/batch',
        { events: [contentEvent()] },
        { 'x-write-key': ORIGIN_KEY, origin: 'https://c.example' },
      );
      await sut.post('/v1/batch', batchOfBytes(MAX_BODY_BYTES + 1).body, headers);
      await sut.post('/v1/batch', '<events/>', { ...headers, 'content-type': 'application/xml' });
      sut.kafka.disconnect();
      await sut.post('/v1/batch', { events: [contentEvent()] }, headers);
      const after = await metrics();

      const delta = (status: number, reason: string) =>
        sample(after, 'collector_requests_rejected_total', `status="${status}",reason="${reason}"`) -
        sample(before, 'collector_requests_rejected_total', `status="${status}",reason="${reason}"`);
      expect({
        400: delta(400, 'bad_request'),
        401: delta(401, 'unauthorized'),
        403: delta(403, 'origin_not_allowed'),
        413: delta(413, 'too_large'),
        415: delta(415, 'unsupported_content_type'),
        503: delta(503, 'kafka_unavailable'),
      }).toEqual({ 400: 1, 401: 2, 403: 1, 413: 1, 415: 1, 503: 1 });
    });

    it('should count events by outcome and rejection reason, and batch sizes', async () => {
      const before = await metrics();

      await sut.post(
        '/v1/batch',
        { events: [contentEvent(), contentEvent(), { ...contentEvent(), event_id: 'x' }] },
        headers,
      );
      const after = await metrics();

      const delta = (name: string, labels?: string) => sample(after, name, labels) - sample(before, name, labels);
      expect(delta('collector_events_total', 'outcome="accepted"')).toBe(2);
      expect(delta('collector_events_total', 'outcome="rejected",reason="event_id"')).toBe(1);
      expect(delta('collector_batch_size_events_count')).toBe(1);
      expect(delta('collector_batch_size_events_sum')).toBe(3);
    });

    it('should report the requests in flight, the metrics request itself included', async () => {
      await sut.post('/v1/batch', { events: [contentEvent()] }, headers);

      expect(sample(await metrics(), 'collector_http_requests_in_flight')).toBe(1);
    });
  });
});
