export interface RetryPolicyOptions {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicyOptions = { baseMs: 1000, maxMs: 60_000 };

/**
 * How long to wait before attempt `attempt` (1 = the first retry): exponential with jitter (half fixed, half random),
 * so a collector that comes back is not hit by every browser at the same instant. A server's
 * Retry-After is a floor, never shortened by jitter.
 */
export function retryDelayMs(
  attempt: number,
  retryAfterMs: number | undefined,
  options: RetryPolicyOptions = DEFAULT_RETRY,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(ceiling / 2 + (random() * ceiling) / 2);
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** Retry-After as seconds or an HTTP date, in milliseconds from `now`. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
