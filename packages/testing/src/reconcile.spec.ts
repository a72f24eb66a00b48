import { describe, expect, it } from 'vitest';
import { eventIdOf, partitionsBehind, reconcile } from './kafka-read-back';

describe(reconcile.name, () => {
  it('should find nothing when every acknowledged id arrived exactly once', () => {
    expect(
      reconcile(
        ['a', 'b'],
        new Map([
          ['a', 1],
          ['b', 1],
        ]),
      ),
    ).toEqual({ missing: [], duplicated: [], unexpected: [] });
  });

  it('should name the ids lost, the ids duplicated and the ids nobody acknowledged', () => {
    const counts = new Map([
      ['a', 1],
      ['b', 2],
      ['x', 1],
      ['y', 3],
      ['c', 0],
    ]);
    expect(reconcile(new Set(['a', 'b', 'c', 'd']), counts)).toEqual({
      missing: ['c', 'd'],
      duplicated: ['b', 'y'],
      unexpected: ['x', 'y'],
    });
  });

  it('should count an id acknowledged twice once', () => {
    expect(reconcile(['a', 'a'], new Map())).toEqual({ missing: ['a'], duplicated: [], unexpected: [] });
  });
});

describe(eventIdOf.name, () => {
  it("should read an event's id and a dead letter's event's id", () => {
    expect(eventIdOf({ event_id: 'e-1' })).toBe('e-1');
    expect(eventIdOf({ reason: 'bad', event: { event_id: 'e-2' } })).toBe('e-2');
    expect(eventIdOf({ event: 'not an object' })).toBeUndefined();
    expect(eventIdOf(null)).toBeUndefined();
  });
});

describe(partitionsBehind.name, () => {
  const targets = new Map([
    ['t[0]', 5n],
    ['t[1]', 0n],
    ['t[2]', 9n],
  ]);

  it('should find nothing behind once every partition is at or past its target', () => {
    expect(
      partitionsBehind(
        new Map([
          ['t[0]', 5n],
          ['t[1]', 0n],
          ['t[2]', 12n],
        ]),
        targets,
      ),
    ).toEqual([]);
  });

  it('should name the partitions short of their targets, one never read included', () => {
    expect(partitionsBehind(new Map([['t[0]', 4n]]), targets)).toEqual([
      't[0] at 4 of 5',
      't[1] at nothing of 0',
      't[2] at nothing of 9',
    ]);
  });
});
