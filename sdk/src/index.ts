import { PulseClient } from './client';
import type { PulseOptions } from './types';

export { PulseClient } from './client';
export type { BatchAnswer, EventType, OutgoingEvent, PulseOptions } from './types';

/** Creates a client; in the browser build this is `SocialPulse.init`. */
export function init(options: PulseOptions): PulseClient {
  return new PulseClient(options);
}
