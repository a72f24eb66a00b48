import { ApplicationFailure, defineQuery, proxyActivities, setHandler, uuid4 } from '@temporalio/workflow';
// Types only: workflow code must stay deterministic and never load activity implementations.
import type { FlinkSavepointActivities, SavepointPrune } from '@social-pulse/activities';
import { FLINK_JOBS, type FlinkJobKey } from '@social-pulse/shared';
import { validateSavepointJobsInput } from './workflow-inputs';

const quick = proxyActivities<FlinkSavepointActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3 },
});
// A savepoint heartbeats on every poll (every half second): a dead worker is noticed within 10 s
// and the next attempt polls the same savepoint (its trigger is in the heartbeat details).
const slow = proxyActivities<FlinkSavepointActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { maximumAttempts: 3 },
});

/** The business id of a savepoint run started by hand (the Schedule's runs have the Schedule's ids). */
export const SAVEPOINT_JOBS_WORKFLOW_ID = 'flink-savepoints';

/** The failure type of a run in which some job's savepoint failed (the others were taken and pruned). */
export const SAVEPOINTS_FAILED = 'SavepointsFailed';

export interface SavepointJobsInput {
  /** Only these jobs; default every job of FLINK_JOBS. */
  jobs?: FlinkJobKey[];
  /** How many savepoints per job stay, newest first (SAVEPOINT_KEEP: default 5, 1 to 100). Those in use stay besides. */
  keep?: number;
}

export interface JobSavepointReport {
  job: FlinkJobKey;
  /** The running job the savepoint was taken of; null when none ran. */
  jobId: string | null;
  /** taken; not running (nothing to take); job-stopped (stopped while it was taken: a deploy?); failed. */
  outcome: 'taken' | 'not-running' | 'job-stopped' | 'failed';
  savepoint: string | null;
  error: string | null;
  prune: SavepointPrune | null;
}

export interface SavepointJobsResult {
  keep: number;
  jobs: JobSavepointReport[];
}

export interface SavepointJobsProgress {
  stage: 'starting' | 'savepoint' | 'prune' | 'done';
  steps: { at: string; step: string }[];
}

export const savepointJobsProgressQuery = defineQuery<SavepointJobsProgress>('progress');

/**
 * Takes a savepoint of each running Flink job (without stopping it) into its savepoint folder,
 * then keeps the newest `keep` per job plus any an active job restored from (the savepoint its
 * deploy or rescale started it from) and deletes the rest from disk. One job at a time, so the
 * TaskManagers write one savepoint at once.
 *
 * A job whose savepoint fails is reported and the others still done; the run then fails with a
 * non-retryable SAVEPOINTS_FAILED ApplicationFailure carrying the result, so the Schedule's history
 * shows it. Safe to retry and to run beside a deploy: a job the deploy stopped meanwhile is
 * reported as such. The input is checked first (InvalidWorkflowInput naming the field).
 */
export async function savepointJobsWorkflow(...args: [input?: SavepointJobsInput]): Promise<SavepointJobsResult> {
  const { jobs, keep } = validateSavepointJobsInput(args);
  const wanted = jobs ?? (Object.keys(FLINK_JOBS) as FlinkJobKey[]);
  const progress: SavepointJobsProgress = { stage: 'starting', steps: [] };
  const note = (stage: SavepointJobsProgress['stage'], step: string) => {
    progress.stage = stage;
    progress.steps.push({ at: new Date().toISOString(), step });
  };
  setHandler(savepointJobsProgressQuery, () => progress);

  const running = await quick.listRunningJobs(wanted);
  const reports: JobSavepointReport[] = [];
  for (const job of wanted) {
    const jobId = running.find((r) => r.job === job)?.jobId ?? null;
    const report: JobSavepointReport = {
      job,
      jobId,
      outcome: 'not-running',
      savepoint: null,
      error: null,
      prune: null,
    };
    reports.push(report);
    if (jobId === null) {
      note('savepoint', `${job}: not running, no savepoint to take`);
      continue;
    }
    note('savepoint', `${job}: taking a savepoint of job ${jobId}`);
    // Chosen once and kept in the history: every attempt asks Flink about the same savepoint.
    const triggerId = uuid4().replaceAll('-', '');
    try {
      const taken = await slow.triggerSavepoint(jobId, job, triggerId);
      if (taken.outcome === 'taken') {
        report.outcome = 'taken';
        report.savepoint = taken.savepoint;
        note('savepoint', `${job}: savepoint ${taken.savepoint}`);
      } else {
        report.outcome = 'job-stopped';
        note('savepoint', `${job}: job ${jobId} stopped meanwhile (${taken.state}); no savepoint taken`);
      }
    } catch (error) {
      report.outcome = 'failed';
      report.error = innermost(error);
      note('savepoint', `${job}: the savepoint failed: ${report.error}`);
    }
  }
  for (const report of reports) {
    report.prune = await quick.pruneSavepoints(report.job, keep);
    const { kept, inUse, deleted, incomplete } = report.prune;
    note(
      'prune',
      `${report.job}: kept ${kept.length}` +
        (inUse.length > 0 ? ` and ${inUse.length} in use` : '') +
        `, deleted ${deleted.length}` +
        (incomplete.length > 0 ? `; ${incomplete.length} incomplete left alone` : ''),
    );
  }
  const result: SavepointJobsResult = { keep, jobs: reports };
  const failed = reports.filter((r) => r.outcome === 'failed');
  note(
    'done',
    `${reports.filter((r) => r.outcome === 'taken').length} savepoints taken, ` +
      `${reports.reduce((sum, r) => sum + (r.prune?.deleted.length ?? 0), 0)} old ones deleted` +
      (failed.length > 0 ? `; failed: ${failed.map((r) => r.job).join(', ')}` : ''),
  );
  if (failed.length > 0) {
    throw ApplicationFailure.create({
      type: SAVEPOINTS_FAILED,
      message: `savepoints failed for ${failed.map((r) => `${r.job} (${r.error})`).join(', ')}`,
      nonRetryable: true,
      details: [result],
    });
  }
  return result;
}

/** The innermost message of an activity failure (the activity's own error). */
function innermost(error: unknown): string {
  let cause = error as Error;
  while (cause.cause instanceof Error) cause = cause.cause;
  return cause.message;
}
