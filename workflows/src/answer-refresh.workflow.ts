import { defineQuery, makeContinueAsNewFunc, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
// Types only: workflow code must stay deterministic and never load activity implementations.
import type { AnswerRefreshActivities, ContinuousRefreshReport, RefreshReport } from '@social-pulse/activities';
import { validateLiveRefresherInput, validateRefreshAnswersInput } from './workflow-inputs';

export interface RefreshAnswersInput {
  /** Names from PRECOMPUTED_ANSWERS (packages/shared). */
  answers: string[];
}

export interface LiveRefresherInput {
  answers: string[];
  /** How long each activity run refreshes before the workflow starts the next (default 1 minute). */
  runForMs?: number;
}

export interface LiveRefresherProgress {
  /** Activity runs finished in this workflow run (continue-as-new starts a new count). */
  runs: number;
  refreshed: number;
  failed: number;
  lastRunEndedAt: string | null;
}

export const liveRefresherProgressQuery = defineQuery<LiveRefresherProgress>('progress');

/** One round on a Schedule: its next run comes soon, so a failed round is retried once, not for long. */
const { refreshAnswers } = proxyActivities<AnswerRefreshActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 2, initialInterval: '1 second' },
});

/**
 * Refreshes pre-computed answers once: the workflow the answer Schedules start. A run that fails
 * leaves the previous answers in Redis, which the API serves with their age.
 */
export async function refreshAnswersWorkflow(...args: [RefreshAnswersInput]): Promise<RefreshReport> {
  const { answers } = validateRefreshAnswersInput(args);
  return refreshAnswers(answers);
}

/** Activity runs per workflow run before continue-as-new: about 10 events each keeps the history short. */
const RUNS_PER_WORKFLOW_RUN = 100;

/**
 * Keeps answers fresher than a Schedule can (twice a second for the 1-minute trending horizon): one
 * long-running heartbeating activity refreshes them, run after run, and the workflow continues as new
 * every RUNS_PER_WORKFLOW_RUN runs so its history stays bounded. A killed worker misses heartbeats;
 * the activity is retried on the next worker within the heartbeat timeout.
 */
export async function liveAnswersRefresherWorkflow(...args: [LiveRefresherInput]): Promise<never> {
  const input = validateLiveRefresherInput(args);
  const { refreshAnswersContinuously } = proxyActivities<AnswerRefreshActivities>({
    startToCloseTimeout: input.runForMs + 60_000,
    heartbeatTimeout: '5 seconds',
    // Forever, at most 5 s apart: the refresher is meant to be always on.
    retry: { initialInterval: '500 milliseconds', maximumInterval: '5 seconds', backoffCoefficient: 2 },
  });
  const progress: LiveRefresherProgress = { runs: 0, refreshed: 0, failed: 0, lastRunEndedAt: null };
  setHandler(liveRefresherProgressQuery, () => progress);
  while (progress.runs < RUNS_PER_WORKFLOW_RUN && !workflowInfo().continueAsNewSuggested) {
    const report: ContinuousRefreshReport = await refreshAnswersContinuously(input);
    progress.runs += 1;
    progress.refreshed += report.refreshed;
    progress.failed += report.failed;
    progress.lastRunEndedAt = new Date().toISOString();
  }
  // The memo (the answer list the refresher was started for) goes along, so a reconcile can compare it.
  return makeContinueAsNewFunc<typeof liveAnswersRefresherWorkflow>({ memo: workflowInfo().memo })(input);
}
