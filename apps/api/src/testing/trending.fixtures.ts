import type { TopicHistoryRow, TrendingRow, TrendingSnapshot, TrendingWindow } from '../dtos/trending.dto';

/** One trending_topics row as ClickHouse returns it in JSONEachRow (UInt64 columns as strings). */
/** The fields of one topic in an answer, in the order the API and its OpenAPI schema give them. */
export const TRENDING_TOPIC_FIELDS = [
  'rank',
  'topic',
  'score',
  'mentions',
  'unique_authors',
  'weighted_mentions',
  'damping',
  'bot_mentions',
  'baseline',
  'velocity',
];

export function trendingRow(overrides: Partial<TrendingRow> = {}): TrendingRow {
  return {
    window_start: '2025-06-01 12:00:00.000',
    window_end: '2025-06-01 12:01:00.000',
    computed_at: '2025-06-01 12:01:01.250',
    rank: 1,
    topic: '#launch',
    score: 14.7,
    mentions: '120',
    unique_authors: 100,
    weighted_mentions: 113.9,
    damping: 0.05,
    bot_mentions: '3',
    baseline: 30,
    velocity: 3.1,
    ...overrides,
  };
}

/** count rows of one window and generation, ranked 1..count with falling scores. */
export function trendingRows(count: number, overrides: Partial<TrendingRow> = {}): TrendingRow[] {
  return Array.from({ length: count }, (_, i) =>
    trendingRow({ topic: `#topic-${i + 1}`, mentions: String(1000 - i), score: 100 - i, rank: i + 1, ...overrides }),
  );
}

/** A snapshot as the API caches it in Redis, with count topics. */
export function trendingSnapshot(count: number, window: TrendingWindow = '1m'): TrendingSnapshot {
  return {
    data: {
      window,
      window_start: '2025-06-01T11:59:00.000Z',
      window_end: '2025-06-01T12:00:00.000Z',
      topics: Array.from({ length: count }, (_, i) => ({
        rank: i + 1,
        topic: `#cached-${i + 1}`,
        score: 50 - i,
        mentions: 500 - i,
        unique_authors: 400 - i,
        weighted_mentions: 450 - i,
        damping: 0.1,
        bot_mentions: 0,
        baseline: 100,
        velocity: 1.5,
      })),
    },
    data_time: '2025-06-01T12:00:00.000Z',
    computed_at: '2025-06-01T12:00:01.000Z',
  };
}

/** One trending_topic_history row in JSONEachRow. */
export function historyRow(overrides: Partial<TopicHistoryRow> = {}): TopicHistoryRow {
  return {
    minute: '2025-06-01 12:00:00',
    window_end: '2025-06-01 12:00:58.000',
    computed_at: '2025-06-01 12:00:59.100',
    score: 6.9,
    mentions: '1000',
    rank: 2,
    ...overrides,
  };
}
