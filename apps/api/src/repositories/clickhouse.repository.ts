import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { ClickHouseClient } from '@clickhouse/client';
import { createClickHouse } from '@social-pulse/clickhouse';
import { API_CONFIG, type ApiConfig } from '../config';
import type { TrendingRow, TrendingWindow } from '../dtos/trending.dto';

/** The API's ClickHouse queries; every value is a bound parameter. */
@Injectable()
export class ClickHouseRepository implements OnModuleDestroy {
  private readonly client: ClickHouseClient;

  constructor(@Inject(API_CONFIG) config: ApiConfig) {
    this.client = createClickHouse({ url: config.CLICKHOUSE_URL }, 'social-pulse-api');
  }

  /** The top topics of the latest window of a size; FINAL folds rows a job replay rewrote. */
  async latestTrending(window: TrendingWindow, limit: number): Promise<TrendingRow[]> {
    const result = await this.client.query({
      query: `
        SELECT topic, mentions, score, rank, window_start, window_end
        FROM trending_topics FINAL
        WHERE window_size = {window:String}
          AND window_end = (SELECT max(window_end) FROM trending_topics WHERE window_size = {window:String})
        ORDER BY score DESC, topic
        LIMIT {limit:UInt32}`,
      query_params: { window, limit },
      format: 'JSONEachRow',
    });
    return result.json<TrendingRow>();
  }

  async ping(): Promise<boolean> {
    return (await this.client.ping()).success;
  }

  async onModuleDestroy(): Promise<void> {
    await this.client.close();
  }
}
