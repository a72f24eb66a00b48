import { ClickHouseError } from './clickhouse-error';
import type { EngineConnection, EnginePool } from './engine-pool';

interface HttpSession {
  id: string;
  user: string;
  connection: EngineConnection;
  timeoutMs: number;
  busy: boolean;
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

  /** Takes the session for one request, creating it unless `check` asks for an existing one. */
  acquire(id: string, user: string, timeoutSeconds: number, check: boolean): EngineConnection {
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
        connection: this.pool.openDedicated(),
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

  /** Ends the request; the session then lives for its timeout, or ends now when `close` is set. */
  release(id: string, close = false): void {
    const session = this.sessions.get(id);
    if (!session) return;
    session.busy = false;
    if (close || session.timeoutMs === 0) this.end(session);
    else session.timer = setTimeout(() => this.end(session), session.timeoutMs).unref();
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
