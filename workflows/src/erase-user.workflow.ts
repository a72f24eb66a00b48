import { defineQuery, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
// Types only: workflow code must stay deterministic and never load activity implementations.
import type {
  EraseResult,
  EraseUserActivities,
  RecomputeResult,
  RedisErasure,
  TopicRetention,
  UserSurvey,
} from '@social-pulse/activities';
import { USER_STATE_BOUNDS, type UserStateBound } from '@social-pulse/shared';
import { flinkStateAgesOutAt, kafkaAgesOutAt } from './erase-user.plan';
import { validateEraseUserInput } from './workflow-inputs';

const quick = proxyActivities<EraseUserActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 5 },
});
// Deletes, mutations and refills can take long on big tables: they heartbeat, so a dead worker is
// noticed in 30 s and the step runs again on another (each is safe to repeat).
const long = proxyActivities<EraseUserActivities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '30 seconds',
  retry: { maximumAttempts: 10, initialInterval: '1 second' },
});

/** The input, as `pulse erase-user` or the Temporal UI sends it (JSON). */
export interface EraseUserInput {
  /** The user id as events carry it (`user_id`). */
  userId: string;
  /** Who asked for the erasure (a person or a ticket system); recorded in the audit. */
  requestedBy: string;
  /** Why (e.g. the request's reference); recorded in the audit. */
  reason?: string;
  /** Anonymous ids linked to the user beyond those found in the user's own events (the SDK's identify). */
  anonymousIds?: string[];
}

export interface EraseUserResult {
  /** The erasure's id: the workflow id. The audit row (user_erasures) is keyed by it. */
  erasureId: string;
  userIdSha256: string;
  requestedBy: string;
  startedAt: string;
  finishedAt: string;
  anonymousIds: number;
  /** Rows removed per table (ad_performance_changes: rows the user was taken out of the reach of). */
  removed: Record<string, number>;
  /** Rows that held the user after the delete (arrived while it ran); 0 everywhere when complete. */
  remaining: Record<string, number>;
  recomputed: {
    view: string;
    target: string;
    periods: number;
    ranges: number;
    rounds: number;
    skippedPeriods: number;
    ms: number;
  }[];
  redisKeys: RedisErasure;
  kafka: { topics: TopicRetention[]; agesOutAt: string | null };
  flinkState: { bounds: readonly UserStateBound[]; agesOutAt: string };
  /** What the erasure does not remove, plainly. */
  notes: string[];
  ms: { survey: number; erase: number; recompute: number; total: number };
}

export interface EraseUserProgress {
  erasureId: string;
  stage: 'surveying' | 'erasing' | 'recomputing' | 'redis' | 'bounds' | 'recording' | 'done';
  tables: { done: number; total: number };
  views: { done: number; total: number };
  steps: { at: string; step: string }[];
}

export const eraseUserProgressQuery = defineQuery<EraseUserProgress>('eraseUserProgress');

const NOTES = [
  'Ad counts (impressions, clicks, conversions, spend, revenue) are per-dimension deltas that do not carry the user: ' +
    'they stay. Only the reach (users reached) is recomputed without the user.',
  'trending_topics and trending_topic_history count mentions per topic, not per user; they age out by their TTLs.',
  'Events of the user still in flight (in Kafka or Flink when the delete ran) may land after it: see remaining, ' +
    'and run the erasure again after the Flink state bound if any did.',
];

/**
 * Erases a user: finds what they have (rows per table, the anonymous ids linked to them, the
 * rollup periods they were counted in), deletes their rows from every ClickHouse table (waited on
 * and counted again), recomputes the rollups of exactly those periods from the user-free sources
 * with the views' own SELECTs, drops their Redis answers and the summaries that counted them,
 * states when Kafka retention and Flink state TTLs let what remains there age out, and records the
 * erasure in user_erasures. Every step is safe to repeat: a retry finds its work done.
 *
 * The input is checked first: a bad one fails with a non-retryable 'InvalidWorkflowInput'.
 */
export async function eraseUserWorkflow(...args: [input: EraseUserInput]): Promise<EraseUserResult> {
  const input = validateEraseUserInput(args);
  const { workflowId: erasureId, runId } = workflowInfo();
  const started = Date.now();
  const progress: EraseUserProgress = {
    erasureId,
    stage: 'surveying',
    tables: { done: 0, total: 0 },
    views: { done: 0, total: 0 },
    steps: [],
  };
  const note = (stage: EraseUserProgress['stage'], step: string) => {
    progress.stage = stage;
    progress.steps.push({ at: new Date().toISOString(), step });
  };
  setHandler(eraseUserProgressQuery, () => progress);
  note('surveying', `erasure ${erasureId}: finding the user's rows, linked anonymous ids and rollup periods`);

  // 1. Before anything is removed: the periods can only be found from the user's rows.
  const survey: UserSurvey = await long.surveyUserData({ userId: input.userId, anonymousIds: input.anonymousIds });
  const surveyed = Date.now();
  const toRecompute = survey.views.filter((v) => v.ranges.length > 0);
  progress.tables.total = survey.rows.length;
  progress.views.total = toRecompute.length;
  note(
    'erasing',
    `${survey.anonymousIds.length} linked anonymous ids; rows: ${survey.rows.map((r) => `${r.table} ${r.rows}`).join(', ')}; ` +
      `${toRecompute.length} rollups to recompute`,
  );

  // 2. The sources first: the recompute reads them.
  const erased: EraseResult[] = [];
  for (const { table, rows } of survey.rows) {
    const result = await long.eraseUserRows({ table, userId: input.userId, anonymousIds: survey.anonymousIds });
    erased.push(result);
    progress.tables.done++;
    note(
      'erasing',
      `${table}: ${rows} rows surveyed, ${result.before} found now, ${result.remaining} remain (${result.ms} ms)`,
    );
  }
  const erasedAt = Date.now();

  // 3. The rollups of exactly the affected periods, from the user-free sources.
  note(
    'recomputing',
    `recomputing ${toRecompute.map((v) => `${v.target} (${v.periods} periods)`).join(', ') || 'nothing'}`,
  );
  const recomputed: RecomputeResult[] = [];
  for (const view of toRecompute) {
    const result = await long.recomputeUserPeriods({ erasureId, view: view.view, ranges: view.ranges });
    recomputed.push(result);
    progress.views.done++;
    note(
      'recomputing',
      `${view.target}: ${view.periods} periods in ${view.ranges.length} ranges, ${result.rounds} rounds` +
        (result.alreadyEqual > 0 ? `, ${result.alreadyEqual} ranges already recomputed` : '') +
        (result.resumedAfter === null ? '' : `, resumed after range ${result.resumedAfter}`) +
        (view.skippedPeriods > 0
          ? `; ${view.skippedPeriods} periods before ${view.horizon} kept (source expired)`
          : ''),
    );
  }
  const recomputedAt = Date.now();

  // 4. After the recompute: a summary computed again now counts the recomputed rollups.
  note('redis', "deleting the user's answers and the summaries that counted them");
  const redisKeys = await quick.dropUserRedisKeys({ userId: input.userId });
  note('redis', `${redisKeys.deleted} keys deleted`);

  // 5, 6. What cannot be deleted here ages out.
  note('bounds', 'reading topic retention');
  const topics = await quick.readTopicRetention();
  const finished = Date.now();
  const kafka = { topics, agesOutAt: kafkaAgesOutAt(topics, finished) };
  const flinkState = { bounds: USER_STATE_BOUNDS, agesOutAt: flinkStateAgesOutAt(finished) };
  note(
    'bounds',
    `Kafka records age out by ${kafka.agesOutAt ?? 'never (a topic keeps records forever)'}; Flink state by ${flinkState.agesOutAt}`,
  );

  const skipped = survey.views.filter((v) => v.skippedPeriods > 0);
  const result: EraseUserResult = {
    erasureId,
    userIdSha256: survey.userIdSha256,
    requestedBy: input.requestedBy,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    anonymousIds: survey.anonymousIds.length,
    removed: Object.fromEntries(survey.rows.map(({ table, rows }) => [table, rows])),
    remaining: Object.fromEntries(erased.map((e) => [e.table, e.remaining])),
    recomputed: toRecompute.map((view, i) => ({
      view: view.view,
      target: view.target,
      periods: view.periods,
      ranges: view.ranges.length,
      rounds: recomputed[i].rounds,
      skippedPeriods: view.skippedPeriods,
      ms: recomputed[i].ms,
    })),
    redisKeys,
    kafka,
    flinkState,
    notes: [
      ...NOTES,
      ...skipped.map(
        (v) =>
          `${v.target}: ${v.skippedPeriods} periods before ${v.horizon} were not recomputed: ${v.source} no longer holds ` +
          'them whole (its TTL), so they keep the user in their counts until their own TTL.',
      ),
    ],
    ms: { survey: surveyed - started, erase: erasedAt - surveyed, recompute: recomputedAt - erasedAt, total: 0 },
  };

  // 7. The audit, once per run (a repeat of the write changes nothing).
  note('recording', 'recording the erasure in user_erasures');
  await quick.recordUserErasure({
    erasureId,
    runId,
    userIdSha256: survey.userIdSha256,
    requestedBy: input.requestedBy,
    reason: input.reason,
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
    anonymousIds: survey.anonymousIds.length,
    removed: result.removed,
    recomputedPeriods: Object.fromEntries(result.recomputed.map((r) => [r.target, r.periods])),
    redisKeys: redisKeys.deleted,
    kafkaAgesOutAt: kafka.agesOutAt,
    flinkStateAgesOutAt: flinkState.agesOutAt,
    details: { remaining: result.remaining, recomputed: result.recomputed, notes: result.notes },
  });
  result.ms.total = Date.now() - started;
  const left = Object.entries(result.remaining).filter(([, n]) => n > 0);
  note(
    'done',
    `erased: ${Object.entries(result.removed)
      .map(([t, n]) => `${t} ${n}`)
      .join(', ')}` + (left.length > 0 ? `; still arriving: ${left.map(([t, n]) => `${t} ${n}`).join(', ')}` : ''),
  );
  return result;
}
