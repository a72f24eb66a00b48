import { CANARY_CLAIM_REASON, CANARY_FIELD, CANARY_ID_CLAIM_REASON, CANARY_ID_PREFIX } from '@social-pulse/events';
import { dlq, ok, type Outcome } from './outcome';

/**
 * The ids the jobs file the canary's events under, in the canary's form (CANARY_ID_PREFIX): the
 * visitor's, and an ad event's campaign, impression and click (flink/, CanaryEvents.id).
 */
const CANARY_FORM_IDS: readonly (readonly [string, ...string[]])[] = [
  ['user_id'],
  ['anonymous_id'],
  ['properties', 'campaign_id'],
  ['properties', 'impression_id'],
  ['properties', 'click_id'],
];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The first of CANARY_FORM_IDS that the event gives in the canary's form, dotted, or undefined. */
function canaryFormId(event: Record<string, unknown>): string | undefined {
  for (const path of CANARY_FORM_IDS) {
    let value: unknown = event;
    for (const key of path) value = isRecord(value) && Object.hasOwn(value, key) ? value[key] : undefined;
    if (typeof value === 'string' && value.startsWith(CANARY_ID_PREFIX)) return path.join('.');
  }
  return undefined;
}

/**
 * Only the canary may mark events (packages/events, canary.ts): the events of a request made with
 * the canary's write key are marked whatever they say, and an event of any other request that
 * carries the field at all, or an id in the form the jobs give the canary's (CANARY_ID_PREFIX), is
 * rejected, so no client can hide its events from the dashboards nor pass them off as the canary's.
 * Runs before validation, which then sees the marker as sent.
 */
export function createMarkCanaryStep() {
  return (raw: unknown, request: { canary?: boolean }): Outcome<unknown> => {
    if (request.canary) return ok(isRecord(raw) ? { ...raw, [CANARY_FIELD]: true } : raw);
    if (!isRecord(raw)) return ok(raw);
    if (Object.hasOwn(raw, CANARY_FIELD)) return dlq(raw, CANARY_CLAIM_REASON);
    const claimed = canaryFormId(raw);
    return claimed ? dlq(raw, `${claimed}: ${CANARY_ID_CLAIM_REASON}`) : ok(raw);
  };
}
