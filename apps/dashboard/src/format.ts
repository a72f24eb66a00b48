/** How the page writes numbers, money, ratios and durations for a person (the browser's locale). */

const counts = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const decimals = new Intl.NumberFormat(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const percents = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });

/** Shown where a value does not exist (a ratio whose denominator is 0), never as 0. */
export const NONE = '–';

export const formatCount = (value: number | null | undefined): string =>
  value === null || value === undefined ? NONE : counts.format(value);

export const formatDecimal = (value: number | null | undefined): string =>
  value === null || value === undefined ? NONE : decimals.format(value);

/** A ratio (0..1) as a percentage: 0.0423 → 4.2%. */
export const formatPercent = (ratio: number | null | undefined): string =>
  ratio === null || ratio === undefined || !Number.isFinite(ratio) ? NONE : percents.format(ratio);

/** Return on ad spend: 3.84 → 3.84×. */
export const formatMultiple = (value: number | null | undefined): string =>
  value === null || value === undefined || !Number.isFinite(value) ? NONE : `${value.toFixed(2)}×`;

/** A duration for a person: 850 ms → 0.9 s, 95 s → 1 min 35 s, 2 h 5 min. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return NONE;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}

/** A duration on a chart's axis, short: 45 s, 3 min, 2 h. */
export function formatDurationShort(ms: number): string {
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}

/** How old something is, coarsely, for "updated … ago": 4 s, 3 min, 2 h, 3 days. */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 90) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 90) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} days`;
}

/**
 * Integer micros (a decimal string, as the API sends money) as an exact decimal string rounded to
 * cents, half away from zero: never through a double, which would round large sums silently.
 */
export function microsToDecimal(micros: string): string {
  const value = BigInt(micros);
  const negative = value < 0n;
  const cents = ((negative ? -value : value) + 5_000n) / 10_000n;
  const text = `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
  return negative ? `-${text}` : text;
}

const moneyFormats = new Map<string, Intl.NumberFormat | null>();

function moneyFormat(currency: string): Intl.NumberFormat | null {
  if (!moneyFormats.has(currency)) {
    let format: Intl.NumberFormat | null = null;
    try {
      format = new Intl.NumberFormat(undefined, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' });
    } catch {
      // Not an ISO 4217 code (the API's 'unknown'): shown as a number with the code beside it.
    }
    moneyFormats.set(currency, format);
  }
  return moneyFormats.get(currency)!;
}

/** Micros of a currency as money: '12500000', 'EUR' → €12.50; an unknown code → 12.50 unknown. */
export function formatMoney(micros: string | null | undefined, currency: string): string {
  if (micros === null || micros === undefined) return NONE;
  const decimal = microsToDecimal(micros);
  const format = moneyFormat(currency);
  // Intl formats a decimal string exactly (ECMA-402 NumberFormat v3); the type still says number.
  if (format) return format.format(decimal as unknown as number);
  return `${decimals.format(Number(decimal))} ${currency}`;
}

/** A topic as people write it. */
export const hashtag = (topic: string) => `#${topic}`;
