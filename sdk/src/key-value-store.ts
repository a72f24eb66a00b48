/** The little synchronous storage the SDK needs; small enough to fake in unit tests. */
export interface KeyValueStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

export function memoryKeyValueStore(): KeyValueStore {
  const values = new Map<string, string>();
  return {
    get: (key) => values.get(key) ?? null,
    set: (key, value) => void values.set(key, value),
    remove: (key) => void values.delete(key),
  };
}

/**
 * localStorage shared by the origin's tabs, or memory where it is disabled. Every call is
 * guarded: a full quota or a privacy setting must never throw into the host page.
 */
export function browserKeyValueStore(): KeyValueStore {
  const fallback = memoryKeyValueStore();
  let storage: Storage | undefined;
  try {
    storage = globalThis.localStorage;
    storage?.getItem('social_pulse_probe');
  } catch {
    storage = undefined;
  }
  if (!storage) return fallback;
  const local = storage;
  return {
    get(key) {
      try {
        return local.getItem(key) ?? fallback.get(key);
      } catch {
        return fallback.get(key);
      }
    },
    set(key, value) {
      try {
        local.setItem(key, value);
      } catch {
        fallback.set(key, value); // quota full: this tab remembers it, others will not
      }
    },
    remove(key) {
      fallback.remove(key);
      try {
        local.removeItem(key);
      } catch {
        /* nothing to undo */
      }
    },
  };
}
