import { uuidv7 } from '@social-pulse/events';
import type { KeyValueStore } from './key-value-store';

const SESSION_KEY = 'social_pulse_session';
const DAY_MS = 86_400_000;

export interface SessionState {
  id: string;
  startedAt: number;
  lastActivityAt: number;
}

/**
 * Whether activity at `now` still belongs to `session`: not after `timeoutMs` of silence, and
 * not on another UTC day (daily numbers must not count one session on two dates).
 */
export function isSessionCurrent(
  session: SessionState | undefined,
  now: number,
  timeoutMs: number,
): session is SessionState {
  if (!session) return false;
  if (now - session.lastActivityAt > timeoutMs) return false;
  return Math.floor(now / DAY_MS) === Math.floor(session.lastActivityAt / DAY_MS);
}

/**
 * The visitor's session, kept in storage that every tab of the origin shares, so two tabs
 * open at once are one session. Read on every touch because another tab may have rotated it;
 * two tabs starting a session in the same instant converge on the last one written.
 */
export class SessionTracker {
  constructor(
    private readonly store: KeyValueStore,
    private readonly timeoutMs: number,
    private readonly now: () => number,
  ) {}

  /** Records activity; `started` is true when this activity began a new session. */
  touch(): { id: string; started: boolean } {
    const now = this.now();
    const current = this.read();
    if (isSessionCurrent(current, now, this.timeoutMs)) {
      this.write({ ...current, lastActivityAt: Math.max(now, current.lastActivityAt) });
      return { id: current.id, started: false };
    }
    const fresh = { id: uuidv7(now), startedAt: now, lastActivityAt: now };
    this.write(fresh);
    return { id: fresh.id, started: true };
  }

  /** The current session's id, if there is one, without recording activity. */
  current(): string | undefined {
    const session = this.read();
    return isSessionCurrent(session, this.now(), this.timeoutMs) ? session.id : undefined;
  }

  /** Ends the session now (logout); the next touch starts another. */
  end(): void {
    this.store.remove(SESSION_KEY);
  }

  private read(): SessionState | undefined {
    try {
      const raw = this.store.get(SESSION_KEY);
      return raw ? (JSON.parse(raw) as SessionState) : undefined;
    } catch {
      return undefined; // unreadable: start over rather than fail
    }
  }

  private write(session: SessionState): void {
    this.store.set(SESSION_KEY, JSON.stringify(session));
  }
}
