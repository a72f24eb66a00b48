import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { createKafka } from '@social-pulse/kafka';
import {
  contentEvent,
  platform,
  readTopics,
  startCollector,
  waitReady,
  type CollectorProcess,
} from '@social-pulse/testing';
import { logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A collector of its own (the platform's runs whatever code it started with), on the platform's Kafka.
const KEY = 'compression-test-key';

const event = (userId: string, seq: number) =>
  contentEvent({ user_id: userId, properties: { content_id: `c-${seq}`, seq, hashtags: ['compression'] } });

function post(url: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/v1/batch`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-write-key': KEY,
          'content-length': String(body.length),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('collector request compression and per-user order', () => {
  let collector: CollectorProcess;

  beforeAll(async () => {
    collector = await startCollector({
      KAFKA_BROKERS: platform.kafkaBrokers.join(','),
      COLLECTOR_WRITE_KEYS: KEY,
    });
    await waitReady(collector.url);
  });
  afterAll(() => collector?.stop());

  it('should accept a gzip body and refuse corrupt, bombed or unknown encodings with 4xx', async () => {
    const batch = Buffer.from(JSON.stringify({ events: Array.from({ length: 50 }, (_, i) => event('u-gzip', i)) }));
    const ok = await post(collector.url, gzipSync(batch), { 'content-encoding': 'gzip' });
    expect(ok.status, ok.body).toBe(202);
    expect(JSON.parse(ok.body)).toMatchObject({ accepted: 50, rejected: [] });

    const corrupt = await post(collector.url, Buffer.from('definitely not gzip'), { 'content-encoding': 'gzip' });
    expect(corrupt.status).toBe(400);
    // 20 MB of spaces gzip to ~20 kB: the limit applies to what it decompresses to.
    const bomb = gzipSync(
      Buffer.concat([Buffer.from('{"events":[1]'), Buffer.alloc(20_000_000, ' '), Buffer.from('}')]),
    );
    expect((await post(collector.url, bomb, { 'content-encoding': 'gzip' })).status).toBe(413);
    expect((await post(collector.url, batch, { 'content-encoding': 'br' })).status).toBe(415);
    expect((await fetch(`${collector.url}/health`)).status).toBe(200);
  });

  it("should keep one user's events in order on one partition", async () => {
    const user = `u-order-${randomUUID()}`;
    const sent: string[] = [];
    for (let batch = 0; batch < 5; batch++) {
      const events = Array.from({ length: 10 }, (_, i) => event(user, batch * 10 + i));
      sent.push(...events.map((e) => e.event_id));
      const res = await post(collector.url, Buffer.from(JSON.stringify({ events })), {});
      expect(res.status).toBe(202);
    }
    const kafka = createKafka('tests', platform.kafkaBrokers, { logLevel: logLevel.NOTHING });
    const seen: { id: string; partition: number; offset: bigint }[] = [];
    const reader = await readTopics(
      kafka,
      'order-test',
      ({ partition, message }) => {
        if (message.key?.toString() !== user) return;
        seen.push({
          id: (JSON.parse(message.value!.toString()) as { event_id: string }).event_id,
          partition,
          offset: BigInt(message.offset),
        });
      },
      { fromBeginning: true },
    );
    try {
      await expect.poll(() => seen.length, { timeout: 60_000, interval: 250 }).toBe(sent.length);
    } finally {
      await reader.stop();
    }
    expect(new Set(seen.map((s) => s.partition)).size).toBe(1);
    expect([...seen].sort((a, b) => (a.offset < b.offset ? -1 : 1)).map((s) => s.id)).toEqual(sent);
  });
});
