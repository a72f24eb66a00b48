import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { createKafka, sendVerified, TopicPartitionCounts } from '@social-pulse/kafka';
import { createLogger } from '@social-pulse/observability';
import { CompressionTypes, type Admin, type Producer } from 'kafkajs';
import { COLLECTOR_CONFIG, type CollectorConfig } from '../config';
import type { KafkaRecord } from '../steps/route-event.step';

const logger = createLogger('collector');

/**
 * The collector's Kafka producer: idempotent with acks from all in-sync replicas, so an
 * acknowledged event is durable and a retried send is not written twice.
 */
@Injectable()
export class KafkaRepository implements OnModuleInit, OnModuleDestroy {
  private readonly producer: Producer;
  private readonly admin: Admin;
  private readonly partitions: TopicPartitionCounts;
  private connected = false;
  private closing = false;

  constructor(@Inject(COLLECTOR_CONFIG) config: CollectorConfig) {
    // Bounded retries: a request must end (503, and the SDK retries) rather than hang while Kafka is away.
    const kafka = createKafka('collector', config.KAFKA_BROKERS, {
      retry: { retries: 6, initialRetryTime: 200, maxRetryTime: 2000 },
    });
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 5 });
    this.admin = kafka.admin();
    this.partitions = new TopicPartitionCounts(this.admin);
    this.producer.on(this.producer.events.CONNECT, () => (this.connected = true));
    this.producer.on(this.producer.events.DISCONNECT, () => (this.connected = false));
  }

  /** Connects in the background: the collector starts (and reports unready) while Kafka is away. */
  onModuleInit(): void {
    void this.connectWithRetry();
  }

  isConnected(): boolean {
    return this.connected;
  }

  /** Resolves once Kafka acknowledged every record (acks=all); rejects otherwise. */
  async publish(records: KafkaRecord[]): Promise<void> {
    const byTopic = new Map<string, KafkaRecord[]>();
    for (const record of records) byTopic.set(record.topic, [...(byTopic.get(record.topic) ?? []), record]);
    await Promise.all(
      [...byTopic].map(([topic, list]) =>
        sendVerified(this.producer, this.partitions, {
          topic,
          acks: -1,
          compression: CompressionTypes.LZ4,
          messages: list.map(({ key, value }) => ({ key, value })),
        }),
      ),
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
  }

  private async connectWithRetry(): Promise<void> {
    for (let attempt = 1; !this.connected && !this.closing; attempt++) {
      try {
        await Promise.all([this.producer.connect(), this.admin.connect()]);
      } catch (error) {
        logger.warn({ attempt, error: (error as Error).message }, 'Kafka not reachable yet; retrying');
        await new Promise((r) => setTimeout(r, Math.min(5000, 250 * attempt)));
      }
    }
  }
}
