import { z } from 'zod';
import { annotate, type ProductionRule } from './variable-meta';

/** Field builders for environment variables: each parses a string and says what it expected. */

export const port = (fallback: number) =>
  z.coerce
    .number({ error: 'expected a port number' })
    .int('expected a whole port number')
    .min(1, 'expected a port between 1 and 65535')
    .max(65535, 'expected a port between 1 and 65535')
    .default(fallback);

export const positiveInt = (fallback: number) =>
  z.coerce
    .number({ error: 'expected a number' })
    .int('expected a whole number')
    .positive('expected a number above 0')
    .default(fallback);

export const url = (fallback: string) =>
  z.url({ error: 'expected a URL such as http://localhost:8123' }).default(fallback);

/** A comma-separated list, its items trimmed and empty ones dropped: 'a, b,,c' is ['a', 'b', 'c']. */
export const commaList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    );

/** A comma-separated list such as KAFKA_BROKERS=host1:9092,host2:9092. */
export const hostPortList = (fallback: string) =>
  commaList(fallback).pipe(
    z
      .array(z.string().regex(/^[^:\s]+:\d{1,5}$/, 'expected host:port items separated by commas'))
      .min(1, 'expected at least one host:port'),
  );

export const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1' || value === 'yes');

export const logLevel = () =>
  z
    .enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], {
      error: 'expected one of trace, debug, info, warn, error, fatal, silent',
    })
    .default('info');

export const text = (fallback: string) => z.string().min(1).default(fallback);

/** A value that must match `pattern`, which `expected` describes for the error (e.g. 'lower-case letters, digits and dashes'). */
export const matching = (fallback: string, pattern: RegExp, expected: string) =>
  z.string().regex(pattern, `expected ${expected}`).default(fallback);

/** NODE_ENV: production turns on the checks declared with `production` (the Dockerfile sets it). */
export const nodeEnv = () =>
  z
    .enum(['development', 'test', 'production'], { error: 'expected development, test or production' })
    .default('development');

/**
 * Marks a variable whose value is secret (keys, passwords, tokens): errors name it and say what was expected,
 * but never show its value. Wrap the finished field (after `.default()` and the like), as it marks this instance.
 */
export const secret = <T extends z.ZodType>(schema: T): T => annotate(schema, { secret: true });

/**
 * Declares what production refuses in a variable whose default suits one machine only, such as a public dev key:
 * with NODE_ENV=production, start-up fails naming the variable and what to set. Development and tests are
 * unaffected. Wrap the finished field, as it marks this instance.
 */
export const production = <T extends z.ZodType>(schema: T, rule: ProductionRule<z.output<T>>): T =>
  annotate(schema, { production: [rule as ProductionRule<never>] });
