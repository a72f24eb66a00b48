import { eventSchema, type PulseEvent } from './event.schema';

export type Validation = { ok: true; event: PulseEvent } | { ok: false; reason: string };

/** Validates one event; a rejection carries a reason a developer can act on. */
export function validateEvent(raw: unknown): Validation {
  const result = eventSchema.safeParse(raw);
  if (result.success) return { ok: true, event: result.data };
  const reason = result.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || 'event'}: ${issue.message}`)
    .join('; ');
  return { ok: false, reason };
}
