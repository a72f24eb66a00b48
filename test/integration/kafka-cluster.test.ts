import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafka, sendVerified, TopicPartitionCounts } from '@social-pulse/kafka';
import { logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bootstrapServers,
  installKafka,
  isAlive,
  kafkaServices,
  Supervisor,
  versions,
  waitForLeaders,
  waitUntil,
} from '@social-pulse/pulse/testing';
import { freePortRange } from '@social-pulse/testing';

const BROKERS = 3;
const TOPIC = 'replicated-events';

describe('three-broker Kafka cluster', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-kafka-cluster-'));
  // No restarts: the test kills a broker and needs it to stay down.
  const supervisor = new Supervisor(dir, () => undefined, { restartOnExit: false });
  let kafka: ReturnType<typeof createKafka>;

  beforeAll(async () => {
    const { libDir } = await installKafka();
    // A second cluster beside the platform's own, on free ports: a broker and a controller port each.
    const cluster = { brokerCount: BROKERS, basePort: await freePortRange(2 * BROKERS) };
    // Retries span the ~9 s in which the controller notices a dead broker and moves its leaders.
    kafka = createKafka('tests', bootstrapServers(cluster), {
      logLevel: logLevel.NOTHING,
      retry: { retries: 12, initialRetryTime: 300, maxRetryTime: 5000 },
    });
    await supervisor.startTogether(
      kafkaServices({ ...cluster, dir, libDir, version: versions.kafka.version, heap: '512m' }),
    );
    const admin = kafka.admin();
    await admin.connect();
    const joined = await waitUntil(async () => (await admin.describeCluster()).brokers.length === BROKERS, 60_000, 500);
    if (!joined) throw new Error('the three brokers did not form a cluster within 60 s');
    await admin.createTopics({
      waitForLeaders: false,
      topics: [
        {
          topic: TOPIC,
          numPartitions: 6,
          replicationFactor: 3,
          configEntries: [{ name: 'min.insync.replicas', value: '2' }],
        },
      ],
    });
    await waitForLeaders(admin, [TOPIC]);
    await admin.disconnect();
  });

  afterAll(async () => {
    const pids = Object.values(supervisor.snapshot()).map((s) => s.pid);
    await supervisor.stopAll();
    expect(pids.filter(isAlive), 'brokers left running').toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('should keep acknowledging acks=all writes with one broker killed', async () => {
    const producer = kafka.producer({ idempotent: true });
    const admin = kafka.admin();
    await Promise.all([producer.connect(), admin.connect()]);
    const partitions = new TopicPartitionCounts(admin);
    const send = (from: number) =>
      sendVerified(producer, partitions, {
        topic: TOPIC,
        acks: -1,
        messages: Array.from({ length: 100 }, (_, i) => ({
          key: `user-${(from + i) % 7}`,
          value: `event-${from + i}`,
        })),
      });

    await send(0);
    const victim = supervisor.snapshot()['kafka-3'];
    process.kill(-victim.pid, 'SIGKILL');
    await expect.poll(() => isAlive(victim.pid), { timeout: 10_000 }).toBe(false);
    await send(100);
    await Promise.all([producer.disconnect(), admin.disconnect()]);

    const consumer = kafka.consumer({ groupId: `cluster-test-${Date.now()}` });
    const seen = new Set<string>();
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.add(message.value!.toString()) });
    await expect.poll(() => seen.size, { timeout: 60_000, interval: 250 }).toBe(200);
    await consumer.disconnect();
    expect([...seen].sort()).toEqual(Array.from({ length: 200 }, (_, i) => `event-${i}`).sort());
  });
});
