import { BadRequestException } from '@nestjs/common';
import type { z } from 'zod';

/** The request's values through a schema, or 400 naming every problem. */
export function parseQuery<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new BadRequestException(parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data;
}
