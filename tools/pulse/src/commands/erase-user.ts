import { createHash } from 'node:crypto';
import { TASK_QUEUES } from '@social-pulse/shared';
import { Client, Connection, WorkflowExecutionAlreadyStartedError, WorkflowFailedError } from '@temporalio/client';
import {
  eraseUserProgressQuery,
  eraseUserWorkflow,
  type EraseUserInput,
  type EraseUserResult,
} from '@social-pulse/workflows';
import { PulseError, say } from '../console';
import { loadSettings } from '../settings';

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
  const settings = loadSettings();
  const connection = await Connection.connect({
    address: `127.0.0.1:${settings.TEMPORAL_PORT}`,
    connectTimeout: 10_000,
  }).catch((error: Error) => {
    throw new PulseError(
      `Temporal is not reachable: ${error.message}`,
      'start the platform with `npx pulse up --detach`',
    );
  });
  const client = new Client({ connection });
  const workflowId = eraseUserWorkflowId(userId);
  let handle;
  try {
    handle = await client.workflow.start(eraseUserWorkflow, {
      taskQueue: TASK_QUEUES.operations,
      workflowId,
      args: [input],
    });
    say.step(`erasing the user (workflow ${workflowId}, see the Temporal UI)`);
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    say.warn('an erasure of this user is already running; following it');
    handle = client.workflow.getHandle(workflowId);
  }

  let shown = 0;
  const follow = async () => {
    const progress = await handle.query(eraseUserProgressQuery).catch(() => undefined);
    for (; progress && shown < progress.steps.length; shown++) say.step(`  ${progress.steps[shown].step}`);
  };
  const timer = setInterval(() => void follow(), 500);
  try {
    const result = (await handle.result().catch(async (error: unknown) => {
      await follow();
      if (!(error instanceof WorkflowFailedError)) throw error;
      let cause: Error = error;
      while (cause.cause instanceof Error) cause = cause.cause;
      throw new PulseError(`the erasure failed: ${cause.message}`, `see workflow ${workflowId} in the Temporal UI`);
    })) as EraseUserResult;
    await follow();
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
  } finally {
    clearInterval(timer);
    await connection.close();
  }
}
