import { describe, expect, it } from 'vitest';
import type { Fetched } from './api';
import { seriesOf, TopicHistories, withLatest } from './topic-histories';
import type { TopicHistoryData, TrendingWindow } from './types';

const history = (topic: string, window: TrendingWindow): Fetched<TopicHistoryData> => ({
  ok: true,
  receivedAt: 0,
  envelope: {
    data: {
      topic,
      window,
      points: [
        { minute: '2026-11-27T12:00:00.000Z', window_end: '2026-11-27T12:00:30.000Z', score: 2, mentions: 3, rank: 1 },
      ],
    },
    data_time: '2026-11-27T12:00:30.000Z',
    computed_at: '2026-11-27T12:00:31.000Z',
    age_ms: 0,
    source: 'clickhouse',
    stale: false,
    stale_after_ms: 13_000,
  },
});

function newTestHistories() {
  let now = 0;
  const reads: { topic: string; release: () => void }[] = [];
  const sut = new TopicHistories(
    (topic, window) => new Promise((resolve) => reads.push({ topic, release: () => resolve(history(topic, window)) })),
    () => undefined,
    () => now,
  );
  return {
    sut,
    reads,
    advance: (ms: number) => void (now += ms),
    releaseAll: async () => {
      for (const read of reads.splice(0)) read.release();
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
  };
}

describe(TopicHistories.name, () => {
  it('should read at most three histories at once, then the rest', async () => {
    const { sut, reads, releaseAll } = newTestHistories();

    sut.want('1m', ['a', 'b', 'c', 'd', 'e'], 60);

    expect(reads.map((r) => r.topic)).toEqual(['a', 'b', 'c']);
    await releaseAll();
    expect(reads.map((r) => r.topic)).toEqual(['d', 'e']);
  });

  it('should read a topic again only after a minute', async () => {
    const { sut, reads, advance, releaseAll } = newTestHistories();
    sut.want('1m', ['a'], 60);
    await releaseAll();

    sut.want('1m', ['a'], 60);
    expect(reads).toHaveLength(0);
    advance(60_000);
    sut.want('1m', ['a'], 60);

    expect(reads).toHaveLength(1);
    expect(sut.series('1m', 'a')).toEqual({ times: [Date.parse('2026-11-27T12:00:30.000Z') / 1000], scores: [2] });
  });
});

describe(withLatest.name, () => {
  const series = { times: [100], scores: [1] };

  it('should add the live score when its window ended after the history’s newest point', () => {
    expect(withLatest(series, new Date(160_000).toISOString(), 5)).toEqual({ times: [100, 160], scores: [1, 5] });
  });

  it('should keep the history when the live window is no newer', () => {
    expect(withLatest(series, new Date(100_000).toISOString(), 5)).toBe(series);
    expect(withLatest(series, null, 5)).toBe(series);
  });
});

describe(seriesOf.name, () => {
  it('should break the line where the topic was not listed, rather than draw across the gap', () => {
    const point = (windowEnd: string, score: number) => ({
      minute: windowEnd,
      window_end: windowEnd,
      score,
      mentions: 1,
      rank: 1,
    });

    const series = seriesOf({
      topic: 'a',
      window: '1m',
      points: [
        point('2026-11-27T12:00:00.000Z', 1),
        point('2026-11-27T12:01:00.000Z', 2),
        point('2026-11-27T12:30:00.000Z', 3),
      ],
    });

    expect(series.scores).toEqual([1, 2, null, 3]);
    expect(series.times[2]).toBe(Date.parse('2026-11-27T12:02:00.000Z') / 1000);
  });
});
