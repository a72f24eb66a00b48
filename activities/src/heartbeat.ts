import { Context } from '@temporalio/activity';

/**
 * Runs `fn`, heartbeating `detail()` every `everyMs` meanwhile, so a long query does not look like
 * a dead worker and a short heartbeat timeout can find a dead one quickly. `detail()` is read at
 * each beat: an activity that checkpoints in its heartbeat details keeps them there.
 */
export async function whileHeartbeating<T>(detail: () => unknown, everyMs: number, fn: () => Promise<T>): Promise<T> {
  const context = Context.current();
  const beat = setInterval(() => context.heartbeat(detail()), everyMs);
  try {
    return await fn();
  } finally {
    clearInterval(beat);
  }
}
