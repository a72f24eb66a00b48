/** What a config declaration says about a variable beyond its schema: whether it is secret, what production refuses. */

/** A check that runs only when NODE_ENV=production; see `env.production`. */
export interface ProductionRule<T> {
  /**
   * Public development values (such as a default key published in the repository) that production refuses
   * wherever they appear in the parsed value, including when they come from the default.
   */
  devValues?: readonly string[];
  /**
   * A further check of the parsed value, given the other variables that parsed. Returns what is wrong and
   * what to set instead (without the variable's value: it may be secret), or undefined when the value is fine.
   */
  check?: (value: T, config: Readonly<Record<string, unknown>>) => string | undefined;
}

export interface VariableMeta {
  /** Never print the value, not even masked: keys, passwords, tokens. */
  secret?: boolean;
  production?: ProductionRule<never>[];
}

const metas = new WeakMap<object, VariableMeta>();

export const metaOf = (schema: object): VariableMeta => metas.get(schema) ?? {};

/** Records meta for this very schema instance, merged with what it already has; returns the schema unchanged. */
export function annotate<T extends object>(schema: T, patch: VariableMeta): T {
  const before = metaOf(schema);
  metas.set(schema, {
    ...before,
    ...patch,
    production: [...(before.production ?? []), ...(patch.production ?? [])],
  });
  return schema;
}
