import { describe, expect, it } from 'vitest';
import { NotConnectedError, SendQueue } from './send-queue';

/** A send that settles when the test says so, recording what it was given. */
function controlledSend() {
  const sends: { records: string[]; settle: (error?: Error) => void }[] = [];
  let out = 0;
  let mostOut = 0;
  const send = (records: string[]) =>
    new Promise<void>((resolve, reject) => {
      out++;
      mostOut = Math.max(mostOut, out);
      sends.push({
        records,
        settle: (error) => {
          out--;
          if (error) reject(error);
          else resolve();
        },
      });
    });
  return { send, sends, mostOut: () => mostOut };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe(SendQueue.name, () => {
  it('should send one group at a time and group what waited', async () => {
    const { send, sends, mostOut } = controlledSend();
    const queue = new SendQueue(send, () => true, 100);
    const first = queue.enqueue(['a'], 10);
    const second = queue.enqueue(['b'], 10);
    const third = queue.enqueue(['c', 'd'], 20);
    expect(sends.map((s) => s.records)).toEqual([['a']]);

    sends[0].settle();
    await first;
    await flush();
    expect(sends.map((s) => s.records)).toEqual([['a'], ['b', 'c', 'd']]);
    sends[1].settle();
    await Promise.all([second, third]);
    expect(mostOut()).toBe(1);
  });

  it('should start the next send only after a failed one settled, and fail only its own requests', async () => {
    const { send, sends, mostOut } = controlledSend();
    const queue = new SendQueue(send, () => true, 100);
    const failed = queue.enqueue(['a'], 10);
    const next = queue.enqueue(['b'], 10);
    await flush();
    expect(sends).toHaveLength(1);

    sends[0].settle(new Error('connection closed'));
    await expect(failed).rejects.toThrow('connection closed');
    await flush();
    expect(sends.map((s) => s.records)).toEqual([['a'], ['b']]);
    sends[1].settle();
    await expect(next).resolves.toBeUndefined();
    expect(mostOut()).toBe(1);
  });

  it('should keep groups under the byte bound, sending a bigger request alone', async () => {
    const { send, sends } = controlledSend();
    const queue = new SendQueue(send, () => true, 100);
    const all = [
      queue.enqueue(['x'], 1),
      queue.enqueue(['big'], 150),
      queue.enqueue(['p'], 60),
      queue.enqueue(['q'], 50),
    ];
    for (let i = 0; i < 4 && i < sends.length + 1; i++) {
      await flush();
      sends.at(-1)?.settle();
    }
    await Promise.all(all);
    expect(sends.map((s) => s.records)).toEqual([['x'], ['big'], ['p'], ['q']]);
  });

  it('should refuse waiting requests while it may not send, without sending them', async () => {
    const { send, sends } = controlledSend();
    let connected = true;
    const queue = new SendQueue(send, () => connected, 100);
    const out = queue.enqueue(['a'], 10);
    const waiting = queue.enqueue(['b'], 10);
    connected = false;
    sends[0].settle(new Error('broker gone'));
    await expect(out).rejects.toThrow('broker gone');
    await expect(waiting).rejects.toBeInstanceOf(NotConnectedError);
    expect(sends).toHaveLength(1);
    expect(queue.length).toBe(0);
  });
});
