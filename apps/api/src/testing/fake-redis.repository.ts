import type { TrendingResponseDto, TrendingWindow } from '../dtos/trending.dto';
import type { RedisRepository } from '../repositories/redis.repository';
import type { PublicPort } from './ports';

export interface TrendingWrite {
  window: TrendingWindow;
  answer: TrendingResponseDto;
  ttlSeconds: number;
}

/**
 * In-memory stand-in for RedisRepository. It records every read and every write attempt
 * (including the ones it was told to fail), and fails reads, writes or pings on demand.
 */
export class FakeRedisRepository implements PublicPort<RedisRepository> {
  /** What Redis holds now, by window. */
  readonly store = new Map<TrendingWindow, TrendingResponseDto>();
  /** Every getTrending call, in order. */
  readonly reads: TrendingWindow[] = [];
  /** Every setTrending call, in order, whether or not it succeeded. */
  readonly writes: TrendingWrite[] = [];

  private readError: Error | null = null;
  private writeError: Error | null = null;
  private reachable = true;

  /** Puts an answer in the store without recording a write, as if an earlier process had cached it. */
  seedTrending(window: TrendingWindow, answer: TrendingResponseDto): this {
    this.store.set(window, structuredClone(answer));
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

  async getTrending(window: TrendingWindow): Promise<TrendingResponseDto | null> {
    this.reads.push(window);
    if (this.readError) throw this.readError;
    const answer = this.store.get(window);
    return answer ? structuredClone(answer) : null;
  }

  async setTrending(window: TrendingWindow, answer: TrendingResponseDto, ttlSeconds: number): Promise<void> {
    this.writes.push({ window, answer: structuredClone(answer), ttlSeconds });
    if (this.writeError) throw this.writeError;
    this.store.set(window, structuredClone(answer));
  }

  async ping(): Promise<boolean> {
    return this.reachable;
  }

  async onModuleDestroy(): Promise<void> {}
}
