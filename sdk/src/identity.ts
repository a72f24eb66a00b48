import { uuidv7 } from '../../packages/events/src/uuidv7';

const ANONYMOUS_KEY = 'social_pulse_anonymous_id';

/** A visitor id that survives reloads where storage allows, and lives in memory where not. */
export function loadAnonymousId(): string {
  try {
    const stored = globalThis.localStorage?.getItem(ANONYMOUS_KEY);
    if (stored) return stored;
    const created = uuidv7();
    globalThis.localStorage?.setItem(ANONYMOUS_KEY, created);
    return created;
  } catch {
    return uuidv7(); // storage disabled or full: never throw into the host page
  }
}
