export { uuidv7 } from './uuidv7';
export * from './event-types';
export * from './user-traits';
export {
  batchSchema,
  eventSchema,
  LIMITS,
  type PulseEvent,
  type PulseEventInput,
  type UserTraits,
} from './event.schema';
export { eventJsonSchema } from './json-schema';
export { validateEvent, type Validation } from './validate-event';
export { checkShape, DEFAULT_SHAPE_LIMITS, type ShapeLimits } from './check-limits';
export { DEAD_LETTER_REASONS, deadLetterReason, type DeadLetterReason } from './dead-letter-reasons';
export {
  CANARY_CLAIM_REASON,
  CANARY_FIELD,
  CANARY_ID_CLAIM_REASON,
  CANARY_ID_PREFIX,
  CANARY_TOPIC_PREFIX,
  DEV_CANARY_WRITE_KEY,
} from './canary';
