import { TOPIC_PARTITIONS, TOPICS } from '@social-pulse/shared';
import { createKafka } from '@social-pulse/kafka';
import { logLevel, type ITopicConfig } from 'kafkajs';
import { waitUntil } from './processes';

type Admin = ReturnType<ReturnType<typeof createKafka>['admin']>;

/**
 * Waits until every partition of the topics has a leader. kafkajs's own waitForLeaders gives
 * up on the UNKNOWN_TOPIC_OR_PARTITION that a KRaft cluster answers for a moment after creation.
 */
export async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 60_000): Promise<void> {
  const led = await waitUntil(
    async () => {
      try {
        const metadata = await admin.fetchTopicMetadata({ topics });
        return metadata.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
      } catch {
        return false;
      }
    },
    timeoutMs,
    250,
  );
  if (!led) throw new Error(`partitions of ${topics.join(', ')} got no leader within ${timeoutMs / 1000} s`);
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Retention per topic: events are kept a week for replays, dead letters two for inspection. */
const RETENTION_MS: Record<string, number> = {
  [TOPICS.userEvents]: 7 * DAY_MS,
  [TOPICS.contentEvents]: 7 * DAY_MS,
  [TOPICS.adEvents]: 7 * DAY_MS,
  [TOPICS.deadLetter]: 14 * DAY_MS,
};

export function topicConfigs(brokerCount: number): ITopicConfig[] {
  const replicationFactor = Math.min(3, brokerCount);
  const minInsync = replicationFactor >= 3 ? 2 : 1;
  return Object.entries(TOPIC_PARTITIONS).map(([topic, numPartitions]) => ({
    topic,
    numPartitions,
    replicationFactor,
    configEntries: [
      { name: 'compression.type', value: 'lz4' },
      { name: 'retention.ms', value: String(RETENTION_MS[topic]) },
      { name: 'min.insync.replicas', value: String(minInsync) },
    ],
  }));
}

/**
 * Creates the platform's topics, or brings the settings of existing ones up to date.
 * Safe to run on every start. Partitions are only ever added, never removed.
 */
export async function ensureTopics(brokers: string[], brokerCount: number): Promise<string[]> {
  const kafka = createKafka('pulse', brokers, { logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    // Topics need every broker registered, or the replication factor cannot be met.
    const registered = await waitUntil(
      async () => (await admin.describeCluster()).brokers.length >= brokerCount,
      60_000,
      500,
    );
    if (!registered) throw new Error(`only some of the ${brokerCount} Kafka brokers joined the cluster`);
    const wanted = topicConfigs(brokerCount);
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((t) => !existing.has(t.topic));
    if (missing.length) {
      await admin.createTopics({ topics: missing, waitForLeaders: false });
      await waitForLeaders(
        admin,
        missing.map((t) => t.topic),
      );
    }
    const present = wanted.filter((t) => existing.has(t.topic));
    if (present.length) {
      await admin.alterConfigs({
        validateOnly: false,
        resources: present.map((t) => ({ type: 2 /* TOPIC */, name: t.topic, configEntries: t.configEntries! })),
      });
      const metadata = await admin.fetchTopicMetadata({ topics: present.map((t) => t.topic) });
      const grow = present.filter((t) => {
        const found = metadata.topics.find((m) => m.name === t.topic);
        return found && found.partitions.length < t.numPartitions!;
      });
      if (grow.length)
        await admin.createPartitions({
          topicPartitions: grow.map((t) => ({ topic: t.topic, count: t.numPartitions! })),
        });
    }
    return wanted.map((t) => t.topic);
  } finally {
    await admin.disconnect();
  }
}
