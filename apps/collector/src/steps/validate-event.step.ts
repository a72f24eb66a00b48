import { checkShape, validateEvent, type PulseEvent } from '@social-pulse/events';
import { dlq, ok, type Outcome } from './outcome';

export interface EventLimits {
  maxEventBytes: number;
  /** Nesting allowed in properties and context, the objects themselves counting as level 1. */
  maxDepth: number;
  maxStringLength: number;
}

/**
 * Checks an event's structure (depth, string lengths) first, without recursion, so that a hostile
 * event cannot overflow the stack of the size check; then its size; then its shape against the
 * shared schema.
 */
export function createValidateEventStep(limits: EventLimits) {
  const shape = { maxDepth: limits.maxDepth, maxStringLength: limits.maxStringLength, maxKeyLength: 256 };
  return (raw: unknown): Outcome<PulseEvent> => {
    const violation = checkShape(raw, shape);
    if (violation) return dlq(raw, violation);
    const size = Buffer.byteLength(JSON.stringify(raw) ?? '');
    if (size > limits.maxEventBytes) return dlq(raw, `event is ${size} bytes; the limit is ${limits.maxEventBytes}`);
    const result = validateEvent(raw);
    return result.ok ? ok(result.event) : dlq(raw, result.reason);
  };
}
