import { join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { ApplicationFailure } from '@temporalio/workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlinkSavepointActivities, SavepointPrune } from '@social-pulse/activities';
import type { FlinkJobKey } from '@social-pulse/shared';
import { runWorkflow, startWorkflowTestEnvironment, testWorkflowBundle } from '@social-pulse/testing/temporal';
import {
  SAVEPOINTS_FAILED,
  savepointJobsProgressQuery,
  savepointJobsWorkflow,
  type SavepointJobsInput,
  type SavepointJobsResult,
} from './flink-savepoints.workflow';

/** The worker bundles the workflows from the package's entry, as the real worker does. */
const workflowsPath = join(__dirname, 'index.ts');

const prune = (job: string, deleted: number): SavepointPrune => ({
  kept: [`file:/sp/${job}/savepoint-new`],
  inUse: job === 'archive' ? ['file:/sp/archive/savepoint-deployed'] : [],
  deleted: Array.from({ length: deleted }, (_, i) => `file:/sp/${job}/savepoint-old-${i}`),
  incomplete: [],
});

/** archive and trending run; sessions and ads do not. Activities record their calls; tests override. */
function fakeActivities(overrides: Partial<FlinkSavepointActivities> = {}) {
  const calls: string[] = [];
  const record =
    <A extends unknown[], R>(name: string, result: (...args: A) => R) =>
    async (...args: A) => {
      calls.push(`${name}(${args.map((a) => JSON.stringify(a)).join(', ')})`);
      return result(...args);
    };
  const activities: FlinkSavepointActivities = {
    listRunningJobs: record('listRunningJobs', () => [
      { job: 'archive' as const, jobId: 'archive-job' },
      { job: 'trending' as const, jobId: 'trending-job' },
    ]),
    triggerSavepoint: record('triggerSavepoint', (jobId: string, job: FlinkJobKey, triggerId: string) => ({
      outcome: 'taken' as const,
      savepoint: `file:/sp/${job}/savepoint-${jobId}`,
      triggerId,
    })),
    pruneSavepoints: record('pruneSavepoints', (job: FlinkJobKey) => prune(job, job === 'archive' ? 2 : 0)),
    ...overrides,
  };
  return { activities, calls };
}

const nameOf = (call: string) => call.slice(0, call.indexOf('('));

describe(savepointJobsWorkflow.name, () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await startWorkflowTestEnvironment();
  });
  afterAll(() => env?.teardown());

  const savepoints = (activities: FlinkSavepointActivities, args: [SavepointJobsInput?] = [{}]) =>
    runWorkflow(env, savepointJobsWorkflow, args, activities, { workflowsPath });

  it("should take a savepoint of each running job, then keep each job's newest and those in use", async () => {
    const { activities, calls } = fakeActivities();

    const result = await savepoints(activities, [{ keep: 3 }]);

    expect(calls.map(nameOf)).toEqual([
      'listRunningJobs',
      'triggerSavepoint',
      'triggerSavepoint',
      'pruneSavepoints',
      'pruneSavepoints',
      'pruneSavepoints',
      'pruneSavepoints',
    ]);
    expect(calls[0]).toBe('listRunningJobs(["trending","archive","sessions","ads"])');
    expect(calls.slice(3)).toEqual([
      'pruneSavepoints("trending", 3)',
      'pruneSavepoints("archive", 3)',
      'pruneSavepoints("sessions", 3)',
      'pruneSavepoints("ads", 3)',
    ]);
    expect(result.keep).toBe(3);
    expect(result.jobs.map((j) => [j.job, j.outcome, j.savepoint])).toEqual([
      ['trending', 'taken', 'file:/sp/trending/savepoint-trending-job'],
      ['archive', 'taken', 'file:/sp/archive/savepoint-archive-job'],
      ['sessions', 'not-running', null],
      ['ads', 'not-running', null],
    ]);
    expect(result.jobs[1].prune).toEqual(prune('archive', 2));
  });

  it('should give each job a trigger id of its own, and the same one to every attempt', async () => {
    const triggers: string[] = [];
    let attempts = 0;
    const { activities } = fakeActivities({
      triggerSavepoint: async (jobId, job, triggerId) => {
        triggers.push(`${job}:${triggerId}`);
        // The first attempt's worker dies after Flink took the request.
        if (job === 'archive' && ++attempts === 1) throw new Error('worker lost');
        return { outcome: 'taken', savepoint: `file:/sp/${job}/sp`, triggerId };
      },
    });

    const result = await savepoints(activities, [{ jobs: ['archive', 'trending'] }]);

    expect(triggers).toHaveLength(3);
    const [first, retried, other] = triggers;
    expect(retried).toBe(first);
    expect(first).toMatch(/^archive:[0-9a-f]{32}$/);
    expect(other.split(':')[1]).not.toBe(first.split(':')[1]);
    expect(result.jobs.map((j) => j.outcome)).toEqual(['taken', 'taken']);
  });

  it('should report a job a deploy stopped meanwhile, without failing', async () => {
    const { activities } = fakeActivities({
      triggerSavepoint: async (_jobId, job, triggerId) =>
        job === 'trending'
          ? { outcome: 'job-stopped', state: 'FINISHED', triggerId }
          : { outcome: 'taken', savepoint: 'file:/sp/archive/sp', triggerId },
    });

    const result = await savepoints(activities);

    expect(result.jobs.find((j) => j.job === 'trending')).toMatchObject({ outcome: 'job-stopped', savepoint: null });
  });

  it('should still take and prune the others when a savepoint fails, then fail the run with the result', async () => {
    const { activities, calls } = fakeActivities({
      triggerSavepoint: async (jobId, job, triggerId) => {
        if (job === 'trending') {
          throw ApplicationFailure.nonRetryable('savepoint of job trending-job failed: Checkpoint expired');
        }
        return { outcome: 'taken', savepoint: `file:/sp/${job}/sp`, triggerId };
      },
    });

    const failure = await savepoints(activities).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe(SAVEPOINTS_FAILED);
    expect(cause.message).toBe(
      'savepoints failed for trending (savepoint of job trending-job failed: Checkpoint expired)',
    );
    const result = cause.details?.[0] as SavepointJobsResult;
    expect(result.jobs.map((j) => [j.job, j.outcome])).toEqual([
      ['trending', 'failed'],
      ['archive', 'taken'],
      ['sessions', 'not-running'],
      ['ads', 'not-running'],
    ]);
    expect(calls.filter((c) => nameOf(c) === 'pruneSavepoints')).toHaveLength(4);
  });

  it('should answer the progress query with each step', async () => {
    const { activities } = fakeActivities();
    const taskQueue = `test-${Math.random().toString(36).slice(2)}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await testWorkflowBundle(workflowsPath),
      activities,
    });

    const progress = await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(savepointJobsWorkflow, {
        taskQueue,
        workflowId: taskQueue,
        args: [{ jobs: ['archive', 'sessions'], keep: 2 }],
      });
      await handle.result();
      return handle.query(savepointJobsProgressQuery);
    });

    expect(progress.stage).toBe('done');
    expect(progress.steps.map((s) => s.step)).toEqual([
      'archive: taking a savepoint of job archive-job',
      'archive: savepoint file:/sp/archive/savepoint-archive-job',
      'sessions: not running, no savepoint to take',
      'archive: kept 1 and 1 in use, deleted 2',
      'sessions: kept 1, deleted 0',
      '1 savepoints taken, 2 old ones deleted',
    ]);
  });

  it('should fail for good on a bad input, before any activity runs', async () => {
    const { activities, calls } = fakeActivities();

    const failure = await savepoints(activities, [{ keep: 0 }]).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('InvalidWorkflowInput');
    expect(cause.message).toContain('input.keep');
    expect(calls).toEqual([]);
  });
});
