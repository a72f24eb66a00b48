import type { AnswerSnapshot } from '@social-pulse/shared';
import type { TrendingSnapshot, TrendingWindow } from '../dtos/trending.dto';
import { trendingKey, type AnswerKey, type RedisRepository } from '../repositories/redis.repository';
import type { PublicPort } from './ports';

export interface AnswerWrite {
  key: AnswerKey;
  snapshot: AnswerSnapshot<unknown>;
  ttlSeconds: number;
}

/**
 * In-memory stand-in for RedisRepository. It records every read and every write attempt
 * (including the ones it was told to fail), fails reads, writes or pings on demand, and holds
 * every call when told to (a Redis that accepts connections and never answers).
 */
export class FakeRedisRepository implements PublicPort<RedisRepository> {
  /** The cached answers Redis holds now, by key. */
  readonly answers = new Map<AnswerKey, AnswerSnapshot<unknown>>();
  /** The last good copies, by key: written with every answer, kept after the answer expires. */
  readonly lastGood = new Map<AnswerKey, AnswerSnapshot<unknown>>();
  /** Every getAnswer call's key, in order. */
  readonly answerReads: AnswerKey[] = [];
  /** Every setAnswer call, in order, whether or not it succeeded. */
  readonly answerWrites: AnswerWrite[] = [];
  /** Every publishAnswer call (the refresh workflows'), in order; the API itself never publishes. */
  readonly published: { answer: string; key: AnswerKey; keepSeconds: number }[] = [];

  private readError: Error | null = null;
  private writeError: Error | null = null;
  private reachable = true;
  private held: (() => void)[] | null = null;

  /** Puts a trending list in the store without recording a write, as if the refresher had written it. */
  seedTrending(window: TrendingWindow, snapshot: TrendingSnapshot): this {
    return this.seedAnswer(trendingKey(window), snapshot);
  }

  /** Puts an answer (and its last good copy) in the store without recording a write. */
  seedAnswer<T>(key: AnswerKey, snapshot: AnswerSnapshot<T>): this {
    this.answers.set(key, structuredClone(snapshot));
    this.lastGood.set(key, structuredClone(snapshot));
    return this;
  }

  /** The key expired: the answer is gone, its last good copy stays. */
  expire(key: AnswerKey): this {
    this.answers.delete(key);
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

  /** Redis hung: every call waits until release(). */
  hold(): this {
    this.held = [];
    return this;
  }

  release(): this {
    const waiting = this.held ?? [];
    this.held = null;
    for (const resume of waiting) resume();
    return this;
  }

  recover(): this {
    this.reachable = true;
    this.readError = null;
    this.writeError = null;
    return this.release();
  }

  async getAnswer<T>(key: AnswerKey): Promise<AnswerSnapshot<T> | null> {
    this.answerReads.push(key);
    await this.respond(this.readError);
    const snapshot = this.answers.get(key);
    return snapshot ? (structuredClone(snapshot) as AnswerSnapshot<T>) : null;
  }

  async getLastGoodAnswer<T>(key: AnswerKey): Promise<AnswerSnapshot<T> | null> {
    await this.respond(this.readError);
    const snapshot = this.lastGood.get(key);
    return snapshot ? (structuredClone(snapshot) as AnswerSnapshot<T>) : null;
  }

  async setAnswer<T>(key: AnswerKey, snapshot: AnswerSnapshot<T>, ttlSeconds: number): Promise<void> {
    this.answerWrites.push({ key, snapshot: structuredClone(snapshot), ttlSeconds });
    await this.respond(this.writeError);
    this.answers.set(key, structuredClone(snapshot));
    this.lastGood.set(key, structuredClone(snapshot));
  }

  async publishAnswer(answer: string, key: AnswerKey, snapshot: AnswerSnapshot<unknown>, keepSeconds: number) {
    this.published.push({ answer, key, keepSeconds });
    await this.respond(this.writeError);
    this.answers.set(key, structuredClone(snapshot));
    this.lastGood.set(key, structuredClone(snapshot));
  }

  async ping(): Promise<boolean> {
    if (this.held) await new Promise<void>((resume) => this.held?.push(resume));
    return this.reachable;
  }

  async onModuleDestroy(): Promise<void> {}

  private async respond(error: Error | null): Promise<void> {
    if (this.held) await new Promise<void>((resume) => this.held?.push(resume));
    if (error) throw error;
  }
}
