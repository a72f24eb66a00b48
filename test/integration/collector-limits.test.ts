import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { uuidv7 } from '@social-pulse/events';
import { createKafka } from '@social-pulse/kafka';
import { TOPICS } from '@social-pulse/shared';
import { logLevel, type Consumer } from 'kafkajs';
import { platform, startCollector, waitReady, type CollectorProcess } from '@social-pulse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Collectors of their own (the platform's runs whatever code it started with), on the platform's Kafka.
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
      startCollector({
        ...kafkaEnv,
        COLLECTOR_WRITE_KEYS: `${KEY},${ORIGIN_KEY}:https://a.example|https://b.example`,
        COLLECTOR_CORS_ORIGINS: '*',
      }),
      startCollector({
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
  });
});
