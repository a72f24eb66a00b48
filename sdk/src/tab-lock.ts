import { uuidv7 } from '@social-pulse/events';
import type { KeyValueStore } from './key-value-store';

export interface Lease {
  owner: string;
  expiresAt: number;
}

/** Whether `owner` may take (or keep) the lease at `now`. */
export function mayTakeLease(current: Lease | undefined, owner: string, now: number): boolean {
  return !current || current.owner === owner || current.expiresAt <= now;
}

interface LockManagerLike {
  request<T>(name: string, options: { ifAvailable: boolean }, work: (lock: unknown) => Promise<T>): Promise<T>;
}

/**
 * Runs `work` in at most one tab of the origin at a time, so two tabs never send the same
 * waiting events together. Returns false, without waiting, when another tab holds the lock.
 * Web Locks where the browser has them (released even if the tab dies); else a localStorage
 * lease whose expiry frees it when its tab was closed mid-flush.
 */
export function createTabLock(name: string, store: KeyValueStore, now: () => number, leaseMs = 15_000) {
  const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
  const owner = uuidv7();
  const key = `social_pulse_lock_${name}`;
  const read = (): Lease | undefined => {
    try {
      return (JSON.parse(store.get(key) || 'null') as Lease | null) ?? undefined;
    } catch {
      return undefined;
    }
  };

  return async function withTabLock(work: () => Promise<void>): Promise<boolean> {
    if (locks) {
      return locks.request(`social_pulse_${name}`, { ifAvailable: true }, async (lock) => {
        if (!lock) return false;
        await work();
        return true;
      });
    }
    if (!mayTakeLease(read(), owner, now())) return false;
    store.set(key, JSON.stringify({ owner, expiresAt: now() + leaseMs }));
    if (read()?.owner !== owner) return false; // another tab wrote in between
    try {
      await work();
      return true;
    } finally {
      if (read()?.owner === owner) store.remove(key);
    }
  };
}
