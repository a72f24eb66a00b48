import { createHash } from 'node:crypto';
import {
  eraseUserProgressQuery,
  eraseUserWorkflow,
  type EraseUserInput,
  type EraseUserResult,
} from '@social-pulse/workflows';
import { PulseError, say } from '../console';
import { runFollowingSteps, withTemporal } from '../temporal';

export interface EraseUserOptions {
  by?: string;
  reason?: string;
  anonymousId?: string[];
}

export const ERASE_USER_HELP =
  'erase a user through the Temporal workflow: delete their rows from every ClickHouse table, recompute the rollups ' +
  'of the periods that counted them, drop their Redis answers, record the erasure in user_erasures, and say when ' +
  'Kafka retention and Flink state TTLs let the rest age out';

/**
 * The business id of a user's erasure: one at a time per user, and named by a hash so that the id
 * shown in lists and logs does not spell the user id (the input, in the workflow's history, does).
 */
export const eraseUserWorkflowId = (userId: string) =>
  `erase-user-${createHash('sha256').update(userId).digest('hex').slice(0, 16)}`;

/** The workflow input from the command line; the workflow checks it again (and says what is wrong). */
export function eraseUserInput(userId: string, options: EraseUserOptions): EraseUserInput {
  if (userId.trim() === '') throw new PulseError('the user id is empty');
  if (options.by === undefined || options.by.trim() === '') {
    throw new PulseError('--by <who> is required: who asked for the erasure is recorded in the audit');
  }
  return {
    userId,
    requestedBy: options.by,
    ...(options.reason === undefined ? {} : { reason: options.reason }),
    ...(options.anonymousId === undefined || options.anonymousId.length === 0
      ? {}
      : { anonymousIds: [...new Set(options.anonymousId.flatMap((id) => id.split(',')).filter((id) => id !== ''))] }),
  };
}

/**
 * `pulse erase-user <id> --by <who>`: runs the erasure workflow on the worker and prints its steps
 * as they happen. An erasure of the same user already under way is followed rather than started twice.
 */
export async function eraseUser(userId: string, options: EraseUserOptions = {}): Promise<EraseUserResult> {
  const input = eraseUserInput(userId, options);
  const workflowId = eraseUserWorkflowId(userId);
  const result = await withTemporal((client) =>
    runFollowingSteps(client, {
      workflow: eraseUserWorkflow,
      workflowId,
      args: [input],
      progress: eraseUserProgressQuery,
      started: 'erasing the user',
      alreadyRunning: 'an erasure of this user is already running; following it',
      failedAs: 'the erasure failed',
    }),
  );
  const removed = Object.entries(result.removed)
    .map(([table, rows]) => `${table} ${rows}`)
    .join(', ');
  const periods = result.recomputed.reduce((sum, r) => sum + r.periods, 0);
  say.ok(
    `erased (${result.erasureId}, ${result.ms.total} ms): ${removed}; ${periods} rollup periods recomputed; ` +
      `${result.redisKeys.deleted} Redis keys deleted`,
  );
  say.plain(`  Kafka records age out by ${result.kafka.agesOutAt ?? 'never: a topic keeps records forever'}`);
  say.plain(`  Flink keyed state ages out by ${result.flinkState.agesOutAt}`);
  for (const note of result.notes) say.plain(`  note: ${note}`);
  const left = Object.entries(result.remaining).filter(([, rows]) => rows > 0);
  if (left.length > 0) {
    say.warn(`rows arrived while it ran: ${left.map(([t, n]) => `${t} ${n}`).join(', ')}; run it again later`);
  }
  return result;
}
