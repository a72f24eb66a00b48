import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { createLogger } from '@social-pulse/observability';
import { createKafka } from '@social-pulse/kafka';
import type { Producer } from 'kafkajs';
import { COLLECTOR_CONFIG, type CollectorConfig } from '../config';

const logger = createLogger('collector');

/**
 * The collector's Kafka producer: idempotent with acks from all in-sync replicas, so an
 * acknowledged event is durable and a retried send is not written twice.
 */
@Injectable()
export class KafkaRepository implements OnModuleInit, OnModuleDestroy {
  readonly producer: Producer;
  private connected = false;

  constructor(@Inject(COLLECTOR_CONFIG) config: CollectorConfig) {
    const kafka = createKafka('collector', config.KAFKA_BROKERS, {
      retry: { retries: 8, initialRetryTime: 200 },
    });
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 5 });
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

  async onModuleDestroy(): Promise<void> {
    await this.producer.disconnect();
  }

  private async connectWithRetry(): Promise<void> {
    for (let attempt = 1; !this.connected; attempt++) {
      try {
        await this.producer.connect();
      } catch (error) {
        logger.warn({ attempt, error: (error as Error).message }, 'Kafka not reachable yet; retrying');
        await new Promise((r) => setTimeout(r, Math.min(5000, 250 * attempt)));
      }
    }
  }
}
