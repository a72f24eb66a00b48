import { byId, type QueueStore, type StoredEvent } from './queue-store';

/** The last resort: survives nothing, but never fails. */
export function memoryQueueStore(): QueueStore {
  const events = new Map<string, StoredEvent>();
  return {
    kind: 'memory',
    add: async (added) => added.forEach((event) => events.set(event.id, event)),
    list: async () => [...events.values()].sort(byId),
    remove: async (ids) => ids.forEach((id) => events.delete(id)),
  };
}
