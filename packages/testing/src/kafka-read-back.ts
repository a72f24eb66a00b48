import { randomUUID } from 'node:crypto';
import { TOPICS } from '@social-pulse/shared';
import type { EachMessagePayload, Kafka } from 'kafkajs';

export interface ReadOptions {
  /** Default: the content-events topic. */
  topics?: string[];
  /** Default false: only what arrives from now on. */
  fromBeginning?: boolean;
}

/**
 * Reads topics in a consumer group of its own (`group` plus a random suffix) and hands every
 * message to `onMessage`. Resolves once the consumer has joined its group, i.e. before the test
 * sends anything; `stop` disconnects it.
 */
export async function readTopics(
  kafka: Kafka,
  group: string,
  onMessage: (payload: EachMessagePayload) => void | Promise<void>,
  options: ReadOptions = {},
): Promise<{ stop: () => Promise<void> }> {
  const consumer = kafka.consumer({ groupId: `${group}-${randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({
      topics: options.topics ?? [TOPICS.contentEvents],
      fromBeginning: options.fromBeginning ?? false,
    });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({ eachMessage: async (payload) => onMessage(payload) });
    await joined;
  } catch (error) {
    await consumer.disconnect();
    throw error;
  }
  return { stop: () => consumer.disconnect() };
}

/** The event id of a record: the event's own, or that of the event a dead letter carries. */
export function eventIdOf(value: unknown): string | undefined {
  const record = value as { event_id?: unknown; event?: { event_id?: unknown } } | null;
  const id = record?.event_id ?? record?.event?.event_id;
  return typeof id === 'string' ? id : undefined;
}

export interface EventIdCounts {
  /** How often each event id arrived. */
  counts: Map<string, number>;
  /** Records whose value was not JSON or named no event id. */
  unreadable: () => number;
  stop: () => Promise<void>;
}

/**
 * Counts how often each event id reaches the topics (content-events unless told otherwise), so a
 * test can reconcile what was acknowledged with what arrived: see `reconcile`. `where` keeps
 * only the records a test cares about on a topic others write to as well.
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
  return { counts, unreadable: () => unreadable, stop: reader.stop };
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
