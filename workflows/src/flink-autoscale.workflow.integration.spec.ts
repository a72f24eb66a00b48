import { join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { ApplicationFailure } from '@temporalio/workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlinkAutoscaleActivities, JobLoadSample } from '@social-pulse/activities';
import { rescaleWorkflowId, type FlinkJobKey } from '@social-pulse/shared';
import { startWorkflowTestEnvironment, testWorkflowBundle } from '@social-pulse/testing/temporal';
import {
  autoscaleFlinkJobsWorkflow,
  autoscaleProgressQuery,
  type AutoscaleInput,
  type AutoscaleResult,
} from './flink-autoscale.workflow';
import { rescaleFlinkJobWorkflow } from './flink-rescale.workflow';
import { fakeRescaleActivities } from './testing/fake-rescale-activities';

/** The worker bundles the workflows from the package's entry, as the real worker does. */
const workflowsPath = join(__dirname, 'index.ts');

/** Two readings 1 s apart keep each run short; the policy's own tests cover its figures. */
const QUICK = { samples: 2, sampleIntervalSeconds: 1 } satisfies AutoscaleInput;

const STARTED = Date.now() - 2 * 3_600_000;

/** Running for two hours, one subtask: archive busy above the target, trending within it; the rest do not run. */
function load(job: FlinkJobKey, overrides: Partial<JobLoadSample> = {}): JobLoadSample | null {
  if (job === 'sessions' || job === 'ads') return null;
  return {
    job,
    jobId: `${job}-job`,
    at: Date.now(),
    startTime: STARTED,
    parallelism: 1,
    maxParallelism: 128,
    slotsAvailable: 2,
    busyTimeMsPerSecond: job === 'archive' ? 900 : 500,
    busiestVertex: 'process',
    recordsInPerSecond: 1_000,
    pendingRecords: 0,
    ...overrides,
  };
}

describe(autoscaleFlinkJobsWorkflow.name, () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await startWorkflowTestEnvironment();
  });
  afterAll(() => env?.teardown());

  /** Runs the autoscaler on a worker that also has the rescale's (fake) activities, for its child. */
  async function autoscale(
    input: AutoscaleInput,
    sample: FlinkAutoscaleActivities['sampleJobLoad'] = async (job) => load(job),
  ) {
    const rescale = fakeRescaleActivities();
    const taskQueue = `test-${Math.random().toString(36).slice(2)}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await testWorkflowBundle(workflowsPath),
      activities: { ...rescale.activities, sampleJobLoad: sample },
    });
    const { result, progress } = await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(autoscaleFlinkJobsWorkflow, {
        taskQueue,
        workflowId: taskQueue,
        args: [input],
      });
      const outcome = await handle.result().then(
        (value) => value,
        (error: unknown) => error,
      );
      // A run refused before it set its handlers answers no query.
      return { result: outcome, progress: await handle.query(autoscaleProgressQuery).catch(() => null) };
    });
    return { result: result as AutoscaleResult | Error, progress, rescaleCalls: rescale.calls };
  }

  it('should recommend only, by default, reading each job a few times', async () => {
    const reads: string[] = [];
    const { result, rescaleCalls, progress } = await autoscale({ ...QUICK }, async (job) => {
      reads.push(job);
      return load(job);
    });

    expect(reads).toHaveLength(8);
    const { jobs, apply } = result as AutoscaleResult;
    expect(apply).toBe(false);
    expect(
      jobs.map((j) => [
        j.job,
        j.recommendation?.action ?? null,
        j.recommendation?.recommended ?? null,
        j.applied.outcome,
      ]),
    ).toEqual([
      ['trending', 'hold', 1, 'not-asked'],
      ['archive', 'scale-up', 2, 'not-asked'],
      ['sessions', null, null, 'not-running'],
      ['ads', null, null, 'not-running'],
    ]);
    expect(rescaleCalls).toEqual([]);
    expect(progress!.steps.map((s) => s.step)).toContain(
      'archive: scale-up (busy 90% of the time, above the target 70%: 1 → 2)',
    );
    expect(progress!.steps.at(-1)?.step).toBe('archive 1 → 2 (not-asked)');
  });

  it('should rescale through the rescale workflow when asked to apply', async () => {
    const { result, rescaleCalls } = await autoscale({ ...QUICK, jobs: ['archive', 'trending'], apply: true });

    const archive = (result as AutoscaleResult).jobs.find((j) => j.job === 'archive')!;
    expect(archive.applied).toMatchObject({
      outcome: 'rescaled',
      result: { job: 'archive', parallelism: 2, rolledBack: false },
    });
    expect(rescaleCalls[0]).toBe('planRescale("archive", 2)');
    expect((result as AutoscaleResult).jobs.find((j) => j.job === 'trending')!.applied).toEqual({
      outcome: 'nothing-to-do',
    });
  });

  it('should leave alone a job set by hand outside the bounds', async () => {
    const { result, rescaleCalls } = await autoscale(
      { ...QUICK, jobs: ['archive'], apply: true, maxParallelism: 4 },
      async (job) => load(job, { parallelism: 6, busyTimeMsPerSecond: 100 }),
    );

    expect((result as AutoscaleResult).jobs[0]).toMatchObject({
      recommendation: { action: 'scale-down', withinBounds: false },
      applied: { outcome: 'outside-bounds' },
    });
    expect(rescaleCalls).toEqual([]);
  });

  it('should leave a job to a rescale already under way', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const rescale = fakeRescaleActivities({
      planRescale: async () => {
        await released;
        throw ApplicationFailure.nonRetryable('released');
      },
    });
    const taskQueue = `test-${Math.random().toString(36).slice(2)}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await testWorkflowBundle(workflowsPath),
      activities: { ...rescale.activities, sampleJobLoad: async (job: FlinkJobKey) => load(job) },
    });

    const result = await worker.runUntil(async () => {
      // A rescale of archive started by hand, still planning.
      const running = await env.client.workflow.start(rescaleFlinkJobWorkflow, {
        taskQueue,
        workflowId: rescaleWorkflowId('archive'),
        args: [{ job: 'archive', parallelism: 3 }],
      });
      const autoscaled = await env.client.workflow.execute(autoscaleFlinkJobsWorkflow, {
        taskQueue,
        workflowId: taskQueue,
        args: [{ ...QUICK, jobs: ['archive'], apply: true }],
      });
      release();
      await running.result().catch(() => undefined);
      return autoscaled;
    });

    expect(result.jobs[0].applied).toEqual({
      outcome: 'busy',
      error: 'workflow rescale-flink-archive is already running',
    });
  });

  it('should fail for good on a bad input, before reading anything', async () => {
    const reads: string[] = [];
    const { result } = await autoscale({ ...QUICK, minParallelism: 5 }, async (job) => {
      reads.push(job);
      return load(job);
    });

    expect(result).toBeInstanceOf(WorkflowFailedError);
    const cause = (result as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('InvalidWorkflowInput');
    expect(cause.message).toContain('input.minParallelism');
    expect(reads).toEqual([]);
  });
});
