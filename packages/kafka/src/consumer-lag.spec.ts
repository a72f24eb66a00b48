import { describe, expect, it } from 'vitest';
import { partitionLags } from './consumer-lag';

const end = (partition: number, low: number, high: number) => ({
  partition,
  offset: String(high),
  low: String(low),
  high: String(high),
});

describe(partitionLags.name, () => {
  it('should count the records between the committed offset and the end of each partition', () => {
    const lags = partitionLags(
      'trending-topics',
      'content-events',
      [
        { partition: 0, offset: '90' },
        { partition: 1, offset: '200' },
      ],
      [end(0, 0, 100), end(1, 0, 200)],
    );
    expect(lags).toEqual([
      { group: 'trending-topics', topic: 'content-events', partition: 0, lag: 10 },
      { group: 'trending-topics', topic: 'content-events', partition: 1, lag: 0 },
    ]);
  });

  it('should count a partition the group never committed from its earliest kept record', () => {
    const lags = partitionLags('g', 't', [{ partition: 0, offset: '-1' }], [end(0, 40, 100), end(1, 5, 7)]);
    expect(lags.map((l) => l.lag)).toEqual([60, 2]);
  });

  it('should never report a negative lag when a committed offset is ahead of a stale end offset', () => {
    expect(partitionLags('g', 't', [{ partition: 0, offset: '12' }], [end(0, 0, 10)])[0].lag).toBe(0);
  });
});
