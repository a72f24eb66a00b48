import { validationProblem, type ParameterError } from '@social-pulse/observability/nest';
import { z } from 'zod';

/** The parameters an object schema (or an object schema piped into a transform) reads. */
export function parameterNames(schema: z.ZodType): string[] {
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  if (schema instanceof z.ZodPipe) return parameterNames(schema.in as z.ZodType);
  throw new Error('parseQuery needs an object schema');
}

/**
 * The request's query (and path) parameters through a schema, or a 400 problem naming every bad one.
 * Beyond the schema's own rules: a query parameter the route does not read is refused (a typo such as
 * `windw=5m` would otherwise answer the default silently), and so is one given twice (which value
 * would win is anyone's guess). Path parameters are the route's; the query cannot override them.
 */
export function parseQuery<S extends z.ZodType>(
  schema: S,
  query: Record<string, unknown>,
  path: Record<string, string> = {},
): z.infer<S> {
  const known = parameterNames(schema).filter((name) => !(name in path));
  const errors: ParameterError[] = [];
  for (const [name, value] of Object.entries(query ?? {})) {
    if (!known.includes(name)) {
      const accepted = known.length > 0 ? `; this route reads ${known.join(', ')}` : '; this route reads none';
      errors.push({ parameter: name, detail: `unknown query parameter ${name.slice(0, 64)}${accepted}` });
    } else if (Array.isArray(value)) {
      errors.push({ parameter: name, detail: `${name} must be given once` });
    }
  }
  if (errors.length > 0) throw validationProblem(errors);
  const parsed = schema.safeParse({ ...query, ...path });
  if (!parsed.success) {
    throw validationProblem(
      parsed.error.issues.map((issue) => {
        const parameter = issue.path[0];
        return typeof parameter === 'string' ? { parameter, detail: issue.message } : { detail: issue.message };
      }),
    );
  }
  return parsed.data;
}
