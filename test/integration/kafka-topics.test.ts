import { TOPIC_PARTITIONS, TOPICS } from '@social-pulse/shared';
import { randomUUID } from 'node:crypto';
import { createKafka } from '@social-pulse/kafka';
import { CompressionTypes, ConfigResourceTypes, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platform } from '@social-pulse/testing';

const kafka = createKafka('tests', platform.kafkaBrokers, { logLevel: logLevel.NOTHING });
const admin = kafka.admin();

describe('Kafka topics', () => {
  beforeAll(() => admin.connect());
  afterAll(() => admin.disconnect());

  it('should create every topic with its partition count', async () => {
    const { topics } = await admin.fetchTopicMetadata({ topics: Object.values(TOPICS) });
    const counts = Object.fromEntries(topics.map((t) => [t.name, t.partitions.length]));
    expect(counts).toEqual({
      'user-events': 32,
      'content-events': 32,
      'ad-events': 16,
      'events-dlq': TOPIC_PARTITIONS[TOPICS.deadLetter],
    });
  });

  it('should set lz4 compression and a retention on each topic', async () => {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: Object.values(TOPICS).map((name) => ({
        type: ConfigResourceTypes.TOPIC,
        name,
        configNames: ['compression.type', 'retention.ms'],
      })),
    });
    expect(resources.map((r) => r.resourceName).sort()).toEqual(Object.values(TOPICS).sort());
    for (const resource of resources) {
      const config = Object.fromEntries(resource.configEntries.map((e) => [e.configName, e.configValue]));
      expect(config['compression.type'], resource.resourceName).toBe('lz4');
      expect(Number(config['retention.ms']), resource.resourceName).toBeGreaterThanOrEqual(7 * 24 * 3600 * 1000);
    }
  });

  it('should deliver a message produced to each topic to a consumer', async () => {
    const runId = randomUUID();
    const consumer = kafka.consumer({ groupId: `round-trip-${runId}` });
    const received = new Map<string, string>();
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: Object.values(TOPICS), fromBeginning: false });
      const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
      await consumer.run({
        eachMessage: async ({ topic, message }) => {
          if (message.key?.toString() === runId) received.set(topic, message.value!.toString());
        },
      });
      await joined;

      const producer = kafka.producer({ idempotent: true });
      await producer.connect();
      await producer.sendBatch({
        acks: -1,
        compression: CompressionTypes.LZ4,
        topicMessages: Object.values(TOPICS).map((topic) => ({
          topic,
          messages: [{ key: runId, value: `hello ${topic}` }],
        })),
      });
      await producer.disconnect();

      await expect.poll(() => received.size, { timeout: 30_000, interval: 200 }).toBe(4);
      for (const topic of Object.values(TOPICS)) expect(received.get(topic)).toBe(`hello ${topic}`);
    } finally {
      await consumer.disconnect();
    }
  });
});
