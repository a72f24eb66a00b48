import { z } from 'zod';
import { eventSchema } from './event.schema';

/** The event schema as JSON Schema, for clients in other languages. */
export function eventJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(eventSchema, { io: 'input', unrepresentable: 'any' });
}
