import { ClickHouseError } from './clickhouse-error';
import type { EngineConnection, EnginePool } from './engine-pool';
import { quoteIdentifier, quoteString } from './sql-lexer';
import type { User } from './users';

interface HttpSession {
  id: string;
  user: string;
  connection: EngineConnection;
  timeoutMs: number;
  busy: boolean;
  /** While the last request's own settings are being taken back: the next request waits for it, not refused. */
  settling?: Promise<void>;
  timer?: NodeJS.Timeout;
}

/**
 * HTTP sessions (`session_id`): each owns an engine connection of its own, so SET, USE and
 * temporary tables last from one request to the next, until `session_timeout` seconds pass
 * without a request. As in ClickHouse, a session serves one request at a time.
 */
export class HttpSessions {
  private readonly sessions = new Map<string, HttpSession>();

  constructor(
    private readonly pool: EnginePool,
    private readonly limits: {
      maxSessions: number;
      defaultTimeoutSeconds: number;
      maxTimeoutSeconds: number;
    },
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  /** Parses `session_timeout` as ClickHouse does: a whole number of seconds up to the maximum. */
  timeoutSeconds(raw: string | null): number {
    if (raw === null) return this.limits.defaultTimeoutSeconds;
    if (!/^\d+$/.test(raw)) throw ClickHouseError.of('INVALID_SESSION_TIMEOUT', `Invalid session timeout: '${raw}'`);
    const seconds = Number(raw);
    if (seconds > this.limits.maxTimeoutSeconds) {
      throw ClickHouseError.of(
        'INVALID_SESSION_TIMEOUT',
        `Session timeout '${raw}' is larger than max_session_timeout: ${this.limits.maxTimeoutSeconds}. Maximum session timeout could be modified in configuration file`,
      );
    }
    return seconds;
  }

  /**
   * Takes the session for one request, creating it unless `check` asks for an existing one. A
   * new session's connection starts in the user's database with the user's profile applied, so
   * a readonly profile holds for every request of the session (readonly cannot be lowered).
   */
  async acquire(
    id: string,
    owner: Pick<User, 'name' | 'profile' | 'database'>,
    timeoutSeconds: number,
    check: boolean,
  ): Promise<EngineConnection> {
    const user = owner.name;
    // A client may send its next request as soon as the last response ended, while that
    // request's settings are still being restored: wait for that, a matter of a millisecond.
    for (let settling = this.sessions.get(id)?.settling; settling; settling = this.sessions.get(id)?.settling)
      await settling;
    let session = this.sessions.get(id);
    if (session && session.user !== user) {
      throw ClickHouseError.of('SESSION_NOT_FOUND', `Session ${id} not found`);
    }
    if (!session) {
      if (check) throw ClickHouseError.of('SESSION_NOT_FOUND', `Session ${id} not found`);
      if (this.sessions.size >= this.limits.maxSessions) {
        throw ClickHouseError.of(
          'TOO_MANY_SIMULTANEOUS_QUERIES',
          `Too many sessions. Maximum: ${this.limits.maxSessions}`,
        );
      }
      session = {
        id,
        user,
        connection: this.openFor(owner),
        timeoutMs: timeoutSeconds * 1000,
        busy: false,
      };
      this.sessions.set(id, session);
    }
    if (session.busy) throw ClickHouseError.of('SESSION_IS_LOCKED', `Session ${id} is locked by a concurrent client`);
    session.busy = true;
    session.timeoutMs = timeoutSeconds * 1000;
    clearTimeout(session.timer);
    return session.connection;
  }

  /**
   * Ends the request; the session then lives for its timeout, or ends now when `close` is set.
   * `settle` (taking back the request's own settings) runs first, with the session still held.
   */
  release(id: string, close = false, settle?: () => Promise<void>): void {
    const session = this.sessions.get(id);
    if (!session) return;
    if (settle && !close) {
      session.settling = settle()
        .catch(() => undefined)
        .finally(() => {
          session.settling = undefined;
          this.release(id, close);
        });
      return;
    }
    session.busy = false;
    if (close || session.timeoutMs === 0) this.end(session);
    else session.timer = setTimeout(() => this.end(session), session.timeoutMs).unref();
  }

  private openFor(owner: Pick<User, 'profile' | 'database'>): EngineConnection {
    const connection = this.pool.openDedicated();
    try {
      if (owner.database) connection.session.query(`USE ${quoteIdentifier(owner.database)}`, 'TSV');
      // readonly last: once it is set, the engine refuses every other change.
      const profile = Object.entries(owner.profile).sort(
        ([a], [b]) => Number(a === 'readonly') - Number(b === 'readonly'),
      );
      if (profile.length > 0)
        connection.session.query(
          `SET ${profile.map(([k, v]) => `${quoteIdentifier(k)} = ${quoteString(v)}`).join(', ')}`,
          'TSV',
        );
    } catch (error) {
      connection.session.close();
      throw error;
    }
    return connection;
  }

  closeAll(): void {
    for (const session of [...this.sessions.values()]) this.end(session);
  }

  private end(session: HttpSession): void {
    clearTimeout(session.timer);
    if (this.sessions.get(session.id) === session) this.sessions.delete(session.id);
    session.connection.session.close();
  }
}
