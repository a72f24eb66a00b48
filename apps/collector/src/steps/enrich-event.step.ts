import type { PulseEvent } from '@social-pulse/events';

/** How far a client's clock may be corrected; beyond this the client time is not trusted. */
const MAX_SKEW_MS = 24 * 60 * 60 * 1000;

export type EnrichedEvent = PulseEvent & { received_at: string; event_time: string };

/**
 * Stamps the server receive time and derives the event time: the client time shifted by the
 * client's clock error, measured as receive time minus the batch's sent-at. Downstream jobs use
 * event_time only.
 */
export function createEnrichEventStep() {
  return (event: PulseEvent, batch: { receivedAt: number; sentAt?: string }): EnrichedEvent => {
    const clientTs = Date.parse(event.client_ts);
    const sentAt = Date.parse(event.sent_at ?? batch.sentAt ?? '');
    const skew = Number.isFinite(sentAt) ? batch.receivedAt - sentAt : 0;
    const corrected = Math.abs(skew) <= MAX_SKEW_MS ? clientTs + skew : clientTs;
    // An event cannot happen after the collector received it.
    const eventTime = Math.min(corrected, batch.receivedAt);
    return {
      ...event,
      received_at: new Date(batch.receivedAt).toISOString(),
      event_time: new Date(eventTime).toISOString(),
    };
  };
}
