import { indexedDbQueueStore } from './indexeddb-store';
import { localStorageQueueStore } from './local-storage-store';
import { memoryQueueStore } from './memory-store';
import { byId, type QueueStore } from './queue-store';

/** The most durable store this browser allows: IndexedDB, then localStorage, then memory. */
export async function openQueueStore(): Promise<QueueStore> {
  try {
    if (globalThis.indexedDB) return withOverflow(await indexedDbQueueStore(globalThis.indexedDB));
  } catch {
    /* private mode or blocked: try the next */
  }
  try {
    const storage = globalThis.localStorage;
    if (storage) {
      storage.getItem('social_pulse_probe');
      return withOverflow(localStorageQueueStore(storage));
    }
  } catch {
    /* disabled by the user */
  }
  return memoryQueueStore();
}

/**
 * A persistent store that keeps working when a write fails (full quota): what cannot be
 * stored waits in memory instead, so the host page sees no error and the event is still sent.
 */
export function withOverflow(primary: QueueStore): QueueStore {
  const overflow = memoryQueueStore();
  const guarded = async <T>(work: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await work();
    } catch {
      return fallback;
    }
  };
  return {
    kind: primary.kind,
    add: async (events) => {
      try {
        await primary.add(events);
      } catch {
        await overflow.add(events);
      }
    },
    list: async () => [...(await guarded(() => primary.list(), [])), ...(await overflow.list())].sort(byId),
    remove: async (ids) => {
      await overflow.remove(ids);
      await guarded(() => primary.remove(ids), undefined);
    },
  };
}
