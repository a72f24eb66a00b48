/**
 * Why an event was rejected, as a bounded code: the kind of limit it broke or the top-level field
 * that failed, never client-chosen text. The collector puts it on every dead letter (and on its
 * rejection metric); the `dead_letters` table keeps it as an Enum8 of exactly these values
 * (clickhouse/migrations/0003_event_archive.sql, checked by a test), in this order.
 */
export const DEAD_LETTER_REASONS = [
  'other',
  'depth',
  'key_length',
  'string_length',
  'event_size',
  'event',
  'event_id',
  'event_type',
  'schema_version',
  'user_id',
  'anonymous_id',
  'session_id',
  'client_ts',
  'sent_at',
  'context',
  'properties',
] as const;

export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[number];

const FIELDS: ReadonlySet<string> = new Set(DEAD_LETTER_REASONS.slice(DEAD_LETTER_REASONS.indexOf('event')));

/** The code of a rejection reason as the validation words it. */
export function deadLetterReason(reason: string): DeadLetterReason {
  if (reason.includes('nested deeper than')) return 'depth';
  if (reason.includes('key of')) return 'key_length';
  if (reason.includes('string of')) return 'string_length';
  if (/^event is \d+ bytes/.test(reason)) return 'event_size';
  const field = reason.split(':')[0].split(/[.[]/)[0];
  return FIELDS.has(field) ? (field as DeadLetterReason) : 'other';
}
