import { join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { ApplicationFailure } from '@temporalio/workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorkflow, startWorkflowTestEnvironment, testWorkflowBundle } from '@social-pulse/testing/temporal';
import {
  RESCALE_CONFLICT,
  rescaleFlinkJobWorkflow,
  rescaleProgressQuery,
  type RescaleInput,
} from './flink-rescale.workflow';
import { PLAN, fakeRescaleActivities, type RescaleTestActivities } from './testing/fake-rescale-activities';

/** The worker bundles the workflows from the package's entry, as the real worker does. */
const workflowsPath = join(__dirname, 'index.ts');

const nameOf = (call: string) => call.slice(0, call.indexOf('('));

describe(rescaleFlinkJobWorkflow.name, () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await startWorkflowTestEnvironment();
  });
  afterAll(() => env?.teardown());

  const rescale = (activities: RescaleTestActivities, input: RescaleInput = { job: 'archive', parallelism: 2 }) =>
    runWorkflow(env, rescaleFlinkJobWorkflow, [input], activities, { workflowsPath });

  it('should stop the job with a savepoint and start the same program from it at the new parallelism', async () => {
    const { activities, calls, jobIds } = fakeRescaleActivities();

    const result = await rescale(activities);

    expect(calls).toEqual([
      'planRescale("archive", 2)',
      'stopWithSavepoint("old-job", "archive")',
      'activeJobIds("archive")',
      'startJob("jar-1", "archive", "file:/sp/archive/savepoint-1", {"parallelism":2,"programArgs":["--group-id","g"]})',
      `awaitHealthyJob(${JSON.stringify(jobIds[0])})`,
    ]);
    expect(jobIds[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(result).toEqual({
      job: 'archive',
      from: 1,
      to: 2,
      parallelism: 2,
      jobId: jobIds[0],
      previousJobId: 'old-job',
      savepoint: 'file:/sp/archive/savepoint-1',
      pausedMs: 2_500,
      verifiedMs: 5_000,
      rolledBack: false,
      rollbackReason: null,
    });
  });

  it('should start the same job id on a retried start, so Flink recognises it', async () => {
    let attempts = 0;
    const { activities, jobIds } = fakeRescaleActivities();
    const start = activities.startJob;
    activities.startJob = async (...args) => {
      const jobId = await start(...args);
      // The first attempt submitted the job, then its worker was lost.
      if (++attempts === 1) throw new Error('worker lost');
      return jobId;
    };

    const result = await rescale(activities);

    expect(jobIds).toHaveLength(2);
    expect(jobIds[1]).toBe(jobIds[0]);
    expect(result.jobId).toBe(jobIds[0]);
  });

  it('should do nothing when the job already runs at that parallelism', async () => {
    const { activities, calls } = fakeRescaleActivities({
      planRescale: async () => ({ ...PLAN, from: 2, to: 2 }),
    });

    const result = await rescale(activities);

    expect(calls).toEqual([]);
    expect(result).toMatchObject({ jobId: 'old-job', parallelism: 2, pausedMs: null, savepoint: null });
  });

  it('should fail with the refusal, touching nothing, when the plan is refused', async () => {
    const { activities, calls } = fakeRescaleActivities({
      planRescale: async () => {
        throw ApplicationFailure.create({
          type: 'RescaleRefused',
          message: 'archive at parallelism 9 needs 9 task slots; the cluster has 2 free and the job holds 1',
          nonRetryable: true,
        });
      },
    });

    const failure = await rescale(activities, { job: 'archive', parallelism: 9 }).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(WorkflowFailedError);
    let cause: Error = failure as WorkflowFailedError;
    while (cause.cause instanceof Error) cause = cause.cause;
    expect((cause as ApplicationFailure).type).toBe('RescaleRefused');
    expect(cause.message).toContain('needs 9 task slots');
    expect(calls).toEqual([]);
  });

  it('should start the job again at its old parallelism from the same savepoint when the new one fails', async () => {
    let started = 0;
    const { activities, calls, jobIds } = fakeRescaleActivities({
      awaitHealthyJob: async () => {
        if (++started === 1)
          throw ApplicationFailure.nonRetryable('job x ended as FAILED: NoResourceAvailableException');
        return { runningAt: 4_000, checkpointedAt: 7_000 };
      },
    });

    const result = await rescale(activities);

    expect(calls.map(nameOf)).toEqual([
      'planRescale',
      'stopWithSavepoint',
      'activeJobIds',
      'startJob',
      'cancelJob',
      'startJob',
    ]);
    expect(calls[4]).toBe(`cancelJob(${JSON.stringify(jobIds[0])})`);
    expect(calls[5]).toBe(
      'startJob("jar-1", "archive", "file:/sp/archive/savepoint-1", {"parallelism":1,"programArgs":["--group-id","g"]})',
    );
    expect(jobIds[1]).not.toBe(jobIds[0]);
    expect(result).toMatchObject({
      parallelism: 1,
      to: 2,
      jobId: jobIds[1],
      rolledBack: true,
      rollbackReason: 'job x ended as FAILED: NoResourceAvailableException',
      pausedMs: 3_000,
    });
  });

  it('should not start a second copy when another operation started the job meanwhile', async () => {
    const { activities, calls } = fakeRescaleActivities({ activeJobIds: async () => ['deployed-job'] });

    const failure = await rescale(activities).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe(RESCALE_CONFLICT);
    expect(cause.message).toContain('archive job deployed-job was started by another operation');
    expect(calls.map(nameOf)).not.toContain('startJob');
  });

  it('should answer the progress query with each step', async () => {
    const { activities } = fakeRescaleActivities();
    const taskQueue = `test-${Math.random().toString(36).slice(2)}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await testWorkflowBundle(workflowsPath),
      activities,
    });

    const progress = await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(rescaleFlinkJobWorkflow, {
        taskQueue,
        workflowId: taskQueue,
        args: [{ job: 'archive', parallelism: 2 }],
      });
      await handle.result();
      return handle.query(rescaleProgressQuery);
    });

    expect(progress).toMatchObject({ stage: 'done', job: 'archive', from: 1, to: 2 });
    expect(progress.steps.map((s) => s.step.replace(/[0-9a-f]{32}/g, '<id>'))).toEqual([
      "checking archive against its max parallelism and the cluster's free slots",
      'job old-job runs at 1 (max 128; 2 slots needed, 3 free + 1 held); stopping it with a savepoint',
      'starting archive from file:/sp/archive/savepoint-1 at parallelism 2 as job <id>',
      'job <id> submitted; waiting until it runs and has checkpointed',
      'archive runs at parallelism 2 as job <id>; processing paused 2.5 s',
    ]);
  });

  it('should fail for good on a bad input, before any activity runs', async () => {
    const { activities, calls } = fakeRescaleActivities();

    const failure = await rescale(activities, { job: 'archive', parallelism: 0 }).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('InvalidWorkflowInput');
    expect(cause.message).toContain('input.parallelism');
    expect(calls).toEqual([]);
  });
});
