import { PulseClient } from './client';
import type { PulseOptions } from './types';

export { PulseClient, MAX_EVENT_BYTES } from './client';
export type {
  BatchAnswer,
  DropReason,
  EventType,
  OutgoingEvent,
  PulseOptions,
  PulseStats,
  RejectedEvent,
  UserTraits,
} from './types';

/** Creates a client; in the browser build this is `SocialPulse.init`. */
export function init(options: PulseOptions): PulseClient {
  return new PulseClient(options);
}
