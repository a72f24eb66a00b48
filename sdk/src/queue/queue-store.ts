/** One waiting event, serialized once so its size is known and its event_id never changes. */
export interface StoredEvent {
  /** The event_id; UUID v7, so sorting by it is sorting oldest first. */
  id: string;
  body: string;
  bytes: number;
}

/** Where waiting events live; every tab of an origin sees the same persistent store. */
export interface QueueStore {
  readonly kind: 'indexeddb' | 'localstorage' | 'memory';
  add(events: StoredEvent[]): Promise<void>;
  /** Every waiting event, oldest first. */
  list(): Promise<StoredEvent[]>;
  remove(ids: string[]): Promise<void>;
}

export const byId = (a: StoredEvent, b: StoredEvent): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
