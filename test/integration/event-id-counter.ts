import { randomUUID } from 'node:crypto';
import { TOPICS } from '@social-pulse/shared';
import type { Kafka } from 'kafkajs';

/**
 * Counts how often each event id reaches the content-events topic from now on, so a test can
 * reconcile what was acknowledged with what arrived (exactly once). Resolves once the consumer
 * has joined its group, i.e. before the test sends anything.
 */
export async function countEventIdsInKafka(kafka: Kafka, group: string) {
  const counts = new Map<string, number>();
  const consumer = kafka.consumer({ groupId: `${group}-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [TOPICS.contentEvents], fromBeginning: false });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    eachMessage: async ({ message }) => {
      const id = (JSON.parse(message.value!.toString()) as { event_id: string }).event_id;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    },
  });
  await joined;
  return { counts, stop: () => consumer.disconnect() };
}
