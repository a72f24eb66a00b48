import { describe, expect, it } from 'vitest';
import { memoryKeyValueStore } from './key-value-store';
import { createTabLock, mayTakeLease } from './tab-lock';

describe('mayTakeLease', () => {
  it('should allow a free, own or expired lease and refuse a live one', () => {
    expect(mayTakeLease(undefined, 'a', 0)).toBe(true);
    expect(mayTakeLease({ owner: 'a', expiresAt: 10 }, 'a', 5)).toBe(true);
    expect(mayTakeLease({ owner: 'b', expiresAt: 10 }, 'a', 10)).toBe(true);
    expect(mayTakeLease({ owner: 'b', expiresAt: 10 }, 'a', 5)).toBe(false);
  });
});

describe('createTabLock (localStorage lease; Node has no navigator.locks)', () => {
  it('should let one tab run at a time and free the lease afterwards', async () => {
    const store = memoryKeyValueStore();
    const clock = { now: 1000 };
    const tabA = createTabLock('flush', store, () => clock.now);
    const tabB = createTabLock('flush', store, () => clock.now);
    let release!: () => void;
    const holding = tabA(() => new Promise<void>((resolve) => (release = resolve)));
    expect(await tabB(async () => undefined)).toBe(false);
    release();
    expect(await holding).toBe(true);
    expect(await tabB(async () => undefined)).toBe(true);
  });

  it('should take over a lease whose tab died', async () => {
    const store = memoryKeyValueStore();
    const clock = { now: 1000 };
    void createTabLock('flush', store, () => clock.now, 100)(() => new Promise<void>(() => undefined)); // never finishes
    clock.now += 101;
    expect(await createTabLock('flush', store, () => clock.now, 100)(async () => undefined)).toBe(true);
  });
});
