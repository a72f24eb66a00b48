import { AnswerDataError } from './answer-data-error';
import { z } from 'zod';

/**
 * The ads answers' numbers from ClickHouse's Int64 sums, and the ratios divided from them. Counts are
 * JSON numbers; money is integer micros as a decimal string (as proto3 JSON writes int64): 2^53 micros
 * is 9 billion units, which one row of a platform-wide daily total reaches in a currency such as IDR
 * or KRW, and a JavaScript client would round a larger JSON number without a word.
 */

/** An Int64 in JSONEachRow: a number, or a decimal string when the server quotes 64-bit integers. */
export type Int64Json = string | number;

const INTEGER = /^-?\d+$/;

/** A count as a number. Past 2^53 it would be rounded: that fails the answer instead (no count gets there). */
export function countOf(value: Int64Json, name: string): number {
  const count = typeof value === 'number' ? value : INTEGER.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(count))
    throw new AnswerDataError(`${name} ${String(value)} is not an integer a number holds exactly`);
  return count;
}

/**
 * Integer micros as a decimal string, exact at any size. The queries send money as text (toString), so
 * it never passes through a double; a number past 2^53 was already rounded on the way, and fails here.
 */
export function microsOf(value: Int64Json, name: string): string {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value))
      throw new AnswerDataError(`${name} ${value} was rounded on its way from ClickHouse`);
    return String(value);
  }
  if (!INTEGER.test(value)) throw new AnswerDataError(`${name} ${value} is not an integer`);
  return BigInt(value).toString();
}

/** Ratios keep six decimals: a CTR of 0.05% still shows as 0.0005 with two significant digits. */
const RATIO_DECIMALS = 1_000_000;

/**
 * numerator / denominator, or null when the denominator is 0 (no impressions, clicks, spend): a ratio
 * of nothing is unknown, not Infinity and not 0. A negative denominator, which only a restatement in
 * flight could show, is null too.
 */
export function ratioOf(numerator: number | bigint, denominator: number | bigint): number | null {
  if (denominator <= 0) return null;
  return Math.round((Number(numerator) / Number(denominator)) * RATIO_DECIMALS) / RATIO_DECIMALS;
}

/**
 * Micros per unit (cost per acquisition: spend / conversions) as integer micros in a decimal string,
 * rounded half away from zero in integer arithmetic; null when there are no units to divide by.
 */
export function microsPer(micros: string, units: number): string | null {
  if (units <= 0) return null;
  const [amount, divisor] = [BigInt(micros), BigInt(units)];
  const [quotient, remainder] = [amount / divisor, amount % divisor];
  const roundsAway = 2n * (remainder < 0n ? -remainder : remainder) >= divisor;
  return (roundsAway ? quotient + (amount < 0n ? -1n : 1n) : quotient).toString();
}

/** Campaign and ad ids are the event schema's ids: 1 to 128 characters. */
export const MAX_AD_ID_LENGTH = 128;

/** An optional campaign_id or ad_id query parameter, with problems naming it. */
export function adIdParam(name: string) {
  return z
    .string({ error: `${name} must be given once, as text` })
    .min(1, `${name} must not be empty`)
    .max(MAX_AD_ID_LENGTH, `${name} must be at most ${MAX_AD_ID_LENGTH} characters`)
    .optional();
}
