import { randomUUID } from 'node:crypto';
import { TOPICS } from '@social-pulse/shared';
import type { EachMessagePayload, Kafka } from 'kafkajs';

export interface ReadOptions {
  /** Default: the content-events topic. */
  topics?: string[];
  /** Default false: only what arrives from now on. */
  fromBeginning?: boolean;
}

/** Offsets by partition, keyed `topic[partition]`: where a reader is, or where a topic ends. */
export type PartitionOffsets = ReadonlyMap<string, bigint>;

const partitionKey = (topic: string, partition: number) => `${topic}[${partition}]`;

/**
 * Each partition's end now: the offset its next record will get (the last stable offset, as a
 * read_committed consumer sees it). A reader that has read up to these has seen every record
 * written before the call.
 */
export async function endOffsets(kafka: Kafka, topics: string[] = [TOPICS.contentEvents]): Promise<PartitionOffsets> {
  return (await partitionOffsets(kafka, topics)).high;
}

async function partitionOffsets(kafka: Kafka, topics: string[]) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const low = new Map<string, bigint>();
    const high = new Map<string, bigint>();
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        low.set(partitionKey(topic, p.partition), BigInt(p.low));
        high.set(partitionKey(topic, p.partition), BigInt(p.high));
      }
    }
    return { low, high };
  } finally {
    await admin.disconnect();
  }
}

/** The partitions whose position is short of the target, as `topic[partition] at 5 of 9`. */
export function partitionsBehind(positions: PartitionOffsets, targets: PartitionOffsets): string[] {
  return [...targets]
    .filter(([key, target]) => (positions.get(key) ?? -1n) < target)
    .map(([key, target]) => `${key} at ${positions.get(key) ?? 'nothing'} of ${target}`);
}

export interface TopicReader {
  stop: () => Promise<void>;
  /** Per partition, the offset of the next record the reader will hand over. */
  positions: () => PartitionOffsets;
  /**
   * Resolves once every record before `offsets` (e.g. from `endOffsets`) has been handed to
   * `onMessage`; throws after `timeoutMs`, naming the partitions still short of them.
   */
  consumedTo: (offsets: PartitionOffsets, timeoutMs?: number) => Promise<void>;
  /**
   * `consumedTo` the topics' ends as of the call: afterwards every record written before it has
   * been handed over, so what was counted is final (a late duplicate, if any, has been counted).
   */
  settled: (timeoutMs?: number) => Promise<void>;
}

/**
 * Reads topics in a consumer group of its own (`group` plus a random suffix) and hands every
 * message to `onMessage`. It starts at each partition's end (or beginning) as found before it
 * joins, so nothing written after `readTopics` resolves is missed, and it knows its position on
 * every partition, so a test can wait until it has read up to a known end (`settled`) instead
 * of sleeping. Resolves once the consumer has joined its group, i.e. before the test sends
 * anything; `stop` disconnects it.
 */
export async function readTopics(
  kafka: Kafka,
  group: string,
  onMessage: (payload: EachMessagePayload) => void | Promise<void>,
  options: ReadOptions = {},
): Promise<TopicReader> {
  const topics = options.topics ?? [TOPICS.contentEvents];
  const start = await partitionOffsets(kafka, topics);
  const positions = new Map(options.fromBeginning ? start.low : start.high);
  const advance = (topic: string, partition: number, next: bigint) => {
    const key = partitionKey(topic, partition);
    if (next > (positions.get(key) ?? -1n)) positions.set(key, next);
  };

  const consumer = kafka.consumer({ groupId: `${group}-${randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: options.fromBeginning ?? false });
    let first = true;
    const joined = new Promise<void>((resolve) =>
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        // Pin the start to the offsets found above (before the first fetch, which applies seeks):
        // "latest" would otherwise be resolved at the first fetch, after the test may have sent.
        if (first) {
          first = false;
          for (const [topic, partitions] of Object.entries(payload.memberAssignment))
            for (const partition of partitions) {
              const offset = positions.get(partitionKey(topic, partition));
              if (offset !== undefined) consumer.seek({ topic, partition, offset: String(offset) });
            }
        }
        resolve();
      }),
    );
    // Past the batch's last record, control records (transaction markers) included, which are never
    // handed over. Every message of the batch has been by then: this reader neither pauses nor
    // seeks once running, the only reasons kafkajs leaves a batch early (besides stopping).
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) =>
      advance(payload.topic, payload.partition, BigInt(payload.lastOffset) + 1n),
    );
    await consumer.run({
      eachMessage: async (payload) => {
        await onMessage(payload);
        advance(payload.topic, payload.partition, BigInt(payload.message.offset) + 1n);
      },
    });
    await joined;
  } catch (error) {
    await consumer.disconnect();
    throw error;
  }

  const consumedTo = async (offsets: PartitionOffsets, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    while (partitionsBehind(positions, offsets).length > 0) {
      if (Date.now() > deadline) {
        const behind = partitionsBehind(positions, offsets);
        throw new Error(
          `the reader of ${topics.join(', ')} did not reach the offsets within ${timeoutMs} ms: ${behind.slice(0, 10).join('; ')}${behind.length > 10 ? ` and ${behind.length - 10} more` : ''}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return {
    stop: () => consumer.disconnect(),
    positions: () => positions,
    consumedTo,
    settled: async (timeoutMs = 60_000) => consumedTo(await endOffsets(kafka, topics), timeoutMs),
  };
}

/** The event id of a record: the event's own, or that of the event a dead letter carries. */
export function eventIdOf(value: unknown): string | undefined {
  const record = value as { event_id?: unknown; event?: { event_id?: unknown } } | null;
  const id = record?.event_id ?? record?.event?.event_id;
  return typeof id === 'string' ? id : undefined;
}

export interface EventIdCounts extends TopicReader {
  /** How often each event id arrived. */
  counts: Map<string, number>;
  /** Records whose value was not JSON or named no event id. */
  unreadable: () => number;
}

/**
 * Counts how often each event id reaches the topics (content-events unless told otherwise), so a
 * test can reconcile what was acknowledged with what arrived: see `reconcile`. `where` keeps
 * only the records a test cares about on a topic others write to as well. Counts are final only
 * once `settled()` (or `consumedTo`) has resolved: a duplicate may arrive after the original.
 */
export async function countEventIdsInKafka(
  kafka: Kafka,
  group: string,
  options: ReadOptions & { where?: (value: Record<string, unknown>, payload: EachMessagePayload) => boolean } = {},
): Promise<EventIdCounts> {
  const counts = new Map<string, number>();
  let unreadable = 0;
  const reader = await readTopics(
    kafka,
    group,
    (payload) => {
      let value: Record<string, unknown>;
      try {
        value = JSON.parse(payload.message.value?.toString() ?? '') as Record<string, unknown>;
      } catch {
        unreadable++;
        return;
      }
      if (options.where && !options.where(value, payload)) return;
      const id = eventIdOf(value);
      if (id === undefined) unreadable++;
      else counts.set(id, (counts.get(id) ?? 0) + 1);
    },
    options,
  );
  return { ...reader, counts, unreadable: () => unreadable };
}

export interface Reconciliation {
  /** Acknowledged, never arrived: lost. */
  missing: string[];
  /** Arrived more than once, acknowledged or not: not exactly once. */
  duplicated: string[];
  /** Arrived without having been acknowledged (a write the client saw fail, or someone else's event). */
  unexpected: string[];
}

/** Compares the ids a service acknowledged with how often each arrived (e.g. `countEventIdsInKafka`). */
export function reconcile(acknowledgedIds: Iterable<string>, counts: ReadonlyMap<string, number>): Reconciliation {
  const acknowledged = new Set(acknowledgedIds);
  return {
    missing: [...acknowledged].filter((id) => !counts.get(id)),
    duplicated: [...counts].filter(([, count]) => count > 1).map(([id]) => id),
    unexpected: [...counts].filter(([id, count]) => count > 0 && !acknowledged.has(id)).map(([id]) => id),
  };
}
