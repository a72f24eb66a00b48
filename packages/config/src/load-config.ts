import { z } from 'zod';
import { maskCredentials } from './mask';
import { metaOf, type ProductionRule } from './variable-meta';

/** Thrown when the environment holds bad values; the message names every one of them. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** `NAME="value"` with credentials masked, or `NAME=***` for a secret that is set. */
function shown(schema: object, name: string, raw: string | undefined): string {
  if (metaOf(schema).secret) return raw === undefined ? `${name}=""` : `${name}=***`;
  return `${name}=${JSON.stringify(maskCredentials(raw ?? ''))}`;
}

/** As `shown`, but an unset variable reads as such: production refuses defaults, not empty values. */
const shownForProduction = (schema: object, name: string, raw: string | undefined): string =>
  raw === undefined ? `${name} (unset)` : shown(schema, name, raw);

/** Whether a parsed value (a string, or arrays and objects of them) holds one of the given strings. */
function holds(value: unknown, wanted: readonly string[]): string | undefined {
  if (typeof value === 'string') return wanted.includes(value) ? value : undefined;
  const items = Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value) : [];
  for (const item of items) {
    const found = holds(item, wanted);
    if (found !== undefined) return found;
  }
  return undefined;
}

function productionProblems(
  name: string,
  raw: string | undefined,
  value: unknown,
  rule: ProductionRule<never>,
  config: Record<string, unknown>,
): string[] {
  const problems: string[] = [];
  const dev = rule.devValues && holds(value, rule.devValues);
  if (dev !== undefined) {
    const how = raw === undefined ? 'defaults to' : 'holds';
    problems.push(
      `${how} the public development value ${JSON.stringify(dev)}, refused with NODE_ENV=production: ` +
        `set ${name} to values of your own`,
    );
  }
  const problem = rule.check?.(value as never, config);
  if (problem) problems.push(problem);
  return problems;
}

/**
 * Parses the environment once against a schema whose keys are variable names.
 * Every bad variable is reported together, so one start-up shows all the mistakes.
 * With NODE_ENV=production (the shape's NODE_ENV if it declares one, else the environment's) the variables'
 * `production` rules apply too. Secret variables never show their value; URLs show no credentials.
 */
export function loadConfig<S extends z.ZodRawShape>(
  shape: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<S>> {
  const input: Record<string, string | undefined> = {};
  const problems: string[] = [];
  const data: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(shape)) {
    // An empty variable means "not set", as in most shells' `FOO= cmd`.
    input[name] = env[name] === '' ? undefined : env[name];
    const result = z.safeParse(schema, input[name]);
    if (result.success) data[name] = result.data;
    // Name the variable itself, not the item inside it (e.g. KAFKA_BROKERS, not KAFKA_BROKERS.0).
    else
      for (const issue of result.error.issues) problems.push(`${shown(schema, name, input[name])}: ${issue.message}`);
  }
  const mode = 'NODE_ENV' in shape ? data.NODE_ENV : env.NODE_ENV;
  if (mode === 'production') {
    for (const [name, schema] of Object.entries(shape)) {
      if (!(name in data)) continue;
      for (const rule of metaOf(schema).production ?? []) {
        for (const problem of productionProblems(name, input[name], data[name], rule, data))
          problems.push(`${shownForProduction(schema, name, input[name])}: ${problem}`);
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return data as z.infer<z.ZodObject<S>>;
}
