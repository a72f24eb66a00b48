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
  // A batch's events share its receive time and usually its sent-at: each is formatted or parsed
  // once, not once per event (a hot path: every event passes here).
  const receivedAtIso = lastValue((receivedAt: number) => new Date(receivedAt).toISOString());
  const parseSentAt = lastValue((sentAt: string | undefined) => Date.parse(sentAt ?? ''));
  return (event: PulseEvent, batch: { receivedAt: number; sentAt?: string }): EnrichedEvent => {
    const clientTs = Date.parse(event.client_ts);
    const sentAt = parseSentAt(event.sent_at ?? batch.sentAt);
    const skew = Number.isFinite(sentAt) ? batch.receivedAt - sentAt : 0;
    const corrected = Math.abs(skew) <= MAX_SKEW_MS ? clientTs + skew : clientTs;
    // An event cannot happen after the collector received it.
    const eventTime = Math.min(corrected, batch.receivedAt);
    // Object.assign, then the new fields, not `{ ...event, received_at, … }`: V8 gives every object made
    // by such a literal a hidden class of its own, ten times slower here and slower to serialise.
    // (Safe from a `__proto__` key: the validated event holds none, the schema drops it.)
    const enriched = Object.assign({}, event) as EnrichedEvent;
    enriched.received_at = receivedAtIso(batch.receivedAt);
    enriched.event_time = new Date(eventTime).toISOString();
    return enriched;
  };
}

/** `compute`, remembering its last argument and answer: a repeat of the argument is not computed again. */
function lastValue<A, R>(compute: (argument: A) => R): (argument: A) => R {
  let last: { argument: A; result: R } | undefined;
  return (argument) => {
    if (!last || last.argument !== argument) last = { argument, result: compute(argument) };
    return last.result;
  };
}
