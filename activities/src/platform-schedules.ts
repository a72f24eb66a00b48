import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  WorkflowNotFoundError,
  type Client,
  type ScheduleOptionsStartWorkflowAction,
} from '@temporalio/client';
import { LIVE_REFRESH_BELOW_MS, PRECOMPUTED_ANSWERS, type PrecomputedAnswerName } from '@social-pulse/shared';

/** Every Schedule the platform owns has this id prefix; a `pulse-` Schedule not listed below is removed. */
export const SCHEDULE_ID_PREFIX = 'pulse-';

/** A Temporal Schedule of the platform: a workflow started every `everyMs`. */
export interface PlatformSchedule {
  id: string;
  description: string;
  everyMs: number;
  workflowType: string;
  args: unknown[];
}

/** The always-on workflow that refreshes the answers too fresh for a Schedule (LIVE_REFRESH_BELOW_MS). */
export const LIVE_REFRESHER_WORKFLOW_ID = 'pulse-answers-live-refresher';

const answerNames: PrecomputedAnswerName[] = Object.keys(PRECOMPUTED_ANSWERS);

/** The answers the live refresher keeps fresh. */
export const LIVE_ANSWERS = answerNames.filter(
  (name) => PRECOMPUTED_ANSWERS[name].refreshEveryMs < LIVE_REFRESH_BELOW_MS,
);

/** One Schedule per cadence of the other answers: each run refreshes every answer of that cadence. */
function answerSchedules(): PlatformSchedule[] {
  const byCadence = new Map<number, PrecomputedAnswerName[]>();
  for (const name of answerNames) {
    const { refreshEveryMs } = PRECOMPUTED_ANSWERS[name];
    if (refreshEveryMs >= LIVE_REFRESH_BELOW_MS)
      byCadence.set(refreshEveryMs, [...(byCadence.get(refreshEveryMs) ?? []), name]);
  }
  return [...byCadence].map(([everyMs, answers]) => ({
    id: `${SCHEDULE_ID_PREFIX}refresh-answers-every-${everyMs / 1000}s`,
    description: `refresh ${answers.join(', ')}`,
    everyMs,
    workflowType: 'refreshAnswersWorkflow',
    args: [{ answers }],
  }));
}

/** Every Schedule the platform runs. */
export const PLATFORM_SCHEDULES: readonly PlatformSchedule[] = [
  ...answerSchedules(),
  {
    // Hourly: the shortest TTL (the 1-minute trending horizon, 2 hours in hourly partitions) is then
    // dropped within an hour of expiry; on the other tables a run finds nothing in a few hundred ms.
    id: `${SCHEDULE_ID_PREFIX}ttl-maintenance`,
    description: 'report rows past their TTL, drop expired partitions, materialize TTL, check table budgets',
    everyMs: 60 * 60_000,
    workflowType: 'ttlMaintenanceWorkflow',
    args: [{}],
  },
  {
    // Every 30 minutes, keeping 5 per job: a job can be restarted from a state at most 30 minutes
    // old even when its stop-with-savepoint fails, and 2.5 hours of savepoints stay to go back to.
    id: `${SCHEDULE_ID_PREFIX}flink-savepoints`,
    description: 'take a savepoint of each running Flink job, keep the last 5 per job and those in use',
    everyMs: 30 * 60_000,
    workflowType: 'savepointJobsWorkflow',
    args: [{ keep: 5 }],
  },
  {
    // Recommend only (apply: false): each run records the recommended parallelism per job in its
    // result and progress; a run with `apply: true` started by hand (or this Schedule's input
    // changed) applies it. Every 5 minutes, the policy's default stabilization time: a job a rescale
    // restarted is judged again once its metrics have settled.
    id: `${SCHEDULE_ID_PREFIX}flink-autoscale`,
    description: 'read each Flink job’s busy time, input rate and Kafka lag and recommend a parallelism',
    everyMs: 5 * 60_000,
    workflowType: 'autoscaleFlinkJobsWorkflow',
    args: [{ apply: false }],
  },
];

export interface EnsureSchedulesResult {
  created: string[];
  updated: string[];
  removed: string[];
  liveRefresher: 'started' | 'running' | 'restarted';
}

/**
 * Creates or updates every platform Schedule and removes `pulse-` Schedules no longer listed, then
 * makes sure the live refresher runs with the current answer list. Idempotent: running it twice
 * changes nothing the second time but the Schedules' definitions, rewritten as they were.
 */
export async function ensurePlatformSchedules(client: Client, taskQueue: string): Promise<EnsureSchedulesResult> {
  const result: EnsureSchedulesResult = { created: [], updated: [], removed: [], liveRefresher: 'running' };
  for (const schedule of PLATFORM_SCHEDULES) {
    const action: ScheduleOptionsStartWorkflowAction<never> = {
      type: 'startWorkflow',
      workflowType: schedule.workflowType,
      args: schedule.args as never,
      taskQueue,
      // A run that cannot finish in a few cadences is stuck: the next one takes over.
      workflowRunTimeout: Math.max(60_000, 3 * schedule.everyMs),
    };
    const spec = { intervals: [{ every: schedule.everyMs }] };
    // SKIP: a slow run is not piled on; a short catch-up window: after an outage, one run, not a backlog.
    const policies = { overlap: 'SKIP' as const, catchupWindow: 60_000 };
    try {
      await client.schedule.create({
        scheduleId: schedule.id,
        spec,
        action,
        policies,
        memo: { description: schedule.description },
      });
      result.created.push(schedule.id);
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      await client.schedule.getHandle(schedule.id).update((previous) => ({ ...previous, spec, action, policies }));
      result.updated.push(schedule.id);
    }
  }
  const wanted = new Set(PLATFORM_SCHEDULES.map((schedule) => schedule.id));
  for await (const summary of client.schedule.list()) {
    if (summary.scheduleId.startsWith(SCHEDULE_ID_PREFIX) && !wanted.has(summary.scheduleId)) {
      await client.schedule
        .getHandle(summary.scheduleId)
        .delete()
        .catch((error: unknown) => {
          if (!(error instanceof ScheduleNotFoundError)) throw error;
        });
      result.removed.push(summary.scheduleId);
    }
  }
  result.liveRefresher = await ensureLiveRefresher(client, taskQueue);
  return result;
}

/** Starts the live refresher unless it runs with the same answers; one with other answers is replaced. */
async function ensureLiveRefresher(client: Client, taskQueue: string): Promise<EnsureSchedulesResult['liveRefresher']> {
  const answers = LIVE_ANSWERS.join(',');
  let replaced = false;
  try {
    const running = await client.workflow.getHandle(LIVE_REFRESHER_WORKFLOW_ID).describe();
    if (running.status.name === 'RUNNING') {
      if (running.memo?.answers === answers) return 'running';
      await client.workflow.getHandle(LIVE_REFRESHER_WORKFLOW_ID).terminate('answer list changed');
      replaced = true;
    }
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  await client.workflow.start('liveAnswersRefresherWorkflow', {
    workflowId: LIVE_REFRESHER_WORKFLOW_ID,
    taskQueue,
    args: [{ answers: LIVE_ANSWERS }],
    memo: { answers },
    // A refresher started concurrently by another bootstrap is the one that runs.
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return replaced ? 'restarted' : 'started';
}
