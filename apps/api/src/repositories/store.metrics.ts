import { performance } from 'node:perf_hooks';
import { metricsRegistry } from '@social-pulse/observability';
import { Histogram } from 'prom-client';

/**
 * How one call to a store ended: answered, failed, or given up by the client's own timeout
 * (CLICKHOUSE_TIMEOUT_MS, REDIS_TIMEOUT_MS). A call that the API's dependency guard stopped
 * waiting for is still timed to its end here: this is the store's latency, not the request's.
 */
export type StoreCallOutcome = 'ok' | 'error' | 'timeout';

/** What a Redis command is called on the metric; a MULTI … EXEC transaction is one round trip, `multi`. */
export type RedisCommandName = 'get' | 'multi' | 'ping';

// Both histograms count the API's calls and, through these same repositories, the worker's answer
// refresh: the `service` default label (startDefaultMetrics) tells the two processes apart.

const clickhouseQueryDuration = new Histogram<'query' | 'outcome'>({
  name: 'pulse_clickhouse_query_duration_seconds',
  help: 'Time of one ClickHouse query, sent to its last row read, per query name and outcome (ok, error, timeout)',
  labelNames: ['query', 'outcome'],
  // From a cached answer's milliseconds to the client's 30 s default timeout (the worker's).
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [metricsRegistry],
});

const redisCommandDuration = new Histogram<'command' | 'outcome'>({
  name: 'pulse_redis_command_duration_seconds',
  help: 'Round trip of one Redis command (a MULTI … EXEC as one), per command and outcome (ok, error, timeout)',
  labelNames: ['command', 'outcome'],
  // A GET on the same host answers in about 100 µs; past a second something is wrong.
  buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [metricsRegistry],
});

/** The client's own timeout: @clickhouse/client's socket timeout, or the server's TIMEOUT_EXCEEDED (159). */
const clickhouseTimedOut = (error: unknown) =>
  error instanceof Error && (error.message === 'Timeout error.' || (error as { code?: unknown }).code === '159');

/** ioredis's commandTimeout. */
const redisTimedOut = (error: unknown) => error instanceof Error && error.message === 'Command timed out';

/** Runs one ClickHouse query under its stable name (the `name` of its statement), timed, and rethrows its error. */
export function timeQuery<T>(query: string, work: () => Promise<T>): Promise<T> {
  return timed(work, clickhouseTimedOut, (outcome, seconds) =>
    clickhouseQueryDuration.observe({ query, outcome }, seconds),
  );
}

/** Runs one Redis command, timed, and rethrows its error. */
export function timeCommand<T>(command: RedisCommandName, work: () => Promise<T>): Promise<T> {
  return timed(work, redisTimedOut, (outcome, seconds) => redisCommandDuration.observe({ command, outcome }, seconds));
}

// performance.now(), not Date.now(): sub-millisecond, and immune to the wall clock stepping. The cost
// is two clock reads and one observe, about a microsecond beside a Redis GET's hundred.
async function timed<T>(
  work: () => Promise<T>,
  timedOut: (error: unknown) => boolean,
  observe: (outcome: StoreCallOutcome, seconds: number) => void,
): Promise<T> {
  const started = performance.now();
  try {
    const result = await work();
    observe('ok', (performance.now() - started) / 1000);
    return result;
  } catch (error) {
    observe(timedOut(error) ? 'timeout' : 'error', (performance.now() - started) / 1000);
    throw error;
  }
}
