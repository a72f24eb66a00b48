import type { Producer, ProducerRecord, RecordMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { sendVerified, TopicPartitionCounts } from './verified-send';

const partitions = { partitionsOf: async () => 6 };
const answer = (partition: number, errorCode = 0): RecordMetadata => ({
  topicName: 'events',
  partition,
  errorCode,
  baseOffset: '0',
});

/** A producer that acknowledges what the script says, round by round, and records each send. */
function scriptedProducer(script: (messages: ProducerRecord['messages']) => RecordMetadata[]) {
  const sends: ProducerRecord[] = [];
  const producer = {
    send: async (record: ProducerRecord) => {
      sends.push(record);
      return script(record.messages);
    },
  } as unknown as Producer;
  return { producer, sends };
}

const messages = Array.from({ length: 20 }, (_, i) => ({ key: `user-${i}`, value: `event-${i}` }));

describe(sendVerified.name, () => {
  it('should send once when every partition is acknowledged', async () => {
    const { producer, sends } = scriptedProducer((sent) =>
      [...new Set(sent.map((m) => m.partition!))].map((p) => answer(p)),
    );
    await sendVerified(producer, partitions, { topic: 'events', messages });
    expect(sends).toHaveLength(1);
    expect(sends[0].messages.every((m) => m.partition! >= 0 && m.partition! < 6)).toBe(true);
  });

  it('should keep a key on the same partition as kafkajs would choose', async () => {
    const { producer, sends } = scriptedProducer((sent) =>
      [...new Set(sent.map((m) => m.partition!))].map((p) => answer(p)),
    );
    await sendVerified(producer, partitions, {
      topic: 'events',
      messages: [
        { key: 'user-1', value: 'a' },
        { key: 'user-1', value: 'b' },
      ],
    });
    const [first, second] = sends[0].messages;
    expect(first.partition).toBe(second.partition);
  });

  it('should resend only the messages of partitions missing from the answer', async () => {
    let round = 0;
    const { producer, sends } = scriptedProducer((sent) => {
      round += 1;
      const touched = [...new Set(sent.map((m) => m.partition!))];
      // First round: the answer silently lacks one partition, as after a broker failure.
      return (round === 1 ? touched.slice(1) : touched).map((p) => answer(p));
    });
    await sendVerified(producer, partitions, { topic: 'events', messages });
    expect(sends).toHaveLength(2);
    const missing = sends[0].messages[0].partition;
    const firstPartitions = [...new Set(sends[0].messages.map((m) => m.partition))];
    expect(sends[1].messages.every((m) => m.partition === firstPartitions[0])).toBe(true);
    expect(sends[1].messages.length).toBe(sends[0].messages.filter((m) => m.partition === missing).length);
  });

  it('should fail when a partition is never acknowledged', async () => {
    const { producer } = scriptedProducer(() => []);
    await expect(sendVerified(producer, partitions, { topic: 'events', messages })).rejects.toThrow(
      /did not acknowledge/,
    );
  });
});

/** An admin whose metadata answers fail with the given error types first, then list six partitions. */
function admin(failures: string[]) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    fetchTopicMetadata: async () => {
      const failure = failures[calls++];
      if (failure) throw Object.assign(new Error(failure), { type: failure });
      return { topics: [{ name: 'events', partitions: Array.from({ length: 6 }, () => ({})) }] };
    },
  };
}

describe(TopicPartitionCounts.name, () => {
  it('should wait out a broker that does not know a new topic yet', async () => {
    const lagging = admin(['UNKNOWN_TOPIC_OR_PARTITION', 'UNKNOWN_TOPIC_OR_PARTITION']);
    const counts = new TopicPartitionCounts(lagging as never, 60_000, 10, 1);
    await expect(counts.partitionsOf('events')).resolves.toBe(6);
    expect(lagging.calls).toBe(3);
  });

  it('should give up on a topic that stays unknown', async () => {
    const missing = admin(Array.from({ length: 5 }, () => 'UNKNOWN_TOPIC_OR_PARTITION'));
    const counts = new TopicPartitionCounts(missing as never, 60_000, 3, 1);
    await expect(counts.partitionsOf('events')).rejects.toThrow('UNKNOWN_TOPIC_OR_PARTITION');
    expect(missing.calls).toBe(4);
  });

  it('should not retry other errors', async () => {
    const refused = admin(['TOPIC_AUTHORIZATION_FAILED']);
    const counts = new TopicPartitionCounts(refused as never, 60_000, 10, 1);
    await expect(counts.partitionsOf('events')).rejects.toThrow('TOPIC_AUTHORIZATION_FAILED');
    expect(refused.calls).toBe(1);
  });

  it('should answer from its cache within the maximum age', async () => {
    const counted = admin([]);
    const counts = new TopicPartitionCounts(counted as never);
    await counts.partitionsOf('events');
    await expect(counts.partitionsOf('events')).resolves.toBe(6);
    expect(counted.calls).toBe(1);
  });
});
