import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ApiConfig } from '@social-pulse/api/config';
import { ClickHouseRepository } from '@social-pulse/api/clickhouse-repository';
import { plannedAnswers, type AnswerQueries } from '@social-pulse/api/precomputed-answers';
import { RedisRepository } from '@social-pulse/api/redis-repository';
import { createLogger } from '@social-pulse/observability';
import { PRECOMPUTED_ANSWERS, type PrecomputedAnswerName } from '@social-pulse/shared';
import { answerRefreshMetrics } from './answer-refresh.metrics';

const logger = createLogger('worker');

/** The outgoing ports: the API's ClickHouse queries and its Redis writes. */
export interface AnswerRefreshDeps {
  clickhouse: AnswerQueries;
  redis: Pick<RedisRepository, 'publishAnswer'>;
}

/** The real ports: the API's own repositories, given only the URLs (they read nothing else of its config). */
export function answerRefreshPorts(settings: {
  clickhouseUrl: string;
  redisUrl: string;
  /** How long the last good copy of each answer is kept (ANSWER_MAX_STALE_SECONDS). */
  maxStaleSeconds: number;
}): AnswerRefreshDeps {
  const config = {
    CLICKHOUSE_URL: settings.clickhouseUrl,
    REDIS_URL: settings.redisUrl,
    ANSWER_MAX_STALE_SECONDS: settings.maxStaleSeconds,
  } as ApiConfig;
  return { clickhouse: new ClickHouseRepository(config), redis: new RedisRepository(config) };
}

/** What one refresh round did: answers (request shapes) written, and those that failed, kept as they were. */
export interface RefreshReport {
  refreshed: number;
  failed: { answer: PrecomputedAnswerName; error: string }[];
}

export interface ContinuousRefreshInput {
  answers: PrecomputedAnswerName[];
  /** How long this activity refreshes before it returns (the workflow starts the next run). */
  runForMs: number;
}

export interface ContinuousRefreshReport {
  rounds: number;
  refreshed: number;
  failed: number;
}

/**
 * The refresh of pre-computed dashboard answers: each computed by the API's own code
 * (precomputed-answers.ts) and written with the API's own key and envelope, then announced on
 * Redis pub/sub. A failed answer leaves the previous one in place; the API reports its age.
 */
export function createAnswerRefreshActivities({ clickhouse, redis }: AnswerRefreshDeps) {
  async function refreshOne(answer: PrecomputedAnswerName, now: number): Promise<number> {
    const stopTimer = answerRefreshMetrics.duration.startTimer({ answer });
    try {
      const planned = plannedAnswers(answer, now);
      await Promise.all(
        planned.map(async ({ key, keepSeconds, compute }) =>
          redis.publishAnswer(answer, key, await compute(clickhouse), keepSeconds),
        ),
      );
      answerRefreshMetrics.lastSuccess.set({ answer }, Date.now() / 1000);
      answerRefreshMetrics.refreshes.inc({ answer, outcome: 'ok' });
      return planned.length;
    } catch (error) {
      answerRefreshMetrics.refreshes.inc({ answer, outcome: 'failed' });
      throw error;
    } finally {
      stopTimer();
    }
  }

  async function refreshRound(answers: PrecomputedAnswerName[]): Promise<RefreshReport> {
    const now = Date.now();
    const outcomes = await Promise.allSettled(answers.map((answer) => refreshOne(answer, now)));
    const report: RefreshReport = { refreshed: 0, failed: [] };
    outcomes.forEach((outcome, i) => {
      if (outcome.status === 'fulfilled') report.refreshed += outcome.value;
      else report.failed.push({ answer: answers[i], error: (outcome.reason as Error).message });
    });
    return report;
  }

  return {
    /**
     * Refreshes each answer once. Fails (so the run shows failed in the Temporal UI and is retried)
     * when any answer failed; the others are written all the same.
     */
    async refreshAnswers(answers: PrecomputedAnswerName[]): Promise<RefreshReport> {
      const report = await refreshRound(answers);
      if (report.failed.length > 0) {
        throw ApplicationFailure.retryable(
          `${report.failed.length} of ${answers.length} answers not refreshed: ` +
            report.failed.map(({ answer, error }) => `${answer} (${error})`).join('; '),
          'AnswerRefreshFailed',
          report,
        );
      }
      return report;
    },

    /**
     * Refreshes each answer at its own cadence for runForMs, heartbeating every round: a killed
     * worker is noticed within the heartbeat timeout and the workflow starts the next run elsewhere.
     * Failures are logged and counted, never fatal: the next round tries again.
     */
    async refreshAnswersContinuously({ answers, runForMs }: ContinuousRefreshInput): Promise<ContinuousRefreshReport> {
      const context = Context.current();
      const tickMs = Math.min(...answers.map((answer) => PRECOMPUTED_ANSWERS[answer].refreshEveryMs));
      const lastStarted = new Map<PrecomputedAnswerName, number>();
      const totals: ContinuousRefreshReport = { rounds: 0, refreshed: 0, failed: 0 };
      const endAt = Date.now() + runForMs;
      while (Date.now() < endAt) {
        const started = Date.now();
        const due = answers.filter(
          (answer) => started - (lastStarted.get(answer) ?? 0) >= PRECOMPUTED_ANSWERS[answer].refreshEveryMs,
        );
        for (const answer of due) lastStarted.set(answer, started);
        const report = await refreshRound(due);
        totals.rounds += 1;
        totals.refreshed += report.refreshed;
        totals.failed += report.failed.length;
        for (const { answer, error } of report.failed) logger.warn({ answer, error }, 'answer not refreshed');
        context.heartbeat({ ...totals });
        // Rounds start tickMs apart; a round slower than that is followed at once, never overlapped.
        await context.sleep(Math.max(0, tickMs - (Date.now() - started)));
      }
      return totals;
    },
  };
}

export type AnswerRefreshActivities = ReturnType<typeof createAnswerRefreshActivities>;
