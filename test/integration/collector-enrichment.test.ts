import { createKafka } from '@social-pulse/kafka';
import { logLevel } from 'kafkajs';
import {
  contentEvent,
  platform,
  readTopics,
  startCollector,
  waitReady,
  type CollectorProcess,
  type TopicReader,
} from '@social-pulse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The rejections (auth, limits, rate limits, CORS) are proven in the collector's component tier;
// here a collector of its own (the platform's runs whatever code it started with) on the
// platform's Kafka proves what only the real path shows: enriched events as they land in Kafka.
const KEY = 'limits-open-key';
const CHROME =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

describe('collector routes and enrichment', () => {
  let open: CollectorProcess;
  const kafka = createKafka('tests', platform.kafkaBrokers, { logLevel: logLevel.NOTHING });
  let reader: TopicReader;
  const seen = new Map<string, Record<string, unknown>[]>();

  const post = (path: string, body: unknown, headers: Record<string, string> = { 'x-write-key': KEY }) =>
    fetch(`${open.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    open = await startCollector({
      KAFKA_BROKERS: platform.kafkaBrokers.join(','),
      COLLECTOR_WRITE_KEYS: KEY,
      COLLECTOR_CORS_ORIGINS: '*',
      // The test client stands in for the edge proxy that sets the country header.
      TRUSTED_PROXIES: '127.0.0.1',
    });
    await waitReady(open.url);
    reader = await readTopics(kafka, 'collector-limits', ({ message }) => {
      const value = JSON.parse(message.value!.toString()) as Record<string, unknown>;
      const id = value.event_id as string;
      seen.set(id, [...(seen.get(id) ?? []), value]);
    });
  });

  afterAll(async () => {
    await reader?.stop();
    await open?.stop();
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
