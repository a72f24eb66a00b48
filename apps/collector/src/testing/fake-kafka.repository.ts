import type { KafkaRepository } from '../repositories/kafka.repository';
import type { KafkaRecord } from '../steps/route-event.step';

/** The public surface of KafkaRepository that the collector's services and controllers use. */
export type KafkaPort = Pick<KafkaRepository, 'isConnected' | 'canPublish' | 'isReady' | 'reportFailure' | 'publish'>;

/**
 * Stands in for KafkaRepository in component tests: records every publish instead of sending it,
 * and can play a Kafka that is away (canPublish false) or one that fails the next publishes.
 * Like the real one, a reported failure makes it refuse publishes until Kafka is back (`recover`).
 * `hold` plays a slow Kafka: publishes wait, neither acknowledged nor failed, until `release`.
 */
export class FakeKafkaRepository implements KafkaPort {
  /** Each publish call's records, in order. */
  readonly published: KafkaRecord[][] = [];
  /** How often a publish failure was reported. */
  failuresReported = 0;
  private connected = true;
  private failing = false;
  private readonly publishErrors: unknown[] = [];
  private held?: { done: Promise<void>; release: () => void };
  /** Publishes waiting on a held Kafka. */
  waitingPublishes = 0;

  /** Every published record, optionally of one topic. */
  records(topic?: string): KafkaRecord[] {
    return this.published.flat().filter((record) => topic === undefined || record.topic === topic);
  }

  /** The published records of a topic with their values parsed. */
  values<T = Record<string, unknown>>(topic: string): T[] {
    return this.records(topic).map((record) => JSON.parse(record.value) as T);
  }

  /** Plays Kafka unreachable (true) or back (false). */
  disconnect(): void {
    this.connected = false;
  }

  /** Kafka answers again: connected, and the failure flag cleared as a successful probe would. */
  recover(): void {
    this.connected = true;
    this.failing = false;
  }

  /** The next publish rejects with this error (queued: call again for further publishes). */
  failNextPublish(error: unknown): void {
    this.publishErrors.push(error);
  }

  /** Kafka turns slow: further publishes wait until `release`. */
  hold(): void {
    if (this.held) return;
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    this.held = { done, release };
  }

  /** Kafka catches up: the waiting publishes go through. */
  release(): void {
    this.held?.release();
    this.held = undefined;
  }

  /** Forgets what was published and reported, and Kafka is there again. */
  reset(): void {
    this.release();
    this.published.length = 0;
    this.publishErrors.length = 0;
    this.failuresReported = 0;
    this.recover();
  }

  isConnected(): boolean {
    return this.connected;
  }

  canPublish(): boolean {
    return this.connected && !this.failing;
  }

  isReady(): boolean {
    return this.canPublish();
  }

  reportFailure(): void {
    this.failuresReported++;
    this.failing = true;
  }

  async publish(records: KafkaRecord[]): Promise<void> {
    if (this.held) {
      this.waitingPublishes++;
      await this.held.done.finally(() => this.waitingPublishes--);
    }
    if (this.publishErrors.length > 0) throw this.publishErrors.shift();
    this.published.push(records);
  }
}
