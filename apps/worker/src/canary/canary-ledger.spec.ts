import { describe, expect, it } from 'vitest';
import { CanaryLedger } from './canary-ledger';

describe(CanaryLedger.name, () => {
  it('should time each canary from its sending to the first time it is visible', () => {
    const ledger = new CanaryLedger(60_000);
    ledger.sent('trending', 'c1', 1_000);
    ledger.sent('trending', 'c2', 6_000);

    expect(ledger.seen('trending', new Set(['c1']), 2_500)).toEqual([1.5]);
    // Still visible later: not timed twice.
    expect(ledger.seen('trending', new Set(['c1', 'c2']), 8_000)).toEqual([2]);
    expect(ledger.seen('trending', new Set(['c1', 'c2']), 9_000)).toEqual([]);
    expect(ledger.pendingCount('trending')).toBe(0);
  });

  it('should report the age of the oldest canary not yet seen, 0 when none is pending', () => {
    const ledger = new CanaryLedger(60_000);
    expect(ledger.oldestUnseenSeconds('trending', 10_000)).toBe(0);

    ledger.sent('trending', 'c1', 1_000);
    ledger.sent('trending', 'c2', 6_000);
    expect(ledger.oldestUnseenSeconds('trending', 10_000)).toBe(9);

    ledger.seen('trending', new Set(['c1']), 10_000);
    expect(ledger.oldestUnseenSeconds('trending', 10_000)).toBe(4);
    ledger.seen('trending', new Set(['c2']), 10_000);
    expect(ledger.oldestUnseenSeconds('trending', 10_000)).toBe(0);
  });

  it('should give up a canary unseen after the timeout, once, and keep the younger ones', () => {
    const ledger = new CanaryLedger(60_000);
    ledger.sent('trending', 'c1', 0);
    ledger.sent('trending', 'c2', 30_000);

    expect(ledger.expire('trending', 60_000)).toBe(0);
    expect(ledger.expire('trending', 60_001)).toBe(1);
    expect(ledger.expire('trending', 60_002)).toBe(0);
    expect(ledger.oldestUnseenSeconds('trending', 61_000)).toBe(31);
    // Seen after it was given up: no latency, it no longer counts.
    expect(ledger.seen('trending', new Set(['c1']), 61_000)).toEqual([]);
  });

  it('should keep the features apart', () => {
    const ledger = new CanaryLedger(60_000);
    ledger.sent('trending', 'c1', 0);
    ledger.sent('engagement', 'c1', 5_000);

    expect(ledger.seen('engagement', new Set(['c1']), 6_000)).toEqual([1]);
    expect(ledger.pendingCount('trending')).toBe(1);
    expect(ledger.oldestUnseenSeconds('trending', 6_000)).toBe(6);
  });
});
