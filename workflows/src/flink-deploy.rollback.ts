import { ApplicationFailure } from '@temporalio/workflow';
// Types only: the constant's value is repeated below, and `typeof` keeps the two equal at compile time.
import type {
  JobHealthVerdict,
  UNMAPPED_SAVEPOINT_STATE,
  UnmappedSavepointStateDetails,
} from '@social-pulse/activities';
import type { FlinkJobKey } from '@social-pulse/shared';

/**
 * Why a deploy rolled back, for the result and for people. Pure and deterministic, so the
 * workflow can call it; not exported from the package's entry (index.ts), which holds workflows.
 */
export interface RollbackReason {
  /**
   * `unmapped-savepoint-state`: Flink refused the savepoint because it has state of operators the
   * new program no longer has; `new-job-failed`: the new job failed for any other reason;
   * `unhealthy-new-job`: it ran, but its metrics condemned it during the watch period;
   * `operator-rollback`: an operator sent the `rollback` signal.
   */
  cause: 'unmapped-savepoint-state' | 'new-job-failed' | 'unhealthy-new-job' | 'operator-rollback';
  /** The failure of the new job, as the activity reported it. */
  error: string;
  /** The operator ids Flink named (hashes of their uids), for unmapped savepoint state. */
  operators: string[];
  /** Why the new version did not stay, in one clause for people. */
  why: string;
  /** What deploys the new version anyway, and what that costs; null when no command helps. */
  remedy: { command: string; effect: string } | null;
  /** `why` and the remedy in one sentence, for logs, the progress query and the Temporal UI. */
  message: string;
}

const UNMAPPED: typeof UNMAPPED_SAVEPOINT_STATE = 'UnmappedSavepointState';

/** The command that upgrades anyway, keeping what can be kept. */
export function allowNonRestoredStateRemedy(job: FlinkJobKey): NonNullable<RollbackReason['remedy']> {
  return {
    command: `npx pulse deploy ${job} --allow-non-restored-state`,
    effect:
      'state of operators that no longer exist is dropped; Kafka offsets and the state of kept operators are restored',
  };
}

/** A new job that ran but whose metrics condemned it during the watch period. */
export function unhealthyReason(verdict: JobHealthVerdict): RollbackReason {
  const why = `the new job was unhealthy during its watch (${verdict.signal}): ${verdict.detail}`;
  return { cause: 'unhealthy-new-job', error: verdict.detail, operators: [], why, remedy: null, message: why };
}

/** An operator's `rollback` signal, with the reason they gave. */
export function operatorReason(reason: string): RollbackReason {
  const why = `an operator asked for a rollback: ${reason}`;
  return { cause: 'operator-rollback', error: reason, operators: [], why, remedy: null, message: why };
}

/** Reads why the new job failed from the error the workflow caught (an ActivityFailure, usually). */
export function rollbackReason(error: unknown, job: FlinkJobKey): RollbackReason {
  const failure = activityFailure(error);
  const reported = failure?.message || (error instanceof Error ? error.message : String(error));
  if (failure?.type !== UNMAPPED) {
    const why = `the new job failed: ${reported}`;
    return { cause: 'new-job-failed', error: reported, operators: [], why, remedy: null, message: why };
  }
  const [details] = (failure.details ?? []) as (UnmappedSavepointStateDetails | undefined)[];
  const operators = details?.operators ?? [];
  const named = operators.length > 0 ? ` (Flink names operator ${operators.join(', ')})` : '';
  const why =
    `Flink refused to start the new version from the savepoint: it has state of operators the new version ` +
    `no longer has${named}, i.e. an operator uid was removed or renamed`;
  const remedy = allowNonRestoredStateRemedy(job);
  return {
    cause: 'unmapped-savepoint-state',
    error: reported,
    operators,
    why,
    remedy,
    message: `${why}. To upgrade anyway: ${remedy.command} (${remedy.effect})`,
  };
}

/** The activity's own failure: the ApplicationFailure in the cause chain of the ActivityFailure. */
function activityFailure(error: unknown): ApplicationFailure | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current instanceof ApplicationFailure) return current;
  }
  return undefined;
}
