import { z } from 'zod';

/** Thrown when the environment holds bad values; the message names every one of them. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment once against a schema whose keys are variable names.
 * Every bad variable is reported together, so one start-up shows all the mistakes.
 */
export function loadConfig<S extends z.ZodRawShape>(
  shape: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<S>> {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(shape)) {
    // An empty variable means "not set", as in most shells' `FOO= cmd`.
    input[key] = env[key] === '' ? undefined : env[key];
  }
  const result = z.object(shape).safeParse(input);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        // Name the variable itself, not the item inside it (e.g. KAFKA_BROKERS, not KAFKA_BROKERS.0).
        const name = String(issue.path[0]);
        return `${name}=${JSON.stringify(input[name] ?? '')}: ${issue.message}`;
      }),
    );
  }
  return result.data;
}
