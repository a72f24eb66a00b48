import { describe, expect, it } from 'vitest';
import { trendingRow } from '../testing/trending.fixtures';
import { mapTrendingRows, MAX_TRENDING_LIMIT, trendingQuerySchema } from './trending.dto';

const COMPUTED_AT = new Date('2025-06-01T12:00:05.123Z');

const problems = (query: Record<string, unknown>) => {
  const result = trendingQuerySchema.safeParse(query);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
};

describe('trendingQuerySchema', () => {
  it('should default to the 1m window and 20 topics', () => {
    expect(trendingQuerySchema.parse({})).toEqual({ window: '1m', limit: 20 });
  });

  it('should accept every window and coerce the limit from the query string', () => {
    expect(trendingQuerySchema.parse({ window: '5m', limit: '7' })).toEqual({ window: '5m', limit: 7 });
    expect(trendingQuerySchema.parse({ window: '15m', limit: '1' })).toEqual({ window: '15m', limit: 1 });
    expect(trendingQuerySchema.parse({ limit: String(MAX_TRENDING_LIMIT) }).limit).toBe(100);
  });

  it.each([
    [{ window: '1h' }, 'window must be one of 1m, 5m, 15m'],
    [{ window: '1M' }, 'window must be one of 1m, 5m, 15m'],
    [{ window: ['1m', '5m'] }, 'window must be one of 1m, 5m, 15m'],
    [{ limit: '0' }, 'limit must be at least 1'],
    [{ limit: '-3' }, 'limit must be at least 1'],
    [{ limit: '101' }, 'limit must be at most 100'],
    [{ limit: 'ten' }, 'limit must be a number'],
    [{ limit: '1.5' }, 'limit must be a whole number'],
  ])('should refuse %j with "%s"', (query, message) => {
    expect(problems(query)).toEqual([message]);
  });

  it('should report a bad window and a bad limit together', () => {
    expect(problems({ window: 'x', limit: '0' })).toEqual([
      'window must be one of 1m, 5m, 15m',
      'limit must be at least 1',
    ]);
  });
});

describe(mapTrendingRows.name, () => {
  it('should map ClickHouse rows to topics, turning UInt64 strings into numbers', () => {
    const rows = [
      trendingRow({ topic: '#a', mentions: '18446744073', score: 12.5, rank: 1 }),
      trendingRow({ topic: '#b', mentions: 42, score: 3, rank: 2 }),
    ];

    expect(mapTrendingRows('5m', rows, COMPUTED_AT)).toEqual({
      window: '5m',
      window_start: '2025-06-01T12:00:00.000Z',
      window_end: '2025-06-01T12:01:00.000Z',
      computed_at: '2025-06-01T12:00:05.123Z',
      topics: [
        { topic: '#a', mentions: 18446744073, score: 12.5, rank: 1 },
        { topic: '#b', mentions: 42, score: 3, rank: 2 },
      ],
    });
  });

  it('should read ClickHouse DateTime values as UTC', () => {
    const answer = mapTrendingRows(
      '15m',
      [trendingRow({ window_start: '2025-12-31 23:45:00', window_end: '2026-01-01 00:00:00' })],
      COMPUTED_AT,
    );

    expect(answer.window_start).toBe('2025-12-31T23:45:00.000Z');
    expect(answer.window_end).toBe('2026-01-01T00:00:00.000Z');
  });

  it('should take the window bounds from the first row', () => {
    const answer = mapTrendingRows(
      '1m',
      [trendingRow({ window_start: '2025-06-01 10:00:00' }), trendingRow({ window_start: '2025-06-01 09:00:00' })],
      COMPUTED_AT,
    );

    expect(answer.window_start).toBe('2025-06-01T10:00:00.000Z');
  });

  it('should answer null bounds and no topics when there are no rows', () => {
    expect(mapTrendingRows('1m', [], COMPUTED_AT)).toEqual({
      window: '1m',
      window_start: null,
      window_end: null,
      computed_at: '2025-06-01T12:00:05.123Z',
      topics: [],
    });
  });

  it('should keep only the public fields of a row', () => {
    const row = { ...trendingRow(), window_size: '1m', version: 3 };

    expect(Object.keys(mapTrendingRows('1m', [row], COMPUTED_AT).topics[0])).toEqual([
      'topic',
      'mentions',
      'score',
      'rank',
    ]);
  });
});
