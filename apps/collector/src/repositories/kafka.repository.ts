import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { createKafka, sendVerified, TopicPartitionCounts } from '@social-pulse/kafka';
import { createLogger } from '@social-pulse/observability';
import { CompressionTypes, logLevel, type Admin, type Kafka, type Producer } from 'kafkajs';
import { COLLECTOR_CONFIG, type CollectorConfig } from '../config';
import type { KafkaRecord } from '../steps/route-event.step';
import { SendQueue } from './send-queue';

const logger = createLogger('collector');
/** How often Kafka is probed, so readiness follows it even without traffic. */
const PROBE_INTERVAL_MS = 1000;
/**
 * The most one send groups: half of Kafka's default 1 MB batch limit, so no partition's batch can
 * outgrow it because of others' records.
 */
const MAX_GROUP_BYTES = 512 * 1024;

/**
 * The collector's Kafka producer: idempotent with acks from all in-sync replicas, so an
 * acknowledged event is durable and a retried send is not written twice.
 */
@Injectable()
export class KafkaRepository implements OnModuleInit, OnModuleDestroy {
  private readonly kafka: Kafka;
  private producer: Producer;
  private readonly admin: Admin;
  /** A separate client without retries: a probe answers within a second whether Kafka is there. */
  private readonly probeAdmin: Admin;
  private readonly partitions: TopicPartitionCounts;
  private connected = false;
  /** Set when a publish failed; cleared by the next successful probe. Requests get 503 at once meanwhile. */
  private failing = false;
  /** The last probe failed: unready, but requests still try (one failed metadata call is no outage). */
  private probeFailed = false;
  private probing?: NodeJS.Timeout;
  private closing = false;
  private readonly queue = new SendQueue<KafkaRecord>(
    (records) => this.send(records),
    () => this.connected,
    MAX_GROUP_BYTES,
  );

  constructor(@Inject(COLLECTOR_CONFIG) config: CollectorConfig) {
    // Bounded retries: a request must end (503, and the SDK retries) rather than hang while Kafka is away.
    this.kafka = createKafka('collector', config.KAFKA_BROKERS, {
      retry: { retries: 6, initialRetryTime: 200, maxRetryTime: 2000 },
    });
    this.producer = this.newProducer();
    this.admin = this.kafka.admin();
    this.probeAdmin = createKafka('collector-probe', config.KAFKA_BROKERS, {
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    }).admin();
    this.partitions = new TopicPartitionCounts(this.admin);
  }

  private newProducer(): Producer {
    const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    // Events of a replaced producer must not move the flag of its successor.
    producer.on(producer.events.CONNECT, () => producer === this.producer && (this.connected = true));
    producer.on(producer.events.DISCONNECT, () => producer === this.producer && (this.connected = false));
    return producer;
  }

  /** Connects in the background: the collector starts (and reports unready) while Kafka is away. */
  onModuleInit(): void {
    void this.connectWithRetry();
    this.probing = setInterval(() => void this.probe(), PROBE_INTERVAL_MS);
    this.probing.unref();
  }

  isConnected(): boolean {
    return this.connected;
  }

  /** May a publish be tried: connected, and none failed since Kafka last answered a probe. */
  canPublish(): boolean {
    return this.connected && !this.failing;
  }

  /** For /ready: as canPublish, and the last probe answered too. */
  isReady(): boolean {
    return this.canPublish() && !this.probeFailed;
  }

  /** A publish failed because of Kafka: answer 503 at once until Kafka answers a probe again. */
  reportFailure(): void {
    if (this.closing) return;
    if (!this.failing) logger.warn('Kafka failed a publish; unready until it answers again');
    this.failing = true;
  }

  /** Resolves once Kafka acknowledged every record (acks=all); rejects otherwise. */
  publish(records: KafkaRecord[]): Promise<void> {
    let bytes = 0;
    for (const record of records) bytes += Buffer.byteLength(record.value) + Buffer.byteLength(record.key);
    return this.queue.enqueue(records, bytes);
  }

  /**
   * One send (the queue starts the next only once this one settled). A send that failed may have
   * been written in part, and kafkajs has handed its sequence numbers back: the producer is
   * replaced (a new producer id, fresh sequences) before anything else is sent with it.
   */
  private async send(records: KafkaRecord[]): Promise<void> {
    const producer = this.producer;
    try {
      await this.sendWith(producer, records);
    } catch (error) {
      if (!this.closing && producer === this.producer) this.replaceProducer();
      throw error;
    }
  }

  private replaceProducer(): void {
    const old = this.producer;
    this.producer = this.newProducer();
    this.connected = false;
    void old.disconnect().catch(() => undefined);
    void this.connectWithRetry();
  }

  private async sendWith(producer: Producer, records: KafkaRecord[]): Promise<void> {
    const byTopic = new Map<string, KafkaRecord[]>();
    for (const record of records) {
      const list = byTopic.get(record.topic);
      if (list) list.push(record);
      else byTopic.set(record.topic, [record]);
    }
    // Sequence numbers are per partition, so sends to different topics cannot take each other's.
    await Promise.all(
      [...byTopic].map(([topic, list]) =>
        sendVerified(producer, this.partitions, {
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
    clearInterval(this.probing);
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect(), this.probeAdmin.disconnect()]);
  }

  private probeRunning = false;

  private async probe(): Promise<void> {
    if (this.probeRunning || this.closing) return;
    this.probeRunning = true;
    try {
      await this.probeAdmin.connect();
      const { brokers } = await this.probeAdmin.describeCluster();
      if (brokers.length > 0 && (this.failing || this.probeFailed)) {
        logger.info({ brokers: brokers.length }, 'Kafka answers again; ready');
        this.failing = false;
        this.probeFailed = false;
      }
    } catch {
      this.probeFailed = true;
      await this.probeAdmin.disconnect().catch(() => undefined);
    } finally {
      this.probeRunning = false;
    }
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
