import { uuidv7 } from '@social-pulse/events';
import type { KeyValueStore } from './key-value-store';

const ANONYMOUS_KEY = 'social_pulse_anonymous_id';
const USER_KEY = 'social_pulse_user_id';
const OPT_OUT_KEY = 'social_pulse_opt_out';

/** Who the visitor is (anonymous id, user id) and whether they opted out; kept across reloads. */
export class Identity {
  constructor(private readonly store: KeyValueStore) {}

  get anonymousId(): string {
    return this.store.get(ANONYMOUS_KEY) ?? this.newAnonymousId();
  }

  get userId(): string | undefined {
    return this.store.get(USER_KEY) ?? undefined;
  }

  set userId(userId: string | undefined) {
    if (userId === undefined) this.store.remove(USER_KEY);
    else this.store.set(USER_KEY, userId);
  }

  get optedOut(): boolean {
    return this.store.get(OPT_OUT_KEY) === '1';
  }

  set optedOut(optedOut: boolean) {
    if (optedOut) this.store.set(OPT_OUT_KEY, '1');
    else this.store.remove(OPT_OUT_KEY);
  }

  /** Logout: the next visitor on this browser must not be linked to the last one. */
  newAnonymousId(): string {
    const id = uuidv7();
    this.store.set(ANONYMOUS_KEY, id);
    return id;
  }
}
