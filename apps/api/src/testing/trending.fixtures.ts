import type { TrendingResponseDto, TrendingRow, TrendingWindow } from '../dtos/trending.dto';

/** One trending_topics row as ClickHouse returns it in JSONEachRow (UInt64 mentions as a string). */
export function trendingRow(overrides: Partial<TrendingRow> = {}): TrendingRow {
  return {
    topic: '#launch',
    mentions: '1200',
    score: 98.5,
    rank: 1,
    window_start: '2025-06-01 12:00:00',
    window_end: '2025-06-01 12:01:00',
    ...overrides,
  };
}

/** count rows of one window, ranked 1..count with falling scores. */
export function trendingRows(count: number, overrides: Partial<TrendingRow> = {}): TrendingRow[] {
  return Array.from({ length: count }, (_, i) =>
    trendingRow({ topic: `#topic-${i + 1}`, mentions: String(1000 - i), score: 100 - i, rank: i + 1, ...overrides }),
  );
}

/** A cached answer as the API stores it in Redis, with count topics. */
export function trendingAnswer(
  count: number,
  overrides: Partial<TrendingResponseDto> & { window?: TrendingWindow } = {},
): TrendingResponseDto {
  return {
    window: '1m',
    window_start: '2025-06-01T11:59:00.000Z',
    window_end: '2025-06-01T12:00:00.000Z',
    computed_at: '2025-06-01T12:00:01.000Z',
    topics: Array.from({ length: count }, (_, i) => ({
      topic: `#cached-${i + 1}`,
      mentions: 500 - i,
      score: 50 - i,
      rank: i + 1,
    })),
    ...overrides,
  };
}
