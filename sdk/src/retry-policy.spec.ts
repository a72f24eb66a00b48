import { describe, expect, it } from 'vitest';
import { parseRetryAfter, retryDelayMs } from './retry-policy';

const options = { baseMs: 1000, maxMs: 60_000 };

describe('retryDelayMs', () => {
  it('should double the ceiling with each attempt', () => {
    const top = () => 1; // the largest jitter
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, undefined, options, top))).toEqual([
      1000, 2000, 4000, 8000,
    ]);
  });

  it('should keep at least half the ceiling with the smallest jitter', () => {
    expect(retryDelayMs(3, undefined, options, () => 0)).toBe(2000);
  });

  it('should spread retries between half and all of the ceiling', () => {
    const delays = Array.from({ length: 200 }, () => retryDelayMs(4, undefined, options));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(4000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(8000);
    expect(new Set(delays).size).toBeGreaterThan(50);
  });

  it('should cap the delay', () => {
    expect(retryDelayMs(30, undefined, options, () => 1)).toBe(60_000);
  });

  it('should never retry sooner than the server asked', () => {
    expect(retryDelayMs(1, 5000, options, () => 0)).toBe(5000);
    expect(retryDelayMs(5, 1000, options, () => 0)).toBe(8000);
  });
});

describe('parseRetryAfter', () => {
  it('should read seconds', () => {
    expect(parseRetryAfter('1')).toBe(1000);
    expect(parseRetryAfter('0')).toBe(0);
  });

  it('should read an HTTP date relative to now', () => {
    const now = Date.parse('2026-11-26T12:00:00Z');
    expect(parseRetryAfter('Thu, 26 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
  });

  it('should ignore a missing or unreadable header', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('-3')).toBeUndefined();
  });
});
