import { setTimeout as delay } from 'node:timers/promises';
import { createKafka } from '@social-pulse/kafka';
import { TOPIC_PARTITIONS, TOPICS } from '@social-pulse/shared';
import { ConfigResourceTypes, logLevel, type Admin, type ITopicConfig } from 'kafkajs';

/** What the topic reconciliation uses of a Kafka admin client (the port a test fakes). */
export type TopicAdmin = Pick<
  Admin,
  | 'describeCluster'
  | 'listTopics'
  | 'createTopics'
  | 'fetchTopicMetadata'
  | 'describeConfigs'
  | 'alterConfigs'
  | 'createPartitions'
>;

/** What a reconciliation found and changed; every list empty when the topics were as wanted. */
export interface TopicsReport {
  topics: string[];
  replicationFactor: number;
  created: string[];
  /** Topics whose retention, compression or min.insync.replicas were set back to the wanted values. */
  reconfigured: string[];
  grown: { topic: string; from: number; to: number }[];
  /**
   * Topics with fewer replicas than wanted: Kafka raises a replication factor only by a partition
   * reassignment, which moves data between brokers and is left to an operator (docs/operations.md).
   */
  underReplicated: { topic: string; replicas: number; wanted: number }[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Retention per topic: events are kept a week for replays, dead letters two for inspection. */
const RETENTION_MS: Record<string, number> = {
  [TOPICS.userEvents]: 7 * DAY_MS,
  [TOPICS.contentEvents]: 7 * DAY_MS,
  [TOPICS.adEvents]: 7 * DAY_MS,
  [TOPICS.deadLetter]: 14 * DAY_MS,
};

/** The platform's topics for a cluster of `brokerCount` brokers: replicated up to three times. */
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

/** Polls `check` until it holds or `timeoutMs` passes. */
async function pollUntil(check: () => Promise<boolean>, timeoutMs: number, intervalMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await delay(intervalMs);
  }
}

/**
 * Waits until every partition of the topics has a leader. kafkajs's own waitForLeaders gives
 * up on the UNKNOWN_TOPIC_OR_PARTITION that a KRaft cluster answers for a moment after creation.
 */
export async function waitForLeaders(
  admin: Pick<Admin, 'fetchTopicMetadata'>,
  topics: string[],
  timeoutMs = 60_000,
): Promise<void> {
  const led = await pollUntil(
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

/**
 * Brings the platform's topics to what topicConfigs wants: creates the missing ones, adds partitions
 * (never removes any), and sets retention, compression and min.insync.replicas where they differ.
 * Changes nothing on a second run; safe to repeat after a failure at any point.
 */
export async function reconcileTopics(
  admin: TopicAdmin,
  brokerCount: number,
  options: { brokerWaitMs?: number } = {},
): Promise<TopicsReport> {
  // Topics need every broker registered, or the replication factor cannot be met.
  const registered = await pollUntil(
    async () => (await admin.describeCluster()).brokers.length >= brokerCount,
    options.brokerWaitMs ?? 60_000,
    500,
  );
  if (!registered) throw new Error(`only some of the ${brokerCount} Kafka brokers joined the cluster`);
  const wanted = topicConfigs(brokerCount);
  const replicationFactor = wanted[0].replicationFactor!;
  const report: TopicsReport = {
    topics: wanted.map((t) => t.topic),
    replicationFactor,
    created: [],
    reconfigured: [],
    grown: [],
    underReplicated: [],
  };
  const existing = new Set(await admin.listTopics());
  const missing = wanted.filter((t) => !existing.has(t.topic));
  if (missing.length) {
    // A topic created by an earlier attempt whose answer was lost is simply there: not an error.
    await admin.createTopics({ topics: missing, waitForLeaders: false });
    await waitForLeaders(
      admin,
      missing.map((t) => t.topic),
    );
    report.created = missing.map((t) => t.topic);
  }
  const present = wanted.filter((t) => existing.has(t.topic));
  if (present.length === 0) return report;

  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: present.map((t) => ({
      type: ConfigResourceTypes.TOPIC,
      name: t.topic,
      configNames: t.configEntries!.map((e) => e.name),
    })),
  });
  const differs = present.filter((t) => {
    const found = described.resources.find((r) => r.resourceName === t.topic);
    return t.configEntries!.some(
      (e) => found?.configEntries.find((c) => c.configName === e.name)?.configValue !== e.value,
    );
  });
  if (differs.length) {
    await admin.alterConfigs({
      validateOnly: false,
      resources: differs.map((t) => ({
        type: ConfigResourceTypes.TOPIC,
        name: t.topic,
        configEntries: t.configEntries!,
      })),
    });
    report.reconfigured = differs.map((t) => t.topic);
  }

  const metadata = await admin.fetchTopicMetadata({ topics: present.map((t) => t.topic) });
  for (const t of present) {
    const partitions = metadata.topics.find((m) => m.name === t.topic)?.partitions ?? [];
    if (partitions.length < t.numPartitions!)
      report.grown.push({ topic: t.topic, from: partitions.length, to: t.numPartitions! });
    const replicas = Math.min(...partitions.map((p) => p.replicas.length));
    if (partitions.length > 0 && replicas < replicationFactor)
      report.underReplicated.push({ topic: t.topic, replicas, wanted: replicationFactor });
  }
  if (report.grown.length) {
    await admin.createPartitions({
      topicPartitions: report.grown.map(({ topic, to }) => ({ topic, count: to })),
    });
  }
  return report;
}

/** Reconciles the platform's topics on the cluster at `brokers` (its `brokerCount` brokers) with a client of its own. */
export async function ensureTopics(brokers: string[], brokerCount: number): Promise<TopicsReport> {
  const admin = createKafka('pulse', brokers, { logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return await reconcileTopics(admin, brokerCount);
  } finally {
    await admin.disconnect();
  }
}
