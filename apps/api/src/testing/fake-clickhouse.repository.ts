import type { TrendingRow, TrendingWindow } from '../dtos/trending.dto';
import type { ClickHouseRepository } from '../repositories/clickhouse.repository';
import type { PublicPort } from './ports';

export interface TrendingQueryCall {
  window: TrendingWindow;
  limit: number;
}

/**
 * In-memory stand-in for ClickHouseRepository: answers each window with the rows it was given,
 * records every query, and fails on demand.
 */
export class FakeClickHouseRepository implements PublicPort<ClickHouseRepository> {
  /** Every latestTrending call, in order, whether or not it succeeded. */
  readonly queries: TrendingQueryCall[] = [];
  /** How many times readiness asked ClickHouse. */
  pings = 0;

  private readonly rows = new Map<TrendingWindow, TrendingRow[]>();
  private error: Error | null = null;
  private held: { promise: Promise<void>; release: () => void } | null = null;

  withTrending(window: TrendingWindow, rows: TrendingRow[]): this {
    this.rows.set(window, rows);
    return this;
  }

  /** Every query and ping fails with error until recover(). */
  failWith(error = new Error('ECONNREFUSED 127.0.0.1:8123')): this {
    this.error = error;
    return this;
  }

  recover(): this {
    this.error = null;
    return this;
  }

  /** A slow ClickHouse: queries wait (recorded, unanswered) until release(). */
  hold(): this {
    let release = () => {};
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.held = { promise, release };
    return this;
  }

  release(): this {
    this.held?.release();
    this.held = null;
    return this;
  }

  async latestTrending(window: TrendingWindow, limit: number): Promise<TrendingRow[]> {
    this.queries.push({ window, limit });
    if (this.held) await this.held.promise;
    if (this.error) throw this.error;
    return (this.rows.get(window) ?? []).slice(0, limit);
  }

  async ping(): Promise<boolean> {
    this.pings += 1;
    return this.error === null;
  }

  async onModuleDestroy(): Promise<void> {}
}
