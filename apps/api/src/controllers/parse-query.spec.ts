import { ProblemException, PROBLEM_TYPES, problemOf } from '@social-pulse/observability/nest';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parameterNames, parseQuery } from './parse-query';

const schema = z
  .object({
    topic: z.string().min(1, 'topic must not be empty'),
    limit: z.coerce.number().max(10, 'limit must be at most 10').default(5),
    from: z.coerce.number().default(0),
    to: z.coerce.number().default(10),
  })
  .transform((query, ctx) => {
    if (query.from >= query.to) {
      ctx.addIssue({ code: 'custom', message: 'from must be before to' });
      return z.NEVER;
    }
    return query;
  });

/** The problem parseQuery throws for the input. */
function problemFor(query: Record<string, unknown>, path: Record<string, string> = { topic: 'ai' }) {
  try {
    parseQuery(schema, query, path);
  } catch (error) {
    expect(error).toBeInstanceOf(ProblemException);
    return problemOf(error, '/x').problem;
  }
  throw new Error(`expected ${JSON.stringify(query)} to be refused`);
}

describe(parseQuery.name, () => {
  it('should merge query and path parameters through the schema', () => {
    expect(parseQuery(schema, { limit: '7' }, { topic: 'ai' })).toEqual({ topic: 'ai', limit: 7, from: 0, to: 10 });
  });

  it('should name each bad parameter, and leave a rule over several unnamed', () => {
    expect(problemFor({ limit: '11', from: '10' })).toMatchObject({
      type: PROBLEM_TYPES.validation,
      status: 400,
      detail: 'limit must be at most 10',
      errors: [{ parameter: 'limit', detail: 'limit must be at most 10' }],
    });
    expect(problemFor({ from: '10' }).errors).toEqual([{ detail: 'from must be before to' }]);
  });

  it('should refuse a query parameter the route does not read, listing those it does', () => {
    expect(problemFor({ limt: '3', sort: 'asc' }).errors).toEqual([
      { parameter: 'limt', detail: 'unknown query parameter limt; this route reads limit, from, to' },
      { parameter: 'sort', detail: 'unknown query parameter sort; this route reads limit, from, to' },
    ]);
  });

  it('should not let the query set a path parameter', () => {
    expect(problemFor({ topic: 'other' }).errors).toEqual([
      { parameter: 'topic', detail: 'unknown query parameter topic; this route reads limit, from, to' },
    ]);
  });

  it('should refuse a parameter given twice', () => {
    expect(problemFor({ limit: ['1', '2'] }).errors).toEqual([
      { parameter: 'limit', detail: 'limit must be given once' },
    ]);
  });

  it('should cut a long unknown name short in the message', () => {
    const name = 'x'.repeat(500);

    expect(problemFor({ [name]: '1' }).detail).toContain(`unknown query parameter ${'x'.repeat(64)};`);
  });
});

describe(parameterNames.name, () => {
  it('should read the names of an object, piped into a transform or not', () => {
    expect(parameterNames(schema)).toEqual(['topic', 'limit', 'from', 'to']);
    expect(parameterNames(z.object({}))).toEqual([]);
  });

  it('should refuse a schema that is not an object', () => {
    expect(() => parameterNames(z.string())).toThrow('parseQuery needs an object schema');
  });
});
