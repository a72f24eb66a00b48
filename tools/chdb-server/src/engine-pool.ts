import { mkdirSync } from 'node:fs';
import { Session, drainPending } from 'chdb';
import { ClickHouseError } from './clickhouse-error';
import { quoteString } from './sql-lexer';

/**
 * One engine connection. Connections opened on the same data directory share the engine and
 * its data but each runs one statement at a time and keeps its own session state (SET, USE,
 * temporary tables, query parameters).
 */
export class EngineConnection {
  /**
   * Set when the request may have left state behind (its prelude of USE/SET, or a statement that
   * session-state.ts's leavesConnectionState does not know to be clean: SET, USE, anything
   * TEMPORARY, SYSTEM, ...), and after any error; the pool then replaces the connection rather than
   * resetting it. Replacing costs about 0.25 ms (measured: open, SET log_comment, close).
   */
  tainted = false;

  constructor(
    readonly session: Session,
    /** Written into `log_comment`, so the running statement can be found in system.processes and killed. */
    readonly marker: string,
  ) {}
}

export interface EngineInfo {
  version: string;
  timezone: string;
}

interface Waiter {
  resolve: (connection: EngineConnection) => void;
  reject: (error: Error) => void;
}

/**
 * A fixed number of engine connections, i.e. the number of statements running at once, with a
 * line for the requests that wait. Measured on this machine: one connection runs one statement
 * at a time, several connections on the same path run together.
 */
export class EnginePool {
  private readonly idle: EngineConnection[] = [];
  private readonly waiting: Waiter[] = [];
  private readonly control: Session;
  private opened = 0;
  private inUse = 0;
  private closed = false;
  info: EngineInfo = { version: 'unknown', timezone: 'UTC' };

  constructor(
    readonly dataDir: string,
    readonly size: number,
    private readonly maxQueued: number,
  ) {
    mkdirSync(dataDir, { recursive: true });
    // The control connection never waits in line: KILL QUERY and health checks must get through a full pool.
    this.control = new Session(dataDir);
  }

  async start(): Promise<EngineInfo> {
    const [version, timezone] = (await this.control.queryAsync('SELECT version(), timezone()', { format: 'TSV' }))
      .text()
      .trim()
      .split('\t');
    this.info = { version, timezone };
    for (let i = 0; i < this.size; i++) this.idle.push(await this.openConnection());
    return this.info;
  }

  get stats() {
    return { size: this.size, inUse: this.inUse, waiting: this.waiting.length };
  }

  /** Waits for a free connection; gives up when `signal` fires (the client went away). */
  acquire(signal?: AbortSignal): Promise<EngineConnection> {
    if (this.closed) return Promise.reject(ClickHouseError.of('UNKNOWN_EXCEPTION', 'Server is shutting down'));
    const connection = this.idle.pop();
    if (connection) {
      this.inUse++;
      return Promise.resolve(connection);
    }
    if (this.waiting.length >= this.maxQueued) {
      return Promise.reject(
        ClickHouseError.of(
          'TOO_MANY_SIMULTANEOUS_QUERIES',
          `Too many simultaneous queries. Maximum: ${this.size + this.maxQueued}`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (c) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(c);
        },
        reject,
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(waiter);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(ClickHouseError.of('QUERY_WAS_CANCELLED', 'Query was cancelled'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  /** Returns a connection; a tainted one is closed and replaced by a fresh one (about 0.2 ms). */
  release(connection: EngineConnection): void {
    let next = connection;
    if (connection.tainted || this.closed) {
      // A statement that was cancelled stays listed in system.processes until its connection
      // runs another one, so run a trivial statement before closing it.
      const old = connection.session;
      void old
        .queryAsync('SELECT 1', { format: 'TabSeparated' })
        .catch(() => undefined)
        .finally(() => old.close());
      if (this.closed) {
        this.inUse--;
        return;
      }
      try {
        next = this.openConnectionSync();
      } catch {
        // Keep the pool's size honest: the next release or acquire will not find this slot.
        this.inUse--;
        return;
      }
    }
    const waiter = this.waiting.shift();
    if (waiter) waiter.resolve(next);
    else {
      this.inUse--;
      this.idle.push(next);
    }
  }

  /** A connection outside the pool, for an HTTP session that keeps its state between requests. */
  openDedicated(): EngineConnection {
    return this.openConnectionSync();
  }

  /** Asks the engine to stop the statement running on `connection` (from the control connection). */
  async kill(connection: EngineConnection): Promise<void> {
    try {
      await this.control.queryAsync(
        `KILL QUERY WHERE Settings['log_comment'] = ${quoteString(connection.marker)} ASYNC`,
        { format: 'TSV' },
      );
    } catch {
      // The statement may have finished in between; nothing to stop.
    }
  }

  /** KILL QUERY for statements whose text names `needle` (inserts fed through a named pipe). */
  async killWhereQueryContains(needle: string): Promise<void> {
    try {
      await this.control.queryAsync(`KILL QUERY WHERE position(query, ${quoteString(needle)}) > 0 ASYNC`, {
        format: 'TSV',
      });
    } catch {
      // Already finished.
    }
  }

  /** Cancels every running statement; used when shutdown runs out of patience. */
  async killAll(): Promise<void> {
    try {
      await this.control.queryAsync(`KILL QUERY WHERE startsWith(Settings['log_comment'], 'chdb-server:') ASYNC`, {
        format: 'TSV',
      });
    } catch {
      // Nothing was running.
    }
  }

  async ping(): Promise<void> {
    await this.control.queryAsync('SELECT 1', { format: 'TSV' });
  }

  /** Stops handing out connections, waits for the engine to finish, closes everything. */
  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiting.splice(0))
      waiter.reject(ClickHouseError.of('UNKNOWN_EXCEPTION', 'Server is shutting down'));
    for (const connection of this.idle.splice(0)) connection.session.close();
    await drainPending();
    this.control.close();
    await drainPending();
  }

  private sequence = 0;

  private openConnectionSync(): EngineConnection {
    const marker = `chdb-server:${process.pid}:${++this.sequence}`;
    const session = new Session(this.dataDir);
    this.opened++;
    const connection = new EngineConnection(session, marker);
    // Synchronous on purpose: a SET is instant, and release() must hand over a ready connection.
    // implicit_select is on in chDB (as in clickhouse-local) and off in a server, where `foobar`
    // is a syntax error rather than SELECT foobar.
    session.query(`SET log_comment = ${quoteString(marker)}, implicit_select = 0`, 'TSV');
    return connection;
  }

  private async openConnection(): Promise<EngineConnection> {
    return this.openConnectionSync();
  }

  get connectionsOpened(): number {
    return this.opened;
  }
}
