import {
  Partitioners,
  type Admin,
  type Message,
  type Producer,
  type ProducerRecord,
  type RecordMetadata,
} from 'kafkajs';

const MAX_ROUNDS = 5;

export interface PartitionCounts {
  partitionsOf(topic: string): Promise<number>;
}

/**
 * Sends a record and proves that every partition it touched was acknowledged.
 *
 * kafkajs 2.2.4 loses messages when a broker dies mid-send (tulios/kafkajs#1303): its retry
 * skips any broker that already answered, so partitions whose leadership moved to such a broker
 * are never sent, yet `send` resolves. Here each message gets its partition up front (the same
 * murmur2 choice kafkajs makes), the answer is checked per partition, and the missing ones are
 * sent again. With an idempotent producer a resend of something that did land is deduplicated
 * by the broker, so this adds no duplicates.
 */
export async function sendVerified(
  producer: Producer,
  partitions: PartitionCounts,
  record: ProducerRecord,
): Promise<RecordMetadata[]> {
  const count = await partitions.partitionsOf(record.topic);
  const choose = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: count }, (_, partitionId) => ({
    partitionId,
    leader: 0,
    replicas: [],
    isr: [],
    partitionErrorCode: 0,
  }));
  // Object.assign, not `{ ...message, partition }`: V8 gives each object such a literal a hidden
  // class of its own, which makes the copy and kafkajs's encoding of it several times slower.
  let pending: Message[] = record.messages.map((message) =>
    Object.assign({}, message, { partition: choose({ topic: record.topic, partitionMetadata, message }) }),
  );
  const acknowledged: RecordMetadata[] = [];
  for (let round = 1; pending.length > 0; round++) {
    if (round > MAX_ROUNDS) {
      throw new Error(
        `Kafka did not acknowledge partitions ${[...new Set(pending.map((m) => m.partition))].join(', ')} of ${record.topic} after ${MAX_ROUNDS} rounds`,
      );
    }
    const answers = await producer.send({ ...record, messages: pending });
    const done = new Set(answers.filter((a) => a.errorCode === 0).map((a) => a.partition));
    acknowledged.push(...answers.filter((a) => done.has(a.partition)));
    pending = pending.filter((m) => !done.has(m.partition!));
  }
  return acknowledged;
}

/** Partition counts from the cluster's metadata, cached; partitions can only be added. */
export class TopicPartitionCounts implements PartitionCounts {
  private readonly cache = new Map<string, { count: number; at: number }>();

  constructor(
    private readonly admin: Pick<Admin, 'fetchTopicMetadata'>,
    private readonly maxAgeMs = 60_000,
    private readonly unknownTopicRetries = 10,
    private readonly retryDelayMs = 300,
  ) {}

  async partitionsOf(topic: string): Promise<number> {
    const cached = this.cache.get(topic);
    if (cached && Date.now() - cached.at < this.maxAgeMs) return cached.count;
    const metadata = await this.fetchMetadata(topic);
    const count = metadata.topics[0].partitions.length;
    this.cache.set(topic, { count, at: Date.now() });
    return count;
  }

  /**
   * kafkajs asks one broker, and in a KRaft cluster a broker learns of a new topic a moment after
   * the one that answered its creation: UNKNOWN_TOPIC_OR_PARTITION then means "not yet", for a while.
   */
  private async fetchMetadata(topic: string) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.admin.fetchTopicMetadata({ topics: [topic] });
      } catch (error) {
        const unknown = (error as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION';
        if (!unknown || attempt >= this.unknownTopicRetries) throw error;
        await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs));
      }
    }
  }
}
