import { ApplicationFailure, type Info } from '@temporalio/activity';
import { MockActivityEnvironment, type MockActivityEnvironmentOptions } from '@temporalio/testing';

// The worker logs every failed activity as a warning; the tests assert the failures themselves.
const quiet: NonNullable<MockActivityEnvironmentOptions['logger']> = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/**
 * Starts one activity as a worker would: inside an activity context, so `Context.current()`
 * works, heartbeats are recorded and `env.cancel()` cancels it as a cancellation from Temporal does.
 */
export function inActivity<A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A) {
  return inActivityAttempt({}, fn, ...args);
}

/** As inActivity, with what Temporal hands this attempt: a retry's `attempt` and the last attempt's `heartbeatDetails`. */
export function inActivityAttempt<A extends unknown[], R>(
  info: Partial<Info>,
  fn: (...args: A) => Promise<R>,
  ...args: A
) {
  const env = new MockActivityEnvironment(info, { logger: quiet });
  const heartbeats: unknown[] = [];
  env.on('heartbeat', (details: unknown) => heartbeats.push(details));
  const result = env.run<A, R, typeof fn>(fn, ...args);
  // Tests that expect a failure await it later; this keeps an early rejection from counting as unhandled.
  result.catch(() => undefined);
  return { env, heartbeats, result };
}

/** Runs one activity to its result in an activity context. */
export const runActivity = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
  inActivity(fn, ...args).result;

/** The error an activity failed with; throws if it succeeded. */
export async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof Error)) throw new Error('expected the activity to fail, but it succeeded');
  return outcome;
}

/** Whether Temporal retries this failure: a plain Error becomes a retryable ApplicationFailure. */
export const isRetryable = (error: Error): boolean => !(error instanceof ApplicationFailure && error.nonRetryable);
