import { describe, expect, it } from 'vitest';
import { planEviction } from './eviction';
import type { StoredEvent } from './queue-store';

const events = (...sizes: number[]): StoredEvent[] => sizes.map((bytes, i) => ({ id: `e${i}`, body: '', bytes }));

describe('planEviction', () => {
  it('should evict nothing within bounds', () => {
    expect(planEviction(events(10, 10, 10), { maxEvents: 3, maxBytes: 30 })).toEqual([]);
  });

  it('should evict the oldest beyond the event bound', () => {
    expect(planEviction(events(1, 1, 1, 1, 1), { maxEvents: 3, maxBytes: 1000 })).toEqual(['e0', 'e1']);
  });

  it('should evict the oldest until the bytes fit', () => {
    expect(planEviction(events(100, 10, 10, 10), { maxEvents: 100, maxBytes: 25 })).toEqual(['e0', 'e1']);
  });

  it('should handle an empty queue', () => {
    expect(planEviction([], { maxEvents: 0, maxBytes: 0 })).toEqual([]);
  });
});
