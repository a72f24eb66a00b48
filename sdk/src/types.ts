import type { EventType } from '../../packages/events/src/event-types';

export type { EventType };

export interface PulseOptions {
  /** The collector's base URL, e.g. https://collect.example.com. */
  endpoint: string;
  /** The write key the collector knows this site by. */
  writeKey: string;
  /** Send when this many events wait (default 20). */
  flushAt?: number;
  /** Send at least this often while events wait, in milliseconds (default 2000). */
  flushIntervalMs?: number;
  /** At most this many events wait in memory; the oldest make room (default 1000). */
  maxQueueSize?: number;
}

/** An event as the SDK sends it, before the collector enriches it. */
export interface OutgoingEvent {
  event_id: string;
  event_type: EventType;
  schema_version: 1;
  user_id?: string;
  anonymous_id: string;
  session_id?: string;
  client_ts: string;
  context: Record<string, unknown>;
  properties: Record<string, unknown>;
}

export interface BatchAnswer {
  accepted: number;
  rejected: { index: number; event_id?: string; reason: string }[];
}
