import { z } from 'zod';

/** ClickHouse's text for a UTC time, as its DateTime64 parameters take it (milliseconds kept). */
export const clickhouseTime = (time: Date) => time.toISOString().replace('T', ' ').replace('Z', '');

/** ClickHouse's text for a UTC time to the second, as its DateTime parameters take it. */
export const clickhouseSeconds = (time: Date) => clickhouseTime(time).slice(0, 19);

/** ClickHouse's DateTime text (UTC, no zone) to ISO-8601. */
export const isoFromClickHouse = (value: string) => new Date(`${value.replace(' ', 'T')}Z`).toISOString();

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** A series interval's period, ranges and cache time (the engagement and ads series). */
export interface IntervalRule {
  periodMs: number;
  /** The range when `from` is not given: this long before `to`. */
  defaultSpanMs: number;
  /** The longest range a request may ask for, so that an answer stays a few thousand points at most. */
  maxSpanMs: number;
  maxSpan: string;
  /** How long Redis keeps an answer: what a chart at this resolution can afford to lag. */
  cacheTtlSeconds: number;
}

/** UTC periods are whole multiples of their length since the epoch (a UTC day has no DST). */
export const floorTo = (ms: number, periodMs: number) => Math.floor(ms / periodMs) * periodMs;
export const ceilTo = (ms: number, periodMs: number) => Math.ceil(ms / periodMs) * periodMs;

/** ClickHouse's DateTime ends in 2106; a bound keeps a parameter from failing the query with a 500. */
const LATEST_MS = Date.UTC(2100, 0, 1);
const dateTime = z.iso.datetime({ offset: true });
const date = z.iso.date();

/**
 * An optional time query parameter as epoch milliseconds: an ISO-8601 date-time with Z or an offset
 * (a time without a zone would depend on the server's), or a date, read as UTC midnight.
 */
export function isoTimeParam(name: string) {
  const message = `${name} must be an ISO-8601 time such as 2026-11-26T12:00:00Z`;
  return z
    .string({ error: message })
    .refine((value) => dateTime.safeParse(value).success || date.safeParse(value).success, message)
    .transform((value) => Date.parse(value))
    .pipe(
      z
        .number()
        .min(0, `${name} must be between 1970 and 2100`)
        .max(LATEST_MS, `${name} must be between 1970 and 2100`),
    )
    .optional();
}

/** A whole-number query parameter in [min, max], with problems naming it. */
export function intParam(name: string, min: number, max: number, fallback: number) {
  return z.coerce
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max}`)
    .default(fallback);
}

/** What a range check needs: the resolved bounds and how far apart they may be. */
export interface RangeRule {
  from: number;
  to: number;
  maxSpanMs: number;
  /** The longest span in words, for the message: "24 hours". */
  maxSpan: string;
  /** Why this bound, appended to the message: "for interval=minute". */
  context?: string;
}

/** The problem with a resolved range, naming the parameters, or null. */
export function rangeProblem({ from, to, maxSpanMs, maxSpan, context }: RangeRule): string | null {
  if (from >= to) return 'from must be before to';
  if (to - from > maxSpanMs) return `from and to must be at most ${maxSpan} apart${context ? ` ${context}` : ''}`;
  return null;
}
