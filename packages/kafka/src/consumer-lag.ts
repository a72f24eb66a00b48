import type { Admin } from 'kafkajs';

/** How far a consumer group's committed position trails the end of one partition. */
export interface PartitionLag {
  group: string;
  topic: string;
  partition: number;
  /** Log-end offset minus committed offset: records written that the group has not committed yet. */
  lag: number;
}

type Offsets = { partition: number; offset: string }[];

/**
 * Lag per partition from a group's committed offsets and the partitions' end offsets. A partition
 * the group never committed counts from the earliest record kept (`low`): all of it is unread.
 */
export function partitionLags(
  group: string,
  topic: string,
  committed: Offsets,
  ends: (Offsets[number] & { low: string; high: string })[],
): PartitionLag[] {
  const positions = new Map(committed.map(({ partition, offset }) => [partition, Number(offset)]));
  return ends.map(({ partition, high, low }) => {
    const position = positions.get(partition) ?? -1;
    const from = position < 0 ? Number(low) : position;
    return { group, topic, partition, lag: Math.max(0, Number(high) - from) };
  });
}

/**
 * The lag of every consumer group on every topic it has committed to. Flink's Kafka sources commit at
 * each completed checkpoint, so their lag here includes up to a checkpoint interval of records read
 * but not yet committed; the jobs' own `pendingRecords` is the live backlog.
 */
export async function consumerGroupLags(admin: Admin): Promise<PartitionLag[]> {
  const { groups } = await admin.listGroups();
  const lags: PartitionLag[] = [];
  const ends = new Map<string, Awaited<ReturnType<Admin['fetchTopicOffsets']>>>();
  for (const { groupId } of groups) {
    for (const { topic, partitions } of await admin.fetchOffsets({ groupId })) {
      if (partitions.every(({ offset }) => Number(offset) < 0)) continue;
      if (!ends.has(topic)) ends.set(topic, await admin.fetchTopicOffsets(topic));
      lags.push(...partitionLags(groupId, topic, partitions, ends.get(topic)!));
    }
  }
  return lags;
}
