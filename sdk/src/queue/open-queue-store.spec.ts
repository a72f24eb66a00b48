import { describe, expect, it } from 'vitest';
import { localStorageQueueStore } from './local-storage-store';
import { memoryQueueStore } from './memory-store';
import { withOverflow } from './open-queue-store';
import type { QueueStore, StoredEvent } from './queue-store';

const event = (id: string): StoredEvent => ({ id, body: `{"event_id":"${id}"}`, bytes: 20 });

/** A Storage whose quota is `quota` characters, like a browser's. */
function fakeStorage(quota = Infinity): Storage {
  const values = new Map<string, string>();
  return {
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => {
      if (value.length > quota) throw new DOMException('quota', 'QuotaExceededError');
      values.set(key, value);
    },
    removeItem: (key: string) => void values.delete(key),
    clear: () => values.clear(),
    key: () => null,
    get length() {
      return values.size;
    },
  };
}

describe('localStorageQueueStore', () => {
  it('should list events oldest first and ignore an event added twice', async () => {
    const sut = localStorageQueueStore(fakeStorage());
    await sut.add([event('b'), event('a')]);
    await sut.add([event('a')]);
    expect((await sut.list()).map((e) => e.id)).toEqual(['a', 'b']);
    await sut.remove(['a']);
    expect((await sut.list()).map((e) => e.id)).toEqual(['b']);
  });

  it('should be shared by two stores on the same storage, as tabs share it', async () => {
    const storage = fakeStorage();
    await localStorageQueueStore(storage).add([event('a')]);
    expect(await localStorageQueueStore(storage).list()).toHaveLength(1);
  });
});

describe('withOverflow', () => {
  it('should keep events in memory when the persistent store is full, without throwing', async () => {
    const sut = withOverflow(localStorageQueueStore(fakeStorage(50)));
    await sut.add([event('a')]);
    await expect(sut.add([event('b'), event('c')])).resolves.toBeUndefined();
    expect((await sut.list()).map((e) => e.id)).toEqual(['a', 'b', 'c']);
    await sut.remove(['a', 'b', 'c']);
    expect(await sut.list()).toEqual([]);
  });

  it('should survive a store whose every call fails', async () => {
    const broken: QueueStore = {
      kind: 'indexeddb',
      add: () => Promise.reject(new Error('x')),
      list: () => Promise.reject(new Error('x')),
      remove: () => Promise.reject(new Error('x')),
    };
    const sut = withOverflow(broken);
    await sut.add([event('a')]);
    expect((await sut.list()).map((e) => e.id)).toEqual(['a']);
  });
});

describe('memoryQueueStore', () => {
  it('should list oldest first', async () => {
    const sut = memoryQueueStore();
    await sut.add([event('2'), event('1')]);
    expect((await sut.list()).map((e) => e.id)).toEqual(['1', '2']);
  });
});
