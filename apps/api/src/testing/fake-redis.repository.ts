import type { AnswerSnapshot } from '@social-pulse/shared';
import type { TrendingSnapshot, TrendingWindow } from '../dtos/trending.dto';
import type { AnswerKey, RedisRepository } from '../repositories/redis.repository';
import type { PublicPort } from './ports';

export interface TrendingWrite {
  window: TrendingWindow;
  snapshot: TrendingSnapshot;
  ttlSeconds: number;
}

export interface AnswerWrite {
  key: AnswerKey;
  snapshot: AnswerSnapshot<unknown>;
  ttlSeconds: number;
}

/**
 * In-memory stand-in for RedisRepository. It records every read and every write attempt
 * (including the ones it was told to fail), and fails reads, writes or pings on demand.
 */
export class FakeRedisRepository implements PublicPort<RedisRepository> {
  /** What Redis holds now, by window. */
  readonly store = new Map<TrendingWindow, TrendingSnapshot>();
  /** Every getTrending call, in order. */
  readonly reads: TrendingWindow[] = [];
  /** Every setTrending call, in order, whether or not it succeeded. */
  readonly writes: TrendingWrite[] = [];

  /** The cached answers (engagement) Redis holds now, by key. */
  readonly answers = new Map<AnswerKey, AnswerSnapshot<unknown>>();
  /** Every getAnswer call's key, in order. */
  readonly answerReads: AnswerKey[] = [];
  /** Every setAnswer call, in order, whether or not it succeeded. */
  readonly answerWrites: AnswerWrite[] = [];

  private readError: Error | null = null;
  private writeError: Error | null = null;
  private reachable = true;

  /** Puts a snapshot in the store without recording a write, as if an earlier process had cached it. */
  seedTrending(window: TrendingWindow, snapshot: TrendingSnapshot): this {
    this.store.set(window, structuredClone(snapshot));
    return this;
  }

  /** Puts an answer in the store without recording a write, as if an earlier request had cached it. */
  seedAnswer<T>(key: AnswerKey, snapshot: AnswerSnapshot<T>): this {
    this.answers.set(key, structuredClone(snapshot));
    return this;
  }

  failReads(error = new Error('Connection is closed.')): this {
    this.readError = error;
    return this;
  }

  failWrites(error = new Error("READONLY You can't write against a read only replica.")): this {
    this.writeError = error;
    return this;
  }

  /** Redis unreachable: pings answer false, reads and writes reject. */
  goDown(error = new Error('Connection is closed.')): this {
    this.reachable = false;
    return this.failReads(error).failWrites(error);
  }

  recover(): this {
    this.reachable = true;
    this.readError = null;
    this.writeError = null;
    return this;
  }

  async getTrending(window: TrendingWindow): Promise<TrendingSnapshot | null> {
    this.reads.push(window);
    if (this.readError) throw this.readError;
    const snapshot = this.store.get(window);
    return snapshot ? structuredClone(snapshot) : null;
  }

  async setTrending(window: TrendingWindow, snapshot: TrendingSnapshot, ttlSeconds: number): Promise<void> {
    this.writes.push({ window, snapshot: structuredClone(snapshot), ttlSeconds });
    if (this.writeError) throw this.writeError;
    this.store.set(window, structuredClone(snapshot));
  }

  async getAnswer<T>(key: AnswerKey): Promise<AnswerSnapshot<T> | null> {
    this.answerReads.push(key);
    if (this.readError) throw this.readError;
    const snapshot = this.answers.get(key);
    return snapshot ? (structuredClone(snapshot) as AnswerSnapshot<T>) : null;
  }

  async setAnswer<T>(key: AnswerKey, snapshot: AnswerSnapshot<T>, ttlSeconds: number): Promise<void> {
    this.answerWrites.push({ key, snapshot: structuredClone(snapshot), ttlSeconds });
    if (this.writeError) throw this.writeError;
    this.answers.set(key, structuredClone(snapshot));
  }

  /** Every publishAnswer call (the refresh workflows'), in order; the API itself never publishes. */
  readonly published: { answer: string; key: string; keepSeconds: number }[] = [];

  async publishAnswer(answer: string, key: string, snapshot: AnswerSnapshot<unknown>, keepSeconds: number) {
    this.published.push({ answer, key, keepSeconds });
    if (this.writeError) throw this.writeError;
    this.answers.set(key as AnswerKey, structuredClone(snapshot));
  }

  async ping(): Promise<boolean> {
    return this.reachable;
  }

  async onModuleDestroy(): Promise<void> {}
}
