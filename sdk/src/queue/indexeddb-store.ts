import type { QueueStore, StoredEvent } from './queue-store';

const DB_NAME = 'social_pulse';
const STORE = 'queue';

const done = <T>(request: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });

const committed = (tx: IDBTransaction): Promise<void> =>
  new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });

/** One record per event, keyed by event_id: adding twice is harmless and order is by time. */
export async function indexedDbQueueStore(factory: IDBFactory): Promise<QueueStore> {
  const open = factory.open(DB_NAME, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: 'id' });
  const db = await done(open);
  // Another tab upgrading the schema must not be blocked by this one.
  db.onversionchange = () => db.close();
  const run = async (mode: IDBTransactionMode, work: (store: IDBObjectStore) => void): Promise<void> => {
    const tx = db.transaction(STORE, mode);
    work(tx.objectStore(STORE));
    await committed(tx);
  };
  return {
    kind: 'indexeddb',
    add: (events) => run('readwrite', (store) => events.forEach((event) => store.put(event))),
    list: async () => (await done(db.transaction(STORE, 'readonly').objectStore(STORE).getAll())) as StoredEvent[],
    remove: (ids) => run('readwrite', (store) => ids.forEach((id) => store.delete(id))),
  };
}
