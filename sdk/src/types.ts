import type { EventType, SchemaVersion, UserTraits } from '@social-pulse/events';

export type { EventType, UserTraits };

export interface PulseOptions {
  /** The collector's base URL, e.g. https://collect.example.com. */
  endpoint: string;
  /** The write key the collector knows this site by. */
  writeKey: string;
  /** Send when this many of this tab's events wait (default 20). */
  flushAt?: number;
  /** Send at least this often while events wait, in milliseconds (default 2000). */
  flushIntervalMs?: number;
  /** At most this many events wait (default 1000); the oldest make room, counted in stats. */
  maxQueueSize?: number;
  /** At most this many bytes of events wait (default 1 MB); the oldest make room. */
  maxQueueBytes?: number;
  /** At most this many events per request (default 100). */
  maxBatchSize?: number;
  /** A session ends after this much inactivity, in milliseconds (default 30 minutes), and at midnight UTC. */
  sessionTimeoutMs?: number;
  /** Send a `user.session_started` event when a session begins (default false). */
  trackSessionStart?: boolean;
  /** First retry delay and the cap of the exponential backoff, in milliseconds (default 1000 and 60000). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** The clock for timestamps, ids and sessions (default Date.now); tests pass their own. */
  now?: () => number;
}

/** An event as the SDK sends it, before the collector enriches it. */
export interface OutgoingEvent {
  event_id: string;
  event_type: EventType;
  schema_version: SchemaVersion;
  user_id?: string;
  anonymous_id: string;
  session_id?: string;
  client_ts: string;
  context: Record<string, unknown>;
  properties: Record<string, unknown>;
}

export interface RejectedEvent {
  index: number;
  event_id?: string;
  reason: string;
}

/** The collector's answer to a batch: 202 with how many it took and which it refused. */
export interface BatchAnswer {
  accepted: number;
  rejected: RejectedEvent[];
}

/** Why an event was dropped before the collector saw it. */
export type DropReason = 'queue_full' | 'oversized' | 'refused';

export interface PulseStats {
  /** Events the collector accepted. */
  sent: number;
  /** Events the collector rejected (reported to onRejected). */
  rejected: number;
  /** Events dropped on this side, in total and by reason. */
  dropped: number;
  dropReasons: Record<DropReason, number>;
  /** Attempts that failed and will be tried again (network error, 429, 5xx). */
  retries: number;
  /** Batches handed to the browser as the page was hidden. */
  beacons: number;
}
