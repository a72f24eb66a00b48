import { join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { ApplicationFailure } from '@temporalio/workflow';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AnswerRefreshActivities, ContinuousRefreshInput, RefreshReport } from '@social-pulse/activities';
import { runWorkflow, startWorkflowTestEnvironment, testWorkflowBundle } from '@social-pulse/testing/temporal';
import {
  liveAnswersRefresherWorkflow,
  liveRefresherProgressQuery,
  refreshAnswersWorkflow,
} from './answer-refresh.workflow';

// The refresh workflows' logic on a local Temporal server, with activities faked: what each
// activity does against Redis and ClickHouse is tested in the activities' component tests.

/** The worker bundles the workflows from the package's entry, as the real worker does. */
const workflowsPath = join(__dirname, 'index.ts');

function fakeActivities(overrides: Partial<AnswerRefreshActivities> = {}) {
  const calls: unknown[][] = [];
  const activities: AnswerRefreshActivities = {
    refreshAnswers: async (answers) => {
      calls.push(['refreshAnswers', answers]);
      return { refreshed: answers.length, failed: [] };
    },
    refreshAnswersContinuously: async (input: ContinuousRefreshInput) => {
      calls.push(['refreshAnswersContinuously', input]);
      return { rounds: 2, refreshed: 3, failed: 1 };
    },
    ...overrides,
  };
  return { activities, calls };
}

describe('answer refresh workflows', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await startWorkflowTestEnvironment();
  });
  afterAll(() => env?.teardown());

  describe(refreshAnswersWorkflow.name, () => {
    it('should refresh the answers once and return what was written', async () => {
      const { activities, calls } = fakeActivities();

      const report = await runWorkflow(
        env,
        refreshAnswersWorkflow,
        [{ answers: ['trending-5m', 'trending-15m'] }],
        activities,
        {
          workflowsPath,
        },
      );

      expect(report).toEqual({ refreshed: 2, failed: [] });
      expect(calls).toEqual([['refreshAnswers', ['trending-5m', 'trending-15m']]]);
    });

    it('should retry a failed round once, then fail the run (the next scheduled run tries again)', async () => {
      const failed: RefreshReport = { refreshed: 0, failed: [{ answer: 'ads-campaigns', error: 'ECONNREFUSED' }] };
      const { activities, calls } = fakeActivities({
        refreshAnswers: async (answers) => {
          calls.push(['refreshAnswers', answers]);
          throw ApplicationFailure.retryable('1 of 1 answers not refreshed', 'AnswerRefreshFailed', failed);
        },
      });

      const error = await runWorkflow(env, refreshAnswersWorkflow, [{ answers: ['ads-campaigns'] }], activities, {
        workflowsPath,
      }).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(WorkflowFailedError);
      expect(calls).toHaveLength(2);
    });

    it('should refuse an unknown answer before calling any activity', async () => {
      const { activities, calls } = fakeActivities();

      const error = await runWorkflow(env, refreshAnswersWorkflow, [{ answers: ['trending-2h'] }], activities, {
        workflowsPath,
      }).catch((e: unknown) => e);

      expect((error as WorkflowFailedError).cause).toMatchObject({ type: 'InvalidWorkflowInput' });
      expect(calls).toEqual([]);
    });
  });

  describe(liveAnswersRefresherWorkflow.name, () => {
    it('should run refresh after refresh, report its progress, and continue as new with its memo', async () => {
      let failOnce = true;
      const { activities, calls } = fakeActivities({
        refreshAnswersContinuously: async (input) => {
          calls.push(['refreshAnswersContinuously', input]);
          if (failOnce) {
            failOnce = false;
            throw new Error('worker lost its Redis connection');
          }
          return { rounds: 2, refreshed: 3, failed: 1 };
        },
      });
      const taskQueue = `test-${Math.random().toString(36).slice(2)}`;
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle: await testWorkflowBundle(workflowsPath),
        activities,
      });

      await worker.runUntil(async () => {
        const handle = await env.client.workflow.start(liveAnswersRefresherWorkflow, {
          taskQueue,
          workflowId: taskQueue,
          args: [{ answers: ['trending-1m'], runForMs: 10_000 }],
          memo: { answers: 'trending-1m' },
        });
        const firstRunId = handle.firstExecutionRunId;

        // The first activity failed and was retried; then each run is counted.
        await vi.waitFor(
          async () => expect((await handle.query(liveRefresherProgressQuery)).runs).toBeGreaterThanOrEqual(3),
          { timeout: 20_000, interval: 100 },
        );
        const progress = await handle.query(liveRefresherProgressQuery);
        expect(progress).toMatchObject({ refreshed: 3 * progress.runs, failed: progress.runs });
        expect(calls[0]).toEqual(['refreshAnswersContinuously', { answers: ['trending-1m'], runForMs: 10_000 }]);

        // After 100 runs it continues as new: a new run of the same workflow, memo and input kept.
        await vi.waitFor(async () => expect((await handle.describe()).runId).not.toBe(firstRunId), {
          timeout: 60_000,
          interval: 250,
        });
        const latest = await env.client.workflow.getHandle(taskQueue).describe();
        expect(latest.status.name).toBe('RUNNING');
        expect(latest.memo).toEqual({ answers: 'trending-1m' });
        await handle.terminate('test over');
      });
      expect(calls.length).toBeGreaterThanOrEqual(101);
      expect(calls.every(([, input]) => JSON.stringify(input) === JSON.stringify(calls[0][1]))).toBe(true);
    }, 90_000);
  });
});
