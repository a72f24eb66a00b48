import { describe, expect, it } from 'vitest';
import { TokenBuckets } from './token-buckets';

describe(TokenBuckets.name, () => {
  const newTestBuckets = (rate: number, burst: number) => {
    const clock = { now: 1_000_000 };
    return { sut: new TokenBuckets(rate, burst, 10, () => clock.now), clock };
  };

  describe('take', () => {
    it('should allow a burst, then refuse with the seconds to wait', () => {
      const { sut } = newTestBuckets(1, 3);
      expect([sut.take('a'), sut.take('a'), sut.take('a')]).toEqual([0, 0, 0]);
      expect(sut.take('a')).toBe(1);
    });

    it('should refill at the rate', () => {
      const { sut, clock } = newTestBuckets(2, 2);
      sut.take('a');
      sut.take('a');
      expect(sut.take('a')).toBeGreaterThan(0);
      clock.now += 500;
      expect(sut.take('a')).toBe(0);
    });

    it('should keep names apart and bound its memory', () => {
      const { sut } = newTestBuckets(1, 1);
      expect(sut.take('a')).toBe(0);
      expect(sut.take('b')).toBe(0);
      for (let i = 0; i < 50; i++) sut.take(`ip-${i}`);
      expect((sut as unknown as { buckets: Map<string, unknown> }).buckets.size).toBeLessThanOrEqual(10);
    });

    it('should evict the least recently used bucket only, never all of them', () => {
      const { sut } = newTestBuckets(1, 1);
      expect(sut.take('limited')).toBe(0);
      expect(sut.take('limited')).toBe(1);

      for (let i = 0; i < 100; i++) {
        sut.take(`ip-${i}`);
        // Still in use, so never the least recently used.
        if (i % 5 === 0) expect(sut.take('limited')).toBe(1);
      }

      expect(sut.take('limited')).toBe(1);
    });

    it('should forget a bucket once maxBuckets newer names came by', () => {
      const { sut } = newTestBuckets(1, 1);
      sut.take('idle');
      for (let i = 0; i < 10; i++) sut.take(`ip-${i}`);

      expect(sut.take('idle')).toBe(0);
    });
  });
});
