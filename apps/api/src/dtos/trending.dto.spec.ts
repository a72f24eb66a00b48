import { describe, expect, it } from 'vitest';
import { TRENDING_HORIZONS } from '@social-pulse/shared';
import { TRENDING_TOPIC_FIELDS, historyRow, trendingRow } from '../testing/trending.fixtures';
import {
  mapTopicHistoryRows,
  mapTrendingRows,
  MAX_TRENDING_LIMIT,
  topicHistoryQuerySchema,
  trendingQuerySchema,
  trendingStaleAfterMs,
} from './trending.dto';

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

describe('topicHistoryQuerySchema', () => {
  const problems = (query: Record<string, unknown>) => {
    const result = topicHistoryQuerySchema.safeParse(query);
    return result.success ? [] : result.error.issues.map((issue) => issue.message);
  };

  it('should normalise the topic as the collector does and default to 1m and 60 minutes', () => {
    expect(topicHistoryQuerySchema.parse({ topic: ' #WorldCup ' })).toEqual({
      topic: 'worldcup',
      window: '1m',
      minutes: 60,
    });
    expect(topicHistoryQuerySchema.parse({ topic: 'ai', window: '15m', minutes: '1440' })).toEqual({
      topic: 'ai',
      window: '15m',
      minutes: 1440,
    });
  });

  it.each([
    [{ topic: '#' }, 'topic must not be empty'],
    [{ topic: 'x'.repeat(101) }, 'topic must be at most 100 characters'],
    [{ topic: 'ai', window: '1h' }, 'window must be one of 1m, 5m, 15m'],
    [{ topic: 'ai', minutes: '0' }, 'minutes must be at least 1'],
    [{ topic: 'ai', minutes: '1441' }, 'minutes must be at most 1440'],
    [{ topic: 'ai', minutes: '1.5' }, 'minutes must be a whole number'],
  ])('should refuse %j with "%s"', (query, message) => {
    expect(problems(query)).toEqual([message]);
  });
});

describe(trendingStaleAfterMs.name, () => {
  it('should allow three slides of each horizon plus 10 s', () => {
    expect(TRENDING_HORIZONS.map((h) => trendingStaleAfterMs(h.label))).toEqual(
      TRENDING_HORIZONS.map((h) => 3 * h.slideSeconds * 1000 + 10_000),
    );
    expect(trendingStaleAfterMs('1m')).toBe(13_000);
  });
});

describe(mapTrendingRows.name, () => {
  it('should map the rows to topics with their score parts, turning UInt64 strings into numbers', () => {
    const rows = [
      trendingRow({ topic: 'a', mentions: '18446744073', bot_mentions: '7', score: 12.5, rank: 1 }),
      trendingRow({ topic: 'b', mentions: 42, bot_mentions: 0, score: 3, rank: 2 }),
    ];

    expect(mapTrendingRows('5m', rows)).toEqual({
      data: {
        window: '5m',
        window_start: '2025-06-01T12:00:00.000Z',
        window_end: '2025-06-01T12:01:00.000Z',
        topics: [
          {
            rank: 1,
            topic: 'a',
            score: 12.5,
            mentions: 18446744073,
            unique_authors: 100,
            weighted_mentions: 113.9,
            damping: 0.05,
            bot_mentions: 7,
            baseline: 30,
            velocity: 3.1,
          },
          expect.objectContaining({ rank: 2, topic: 'b', mentions: 42, bot_mentions: 0 }),
        ],
      },
      data_time: '2025-06-01T12:01:00.000Z',
      computed_at: '2025-06-01T12:01:01.250Z',
    });
  });

  it('should read ClickHouse DateTime64 values as UTC', () => {
    const snapshot = mapTrendingRows('15m', [
      trendingRow({
        window_start: '2025-12-31 23:45:00.000',
        window_end: '2026-01-01 00:00:00.000',
        computed_at: '2026-01-01 00:00:02.5',
      }),
    ]);

    expect(snapshot.data).toMatchObject({
      window_start: '2025-12-31T23:45:00.000Z',
      window_end: '2026-01-01T00:00:00.000Z',
    });
    expect(snapshot.data_time).toBe('2026-01-01T00:00:00.000Z');
    expect(snapshot.computed_at).toBe('2026-01-01T00:00:02.500Z');
  });

  it('should answer null times and no topics when there are no rows', () => {
    expect(mapTrendingRows('1m', [])).toEqual({
      data: { window: '1m', window_start: null, window_end: null, topics: [] },
      data_time: null,
      computed_at: null,
    });
  });

  it('should keep only the public fields of a row', () => {
    const row = { ...trendingRow(), window_size: '1m', version: 3 };

    expect(Object.keys(mapTrendingRows('1m', [row]).data.topics[0])).toEqual(TRENDING_TOPIC_FIELDS);
  });
});

describe(mapTopicHistoryRows.name, () => {
  it('should map the points oldest first and take the times from the newest', () => {
    const rows = [
      historyRow({ minute: '2025-06-01 12:00:00', window_end: '2025-06-01 12:00:58.000', mentions: '900' }),
      historyRow({
        minute: '2025-06-01 12:01:00',
        window_end: '2025-06-01 12:01:58.000',
        computed_at: '2025-06-01 12:01:59.300',
        mentions: 1000,
        score: 7.1,
        rank: 1,
      }),
    ];

    expect(mapTopicHistoryRows('ai', '1m', rows)).toEqual({
      data: {
        topic: 'ai',
        window: '1m',
        points: [
          {
            minute: '2025-06-01T12:00:00.000Z',
            window_end: '2025-06-01T12:00:58.000Z',
            score: 6.9,
            mentions: 900,
            rank: 2,
          },
          {
            minute: '2025-06-01T12:01:00.000Z',
            window_end: '2025-06-01T12:01:58.000Z',
            score: 7.1,
            mentions: 1000,
            rank: 1,
          },
        ],
      },
      data_time: '2025-06-01T12:01:58.000Z',
      computed_at: '2025-06-01T12:01:59.300Z',
    });
  });

  it('should answer no points and null times for a topic never listed', () => {
    expect(mapTopicHistoryRows('ai', '5m', [])).toEqual({
      data: { topic: 'ai', window: '5m', points: [] },
      data_time: null,
      computed_at: null,
    });
  });
});
