import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { uuidv7 } from '@social-pulse/events';
import { createKafka } from '@social-pulse/kafka';
import { TOPICS } from '@social-pulse/shared';
import { logLevel, type Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, waitReady, type CollectorProcess } from '../../apps/collector/src/testing/collector-process';
import { platform } from './platform';

// Collectors of their own (the platform's runs whatever code it started with), on the platform's Kafka.
const OPEN_PORT = 18181;
const STRICT_PORT = 18182;
const KEY = 'limits-open-key';
const ORIGIN_KEY = 'limits-origin-key';
const CHROME =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

const contentEvent = (overrides: Record<string, unknown> = {}) => ({
  event_id: uuidv7(),
  event_type: 'content.liked',
  schema_version: 1,
  user_id: 'u-limits',
  client_ts: new Date().toISOString(),
  properties: { content_id: 'c-1', hashtags: ['limits'] },
  ...overrides,
});

const nested = (levels: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};

/** A raw POST: any bytes, any content type, so bodies fetch would refuse can be sent. */
function rawPost(
  url: string,
  body: string | Buffer,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { 'content-length': String(Buffer.byteLength(body)), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('collector limits, routes and enrichment', () => {
  let open: CollectorProcess;
  let strict: CollectorProcess;
  const kafka = createKafka('tests', platform.kafkaBrokers, { logLevel: logLevel.NOTHING });
  let consumer: Consumer;
  const seen = new Map<string, Record<string, unknown>[]>();

  const post = (
    path: string,
    body: unknown,
    headers: Record<string, string> = { 'x-write-key': KEY },
    base = open.url,
  ) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    const kafkaEnv = { KAFKA_BROKERS: platform.kafkaBrokers.join(',') };
    [open, strict] = await Promise.all([
      startCollector(OPEN_PORT, {
        ...kafkaEnv,
        COLLECTOR_WRITE_KEYS: `${KEY},${ORIGIN_KEY}:https://a.example|https://b.example`,
        COLLECTOR_CORS_ORIGINS: '*',
      }),
      startCollector(STRICT_PORT, {
        ...kafkaEnv,
        COLLECTOR_WRITE_KEYS: KEY,
        COLLECTOR_KEY_RATE_LIMIT: '2',
        COLLECTOR_IP_RATE_LIMIT: '5',
      }),
    ]);
    await Promise.all([waitReady(open.url), waitReady(strict.url)]);
    consumer = kafka.consumer({ groupId: `collector-limits-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topics: [TOPICS.contentEvents], fromBeginning: false });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachMessage: async ({ message }) => {
        const value = JSON.parse(message.value!.toString()) as Record<string, unknown>;
        const id = value.event_id as string;
        seen.set(id, [...(seen.get(id) ?? []), value]);
      },
    });
    await joined;
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await Promise.all([open?.stop(), strict?.stop()]);
  });

  describe('enrichment', () => {
    it('should store device, bot flag, country and the anonymised IP with the event', async () => {
      const human = contentEvent();
      const bot = contentEvent({
        context: { user_agent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' },
      });
      const res = await post(
        '/v1/batch',
        { events: [human, bot] },
        { 'x-write-key': KEY, 'user-agent': CHROME, 'cf-ipcountry': 'nl' },
      );
      expect(res.status).toBe(202);
      await expect.poll(() => seen.has(human.event_id) && seen.has(bot.event_id), { timeout: 20_000 }).toBe(true);
      expect(seen.get(human.event_id)![0].context).toEqual({
        device: expect.objectContaining({ type: 'desktop', os: 'macOS', browser: 'Chrome' }),
        is_bot: false,
        country: 'NL',
        ip: '127.0.0.0',
      });
      expect(seen.get(bot.event_id)![0].context).toMatchObject({ is_bot: true, device: { type: 'bot' } });
    });
  });

  describe('POST /v1/event', () => {
    it('should accept one event through the same pipeline', async () => {
      const event = contentEvent();
      const res = await post(
        '/v1/event',
        { ...event, sent_at: new Date().toISOString() },
        { 'x-write-key': KEY, 'x-country': 'fr' },
      );
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ accepted: 1, rejected: [] });
      await expect.poll(() => seen.get(event.event_id)?.length ?? 0, { timeout: 20_000 }).toBe(1);
      expect(seen.get(event.event_id)![0]).toMatchObject({
        event_time: expect.any(String),
        context: { country: 'FR' },
      });
      expect(seen.get(event.event_id)![0]).not.toHaveProperty('sent_at');
    });

    it('should answer 400 with the reason for an invalid event', async () => {
      const res = await post('/v1/event', contentEvent({ event_type: 'content.teleported' }));
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ statusCode: 400, message: expect.stringContaining('event_type') });
      expect((await post('/v1/event', [contentEvent()])).status).toBe(400);
    });
  });

  describe('authentication', () => {
    it('should take the write key from the header, Basic auth, the query or the body', async () => {
      expect((await post('/v1/batch', { events: [contentEvent()] })).status).toBe(202);
      expect(
        (
          await post(
            '/v1/batch',
            { events: [contentEvent()] },
            { authorization: `Basic ${Buffer.from(`${KEY}:`).toString('base64')}` },
          )
        ).status,
      ).toBe(202);
      expect((await post(`/v1/batch?write_key=${KEY}`, { events: [contentEvent()] }, {})).status).toBe(202);
      // sendBeacon: text/plain, key in the body, which is not stored with the event.
      const beacon = contentEvent();
      const res = await fetch(`${open.url}/v1/event`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
        body: JSON.stringify({ ...beacon, write_key: KEY }),
      });
      expect(res.status).toBe(202);
      await expect.poll(() => seen.get(beacon.event_id)?.length ?? 0, { timeout: 20_000 }).toBe(1);
      expect(seen.get(beacon.event_id)![0]).not.toHaveProperty('write_key');
    });

    it('should answer 401 with JSON without a key or with an unknown one', async () => {
      for (const path of ['/v1/batch', '/v1/event']) {
        const missing = await post(path, { events: [contentEvent()] }, {});
        expect(missing.status).toBe(401);
        expect(await missing.json()).toMatchObject({
          statusCode: 401,
          message: expect.stringContaining('missing write key'),
        });
        expect((await post(path, { events: [contentEvent()], write_key: 'wrong-key-123' }, {})).status).toBe(401);
      }
    });
  });

  describe('CORS per key', () => {
    it('should let a key post only from its own origins', async () => {
      const body = { events: [contentEvent()] };
      expect((await post('/v1/batch', body, { 'x-write-key': ORIGIN_KEY, origin: 'https://a.example' })).status).toBe(
        202,
      );
      expect((await post('/v1/batch', body, { 'x-write-key': ORIGIN_KEY })).status).toBe(202);
      const refused = await post('/v1/batch', body, { 'x-write-key': ORIGIN_KEY, origin: 'https://evil.example' });
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ statusCode: 403, message: expect.stringContaining('origin') });
      expect((await post('/v1/batch', body, { 'x-write-key': KEY, origin: 'https://evil.example' })).status).toBe(202);
    });

    it('should answer preflights with the origin', async () => {
      const res = await fetch(`${open.url}/v1/event`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://b.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-write-key',
        },
      });
      expect(res.status).toBeLessThan(300);
      expect(res.headers.get('access-control-allow-origin')).toBe('https://b.example');
    });
  });

  describe('limits', () => {
    const headers = { 'x-write-key': KEY, 'content-type': 'application/json' };

    it.each([
      ['bad JSON', '{"events": [', 'application/json', 400],
      ['bad JSON as text/plain', '{"events": [', 'text/plain', 400],
      ['an array', '[1,2]', 'application/json', 400],
      ['no events', '{"events": []}', 'application/json', 400],
      ['events of the wrong type', '{"events": "many"}', 'application/json', 400],
      ['an unsupported content type', '<events/>', 'application/xml', 415],
      ['a form (parsed, so not a batch)', 'events=1', 'application/x-www-form-urlencoded', 400],
    ])('should answer %s with a JSON 4xx', async (_, body, contentType, status) => {
      const res = await rawPost(`${open.url}/v1/batch`, body, { ...headers, 'content-type': contentType });
      expect(res.status).toBe(status);
      expect(JSON.parse(res.body)).toMatchObject({ statusCode: status, message: expect.any(String) });
    });

    it('should answer 413 for a body over 1 MiB and a batch over 500 events', async () => {
      const huge = await rawPost(
        `${open.url}/v1/batch`,
        JSON.stringify({ events: [{ s: 'x'.repeat(1_100_000) }] }),
        headers,
      );
      expect(huge.status).toBe(413);
      expect(JSON.parse(huge.body)).toMatchObject({ statusCode: 413 });
      const many = await post('/v1/batch', { events: Array.from({ length: 501 }, () => contentEvent()) });
      expect(many.status).toBe(413);
      expect(await many.json()).toMatchObject({ message: expect.stringContaining('at most 500') });
    });

    it('should reject, with reasons, events too deep, too long or too big, and accept the rest', async () => {
      const good = contentEvent();
      const events = [
        contentEvent({ properties: { content_id: 'c', deep: nested(9) } }),
        contentEvent({ context: nested(11) }),
        contentEvent({ properties: { content_id: 'c', bio: 'x'.repeat(8193) } }),
        contentEvent({ properties: { content_id: 'c', blobs: Array.from({ length: 5 }, () => 'y'.repeat(8000)) } }),
      ].map((e) => JSON.stringify(e));
      // 50,000 levels: more than a recursive walk (or JSON.stringify) survives.
      events.push(`{"events":${'['.repeat(50_000)}${']'.repeat(50_000)}}`, JSON.stringify(good));
      const res = await rawPost(`${open.url}/v1/batch`, `{"events":[${events.join(',')}]}`, headers);
      expect(res.status).toBe(202);
      const answer = JSON.parse(res.body) as { accepted: number; rejected: { index: number; reason: string }[] };
      expect(answer.accepted).toBe(2);
      expect(answer.rejected.map((r) => [r.index, r.reason.replace(/^.*: /, '')])).toEqual([
        [1, 'nested deeper than 10 levels'],
        [2, 'string of 8193 characters; the limit is 8192'],
        [3, expect.stringMatching(/^event is \d+ bytes; the limit is 32768$/)],
        [4, 'nested deeper than 10 levels'],
      ]);
      await expect.poll(() => seen.get(good.event_id)?.length ?? 0, { timeout: 20_000 }).toBe(1);
    });
  });

  describe('rate limits', () => {
    it('should answer 429 with Retry-After per key, then per IP', async () => {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 6; i++) {
        const res = await post('/v1/batch', { events: [contentEvent()] }, { 'x-write-key': KEY }, strict.url);
        statuses.push(res.status);
        if (res.status === 429) {
          retryAfter = res.headers.get('retry-after');
          expect(await res.json()).toMatchObject({ statusCode: 429, message: expect.stringContaining('per key') });
        }
      }
      // Burst of twice the rate of 2/s: four pass, then the key is limited.
      expect(statuses.slice(0, 4)).toEqual([202, 202, 202, 202]);
      expect(statuses.slice(4)).toEqual([429, 429]);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);

      // The IP's burst is ten requests: without a key, the first ones are 401, then the IP limit answers.
      let res = await post('/v1/batch', { events: [contentEvent()] }, {}, strict.url);
      for (let i = 0; i < 10 && res.status === 401; i++)
        res = await post('/v1/batch', { events: [contentEvent()] }, {}, strict.url);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await res.json()).toMatchObject({ message: expect.stringContaining('per ip') });
    });
  });

  describe('metrics', () => {
    it('should expose in-flight requests and rejections by reason', async () => {
      const text = await (await fetch(`${open.url}/metrics`)).text();
      expect(text).toMatch(/^collector_http_requests_in_flight\{[^}]*\} [1-9]\d*$/m); // this request itself
      expect(text).toMatch(/^collector_events_total\{outcome="rejected",reason="depth"[^}]*\} \d+$/m);
      for (const [status, reason] of [
        [400, 'bad_request'],
        [401, 'unauthorized'],
        [403, 'origin_not_allowed'],
        [413, 'too_large'],
        [415, 'unsupported_content_type'],
      ]) {
        expect(text).toMatch(
          new RegExp(
            `^collector_requests_rejected_total\\{status="${status}",reason="${reason}"[^}]*\\} [1-9]\\d*$`,
            'm',
          ),
        );
      }
      expect(text).toMatch(/^collector_batch_size_events_count\{[^}]*\} \d+$/m);
      expect(text).toMatch(/^collector_kafka_produce_seconds_count\{[^}]*\} \d+$/m);
    });
  });
});
