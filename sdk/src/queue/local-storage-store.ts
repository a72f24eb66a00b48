import { byId, type QueueStore, type StoredEvent } from './queue-store';

const QUEUE_KEY = 'social_pulse_queue';

/**
 * The whole queue as one localStorage value. Each change reads and writes it within one
 * synchronous step, so the tabs of an origin do not overwrite each other's events.
 */
export function localStorageQueueStore(storage: Storage): QueueStore {
  const read = (): StoredEvent[] => {
    try {
      return JSON.parse(storage.getItem(QUEUE_KEY) || '[]') as StoredEvent[];
    } catch {
      return [];
    }
  };
  const write = (events: StoredEvent[]) => storage.setItem(QUEUE_KEY, JSON.stringify(events)); // may throw on quota
  return {
    kind: 'localstorage',
    add: async (added) => {
      const known = new Set(read().map((event) => event.id));
      write([...read(), ...added.filter((event) => !known.has(event.id))].sort(byId));
    },
    list: async () => read().sort(byId),
    remove: async (ids) => {
      const gone = new Set(ids);
      write(read().filter((event) => !gone.has(event.id)));
    },
  };
}
