import { validateEvent, type PulseEvent } from '@social-pulse/events';
import { dlq, ok, type Outcome } from './outcome';

/** Checks an event's size, then its shape against the shared schema. */
export function createValidateEventStep(limits: { maxEventBytes: number }) {
  return (raw: unknown): Outcome<PulseEvent> => {
    const size = Buffer.byteLength(JSON.stringify(raw) ?? '');
    if (size > limits.maxEventBytes) return dlq(raw, `event is ${size} bytes; the limit is ${limits.maxEventBytes}`);
    const result = validateEvent(raw);
    return result.ok ? ok(result.event) : dlq(raw, result.reason);
  };
}
