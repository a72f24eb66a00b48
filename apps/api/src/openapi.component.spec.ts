import { PROBLEM_CONTENT_TYPE } from '@social-pulse/observability/nest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_SCOPES } from './config';
import { startApiTestApp, type ApiTestApp } from './testing/api-test-app';

type Schema = {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  nullable?: boolean;
};
interface Operation {
  parameters?: { name: string; in: string; example?: unknown; schema?: Schema & { example?: unknown } }[];
  responses: Record<string, { content?: Record<string, { schema?: Schema; example?: unknown }> }>;
  security?: Record<string, string[]>[];
  'x-required-scope'?: string;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, unknown> };
}

/**
 * Where `value` departs from `schema` (the subset Nest's document uses: $ref, objects with required
 * and known properties, arrays, scalar types, enums, nullable), as JSON-path-like messages.
 */
function departures(document: Document, schema: Schema, value: unknown, at: string): string[] {
  if (schema.$ref) {
    return departures(document, document.components.schemas[schema.$ref.split('/').at(-1)!], value, at);
  }
  if (value === null) return schema.nullable ? [] : [`${at}: null, not nullable`];
  if (schema.enum && !schema.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} not in the enum`];
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${at}: not an object`];
      const record = value as Record<string, unknown>;
      const properties = schema.properties ?? {};
      return [
        ...(schema.required ?? []).filter((name) => !(name in record)).map((name) => `${at}.${name}: missing`),
        ...Object.entries(record).flatMap(([name, item]) =>
          properties[name] ? departures(document, properties[name], item, `${at}.${name}`) : [`${at}.${name}: unknown`],
        ),
      ];
    }
    case 'array':
      return Array.isArray(value)
        ? value.flatMap((item, i) => departures(document, schema.items!, item, `${at}[${i}]`))
        : [`${at}: not an array`];
    case 'number':
    case 'integer':
      return typeof value === 'number' ? [] : [`${at}: not a number`];
    case 'string':
    case 'boolean':
      return typeof value === schema.type ? [] : [`${at}: not a ${schema.type}`];
    default:
      return [];
  }
}

const ERRORS = ['401', '403', '429'];
const ANSWER_ERRORS = ['400', '503'];

/** What an operation behind the API key lacks: its scope, or a refusal documented as a problem with an example. */
function keyedGaps(document: Document, name: string, operation: Operation): string[] {
  const gaps: string[] = [];
  if (!operation.security?.some((requirement) => 'api-key' in requirement)) gaps.push(`${name}: no api-key security`);
  if (!(API_SCOPES as readonly string[]).includes(operation['x-required-scope'] ?? '')) {
    gaps.push(`${name}: no x-required-scope`);
  }
  const isAnswer = Boolean(operation.responses['200']?.content?.['application/json']);
  for (const status of isAnswer ? [...ERRORS, ...ANSWER_ERRORS] : ERRORS) {
    const problem = operation.responses[status]?.content?.[PROBLEM_CONTENT_TYPE];
    if (!problem?.schema) {
      gaps.push(`${name}: no ${status} problem`);
      continue;
    }
    if (problem.example === undefined) gaps.push(`${name}: no example of its ${status}`);
    else gaps.push(...departures(document, problem.schema, problem.example, `${name} ${status} example`));
  }
  return gaps;
}

/** What an answer route lacks: a 200 example that fits its schema, a 304, an example per parameter. */
function answerGaps(document: Document, name: string, operation: Operation): string[] {
  const gaps: string[] = [];
  const ok = operation.responses['200'].content!['application/json'];
  if (ok.example === undefined) gaps.push(`${name}: no example of its 200`);
  else gaps.push(...departures(document, ok.schema!, ok.example, `${name} 200 example`));
  if (!operation.responses['304']) gaps.push(`${name}: no 304`);
  for (const parameter of operation.parameters ?? []) {
    if (parameter.example === undefined && parameter.schema?.example === undefined) {
      gaps.push(`${name}: no example of parameter ${parameter.name}`);
    }
  }
  return gaps;
}

describe('the OpenAPI document', () => {
  let api: ApiTestApp;
  let document: Document;

  beforeAll(async () => {
    api = await startApiTestApp();
    document = (await api.app.inject({ method: 'GET', url: '/docs/openapi.json' })).json();
  });
  afterAll(() => api.close());

  const v1Operations = () =>
    Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/v1/'))
      .flatMap(([path, operations]) =>
        Object.entries(operations).map(([method, operation]) => ({
          name: `${method.toUpperCase()} ${path}`,
          operation,
        })),
      );

  it('should list the answer routes', () => {
    expect(v1Operations().map(({ name }) => name)).toEqual(
      expect.arrayContaining([
        'GET /v1/trending',
        'GET /v1/trending/{topic}/history',
        'GET /v1/engagement/summary',
        'GET /v1/engagement/live',
        'GET /v1/users/{user_id}/sessions',
        'GET /v1/ads/performance',
        'GET /v1/ads/campaigns',
      ]),
    );
  });

  it('should give every /v1 route its scope and its refusals as problems with examples that fit their schemas', () => {
    const gaps = v1Operations().flatMap(({ name, operation }) => keyedGaps(document, name, operation));

    expect(gaps).toEqual([]);
  });

  it('should give every answer route a 200 example that fits its schema, a 304, and an example per parameter', () => {
    const answers = v1Operations().filter(({ operation }) => operation.responses['200']?.content?.['application/json']);
    const gaps = answers.flatMap(({ name, operation }) => answerGaps(document, name, operation));

    expect(answers.length).toBeGreaterThanOrEqual(7);
    expect(gaps).toEqual([]);
  });

  it('should make per-user data admin and dashboard aggregates read', () => {
    const scopes = Object.fromEntries(
      v1Operations().map(({ name, operation }) => [name, operation['x-required-scope']]),
    );

    expect(scopes).toMatchObject({
      'GET /v1/users/{user_id}/sessions': 'admin',
      'GET /v1/trending': 'read',
      'GET /v1/engagement/summary': 'read',
      'GET /v1/ads/campaigns': 'read',
    });
  });

  it('should describe the key scheme with its scopes', () => {
    expect(document.components.securitySchemes['api-key']).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'X-API-Key',
      description: expect.stringMatching(/`read`.*`admin`/),
    });
  });

  describe('its example checker', () => {
    const schema: Schema = {
      type: 'object',
      required: ['a'],
      properties: { a: { type: 'number' }, b: { type: 'string', nullable: true, enum: ['x'] } },
    };

    it('should find a missing, a mistyped, an unknown and an out-of-enum member', () => {
      const doc = { components: { schemas: {} } } as unknown as Document;

      expect(departures(doc, schema, { a: 1, b: null }, '$')).toEqual([]);
      expect(departures(doc, schema, { b: 'y', c: 1 }, '$')).toEqual([
        '$.a: missing',
        '$.b: "y" not in the enum',
        '$.c: unknown',
      ]);
      expect(departures(doc, schema, { a: '1' }, '$')).toEqual(['$.a: not a number']);
    });
  });
});
