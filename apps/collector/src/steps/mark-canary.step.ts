import { CANARY_CLAIM_REASON, CANARY_FIELD } from '@social-pulse/events';
import { dlq, ok, type Outcome } from './outcome';

/**
 * Only the canary may mark events (packages/events, canary.ts): the events of a request made with
 * the canary's write key are marked whatever they say, and an event of any other request that
 * carries the field at all is rejected, so no client can hide its events from the dashboards nor
 * pass them off as the canary's. Runs before validation, which then sees the marker as sent.
 */
export function createMarkCanaryStep() {
  return (raw: unknown, request: { canary?: boolean }): Outcome<unknown> => {
    const isObject = raw !== null && typeof raw === 'object' && !Array.isArray(raw);
    if (request.canary) return ok(isObject ? { ...raw, [CANARY_FIELD]: true } : raw);
    return isObject && Object.hasOwn(raw, CANARY_FIELD) ? dlq(raw, CANARY_CLAIM_REASON) : ok(raw);
  };
}
