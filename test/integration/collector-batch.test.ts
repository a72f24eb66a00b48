import { randomUUID } from 'node:crypto';
import { createKafka } from '@social-pulse/kafka';
import { uuidv7 } from '@social-pulse/events';
import { TOPICS } from '@social-pulse/shared';
import { logLevel, type Consumer } from 'kafkajs';
import { platform } from '@social-pulse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const WRITE_KEY = 'pulse-dev-write-key';
const post = (body: unknown, headers: Record<string, string> = { 'x-write-key': WRITE_KEY }) =>
  fetch(`${platform.collectorUrl}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

const contentEvent = (userId: string, hashtags: string[]) => ({
  event_id: uuidv7(),
  event_type: 'content.liked',
  schema_version: 1,
  user_id: userId,
  client_ts: new Date().toISOString(),
  properties: { content_id: 'c-1', hashtags },
});

describe('collector POST /v1/batch', () => {
  const kafka = createKafka('tests', platform.kafkaBrokers, { logLevel: logLevel.NOTHING });
  let consumer: Consumer;
  const seen = new Map<string, { topic: string; key: string; value: Record<string, unknown> }[]>();

  beforeAll(async () => {
    consumer = kafka.consumer({ groupId: `collector-test-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topics: [TOPICS.contentEvents, TOPICS.deadLetter], fromBeginning: false });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        const value = JSON.parse(message.value!.toString()) as Record<string, unknown>;
        const id = (value.event_id ?? (value.event as { event_id?: string } | undefined)?.event_id) as string;
        seen.set(id, [...(seen.get(id) ?? []), { topic, key: message.key!.toString(), value }]);
      },
    });
    await joined;
  });
  afterAll(() => consumer?.disconnect());

  it('should accept the valid events of a batch and reject the others with reasons', async () => {
    const good = contentEvent('u-batch', ['#Kafka']);
    const bad = { ...contentEvent('u-batch', []), event_id: 'not-a-uuid' };
    const res = await post({ sent_at: new Date().toISOString(), events: [good, bad] });
    expect(res.status).toBe(202);
    const answer = (await res.json()) as { accepted: number; rejected: { index: number; reason: string }[] };
    expect(answer.accepted).toBe(1);
    expect(answer.rejected).toEqual([{ index: 1, event_id: 'not-a-uuid', reason: expect.stringContaining('UUID v7') }]);

    await expect.poll(() => seen.get(good.event_id)?.length ?? 0, { timeout: 20_000 }).toBe(1);
    const [record] = seen.get(good.event_id)!;
    expect(record.topic).toBe(TOPICS.contentEvents);
    expect(record.key).toBe('u-batch');
    expect(record.value).toMatchObject({
      received_at: expect.any(String),
      event_time: expect.any(String),
      properties: { hashtags: ['kafka'] },
    });

    await expect.poll(() => seen.get('not-a-uuid')?.length ?? 0, { timeout: 20_000 }).toBe(1);
    expect(seen.get('not-a-uuid')![0]).toMatchObject({
      topic: TOPICS.deadLetter,
      value: { reason_code: 'event_id', reason: expect.stringContaining('UUID v7') },
    });
  });
});
