import { execFile } from 'node:child_process';
import { close, constants, mkdtempSync, open, readdirSync, rmSync, unlink } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ChdbResult } from 'chdb';
import type { EngineConnection, EnginePool } from './engine-pool';
import { poisonTailFor } from './formats';
import type { RequestBody } from './request-body';
import { type InsertShape, quoteString } from './sql-lexer';

const openAsync = promisify(open);
const closeAsync = promisify(close);
const unlinkAsync = promisify(unlink);
const execFileAsync = promisify(execFile);

/**
 * Named pipes through which INSERT data reaches the engine. `INSERT ... FROM INFILE '<pipe>'`
 * makes the engine read the rows with its own parser for every input format while the
 * request body is still arriving, so nothing is held whole in memory. Node cannot make a
 * FIFO itself, so they are made in batches by `mkfifo` and each is used once.
 */
export class FifoSupply {
  readonly dir: string;
  private ready: string[] = [];
  private refill?: Promise<void>;
  private counter = 0;

  constructor() {
    // A server killed with -9 leaves its pipe directory behind; clear those of dead processes.
    for (const name of readdirSync(tmpdir())) {
      const pid = /^chdb-server-(\d+)-/.exec(name)?.[1];
      if (pid && !isRunning(Number(pid))) rmSync(join(tmpdir(), name), { recursive: true, force: true });
    }
    this.dir = mkdtempSync(join(tmpdir(), `chdb-server-${process.pid}-`));
  }

  async take(): Promise<string> {
    while (this.ready.length === 0) {
      this.refill ??= this.make(16).finally(() => (this.refill = undefined));
      await this.refill;
    }
    const path = this.ready.pop()!;
    if (this.ready.length < 4) this.refill ??= this.make(16).finally(() => (this.refill = undefined));
    return path;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async make(count: number): Promise<void> {
    const paths = Array.from({ length: count }, () => join(this.dir, `insert-${++this.counter}`));
    await execFileAsync('mkfifo', ['-m', '600', ...paths]);
    this.ready.push(...paths);
  }
}

export interface PipedInsert {
  pool: EnginePool;
  connection: EngineConnection;
  fifos: FifoSupply;
  /** The statement text (up to and including the format name) and where FROM INFILE goes. */
  statement: string;
  shape: InsertShape;
  /** Data bytes already read while looking for the end of the statement. */
  head: Buffer;
  body: RequestBody;
}

/** Inserts whose pipe the engine is reading now: a gauge on /metrics, observable without the engine. */
export const pipedInserts = { streaming: 0 };

/** Runs the INSERT, feeding the pipe from the request body; resolves with the engine's result. */
export async function runPipedInsert(insert: PipedInsert): Promise<ChdbResult> {
  const { statement, shape } = insert;
  const path = await insert.fifos.take();
  const sql = `${statement.slice(0, shape.infilePosition)}FROM INFILE ${quoteString(path)} ${statement.slice(shape.infilePosition)}`;
  let settled = false;
  const engine = insert.connection.session.queryAsync(sql, { format: 'TabSeparated' });
  const engineDone = engine.then(
    () => (settled = true),
    () => (settled = true),
  );

  // Opening for writing waits until the engine opens the pipe for reading. When the statement
  // fails before that (no such table, say), open the read end ourselves to release the wait.
  const writer = openAsync(path, constants.O_WRONLY);
  void engineDone.then(async () => {
    try {
      const fd = await openAsync(path, constants.O_RDONLY | constants.O_NONBLOCK);
      await closeAsync(fd);
    } catch {
      // Already gone.
    }
  });
  const fd = await writer;
  pipedInserts.streaming += 1;
  const socket = new Socket({ fd, readable: false, writable: true });
  socket.on('error', () => undefined); // EPIPE when the engine stopped reading; its own error says why.

  const write = async (chunk: Buffer) => {
    if (settled || socket.destroyed) return;
    if (!socket.write(chunk)) {
      await Promise.race([new Promise((resolve) => socket.once('drain', resolve)), engineDone]);
    }
  };

  try {
    try {
      if (!settled) {
        await write(insert.head);
        for (let chunk = await insert.body.next(); chunk && !settled; chunk = await insert.body.next())
          await write(chunk);
      }
    } catch (bodyError) {
      // The body failed (client gone, too large, bad compression): the rows that did arrive must
      // not be stored, so stop the statement and make the data unparseable before the pipe ends.
      if (!settled) {
        await insert.pool.killWhereQueryContains(path);
        if (!socket.destroyed) socket.end(poisonTailFor(shape.format));
      }
      await engine.catch(() => undefined);
      throw bodyError;
    }
    if (settled) await insert.body.discard();
    await Promise.race([new Promise<void>((resolve) => socket.end(resolve)), engineDone]);
    return await engine;
  } finally {
    pipedInserts.streaming -= 1;
    socket.destroy();
    await unlinkAsync(path).catch(() => undefined);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
