import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlinkDeployActivities } from '@social-pulse/activities';
import type { FlinkJobKey } from '@social-pulse/shared';
import { runWorkflow, startWorkflowTestEnvironment } from '@social-pulse/testing/temporal';
import { deployFlinkJobWorkflow, rollbackSignal, type DeployInput } from './flink-deploy.workflow';

/** The worker bundles the workflows from the package's entry, as the real worker does. */
const workflowsPath = join(__dirname, 'index.ts');

const healthyWatch = { healthy: true, verdict: null, samples: 16, watchedMs: 30_000, first: null, last: null };

/** Activities that record their calls; each test overrides what it needs. */
function fakeActivities(overrides: Partial<FlinkDeployActivities> = {}) {
  const calls: string[] = [];
  const record =
    <A extends unknown[], R>(name: string, result: (...args: A) => R) =>
    async (...args: A) => {
      calls.push(`${name}(${args.map((a) => JSON.stringify(a)).join(', ')})`);
      return result(...args);
    };
  const activities: FlinkDeployActivities = {
    prepareJobJar: record('prepareJobJar', () => ({ path: '/jobs.jar', sha256: 'abc123abc123abc', built: false })),
    uploadJar: record('uploadJar', () => 'new-jar'),
    listJars: record('listJars', () => ['old-jar', 'older-jar']),
    findActiveJob: record('findActiveJob', () => ({ jobId: 'old-job', parallelism: 2 })),
    stopWithSavepoint: record('stopWithSavepoint', () => ({ savepoint: 'file:/sp/savepoint-1', stoppedAt: 1_000 })),
    latestSavepoint: record('latestSavepoint', () => null),
    // The job id the workflow chose is checked, not recorded: it is random.
    startJob: async (jarId, job, savepoint, { jobId, ...options } = {}) => {
      calls.push(`startJob(${[jarId, job, savepoint, options].map((a) => JSON.stringify(a)).join(', ')})`);
      if (!/^[0-9a-f]{32}$/.test(jobId ?? '')) throw new Error(`startJob without a Flink job id: ${jobId}`);
      return jarId === 'new-jar' ? 'new-job' : 'restored-job';
    },
    awaitHealthyJob: record('awaitHealthyJob', () => ({ runningAt: 4_000, checkpointedAt: 9_000 })),
    watchNewJob: record('watchNewJob', () => healthyWatch),
    cancelJob: record('cancelJob', () => undefined),
    pruneJars: record('pruneJars', () => 1),
    deleteJar: record('deleteJar', () => undefined),
    ...overrides,
  };
  return { activities, calls };
}

describe(deployFlinkJobWorkflow.name, () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await startWorkflowTestEnvironment();
  });
  afterAll(() => env?.teardown());

  const deploy = (activities: FlinkDeployActivities, input: Partial<DeployInput> = {}) =>
    runWorkflow(env, deployFlinkJobWorkflow, [{ job: 'trending', ...input }], activities, { workflowsPath });

  /** What awaitHealthyJob throws when Flink cannot map the savepoint's state to the new program. */
  const unmappedState = () =>
    ApplicationFailure.create({
      type: 'UnmappedSavepointState',
      message: 'job new-job ended as FAILED: its savepoint has state of operator 6cdc5bb954874d922eaee11a8e7b5dd5',
      nonRetryable: true,
      details: [{ operators: ['6cdc5bb954874d922eaee11a8e7b5dd5'] }],
    });

  it('should stop the running job with a savepoint and start the new jar from it', async () => {
    const { activities, calls } = fakeActivities();
    const result = await deploy(activities);
    expect(result).toEqual({
      jobId: 'new-job',
      jarId: 'new-jar',
      savepoint: 'file:/sp/savepoint-1',
      pausedMs: 3_000,
      verifiedMs: 8_000,
      rolledBack: false,
      allowNonRestoredState: false,
      rollback: null,
      watch: { healthy: true, verdict: null, samples: 16, watchedMs: 30_000 },
    });
    // At the old job's parallelism, so a rescale survives the deploy.
    expect(calls).toContain(
      'startJob("new-jar", "trending", "file:/sp/savepoint-1", {"allowNonRestoredState":false,"parallelism":2})',
    );
    // Watched for the default 30 s once it runs and has checkpointed, then the old jars pruned.
    expect(calls.slice(-2)).toEqual(['watchNewJob("new-job", 30000)', 'pruneJars(["new-jar","old-jar"])']);
  });

  it('should roll back from the same savepoint when the new job turns unhealthy during its watch', async () => {
    const verdict = { signal: 'restarts' as const, detail: 'restarted 2 time(s) during the watch' };
    const { activities, calls } = fakeActivities({
      watchNewJob: async () => ({ ...healthyWatch, healthy: false, verdict, samples: 4, watchedMs: 6_000 }),
    });
    const result = await deploy(activities, { watchSeconds: 45 });
    expect(result).toMatchObject({
      jobId: 'restored-job',
      jarId: 'old-jar',
      savepoint: 'file:/sp/savepoint-1',
      rolledBack: true,
      rollback: { cause: 'unhealthy-new-job', error: 'restarted 2 time(s) during the watch', remedy: null },
      watch: { healthy: false, verdict, samples: 4 },
    });
    expect(calls.filter((call) => /^(cancelJob|startJob|deleteJar)/.test(call))).toEqual([
      'startJob("new-jar", "trending", "file:/sp/savepoint-1", {"allowNonRestoredState":false,"parallelism":2})',
      'cancelJob("new-job")',
      'deleteJar("new-jar")',
      'startJob("old-jar", "trending", "file:/sp/savepoint-1", {"parallelism":2})',
    ]);
    expect(calls).not.toContain('pruneJars(["new-jar","old-jar"])');
  });

  it('should roll back at once when an operator sends the rollback signal during the watch', async () => {
    const { activities, calls } = fakeActivities({
      // The watch sends the signal to its own workflow, then watches on until it is cancelled.
      watchNewJob: async () => {
        const context = Context.current();
        await env.client.workflow
          .getHandle(context.info.workflowExecution!.workflowId)
          .signal(rollbackSignal, 'checkout numbers look wrong');
        for (;;) {
          context.heartbeat();
          await context.sleep(50);
        }
      },
    });
    const result = await deploy(activities);
    expect(result).toMatchObject({
      jobId: 'restored-job',
      rolledBack: true,
      rollback: { cause: 'operator-rollback', error: 'checkout numbers look wrong' },
      watch: null,
    });
    expect(calls).toContain('cancelJob("new-job")');
    expect(calls).toContain('startJob("old-jar", "trending", "file:/sp/savepoint-1", {"parallelism":2})');
  });

  it('should not watch when watchSeconds is 0', async () => {
    const { activities, calls } = fakeActivities();
    const result = await deploy(activities, { watchSeconds: 0 });
    expect(result).toMatchObject({ jobId: 'new-job', rolledBack: false, watch: null });
    expect(calls.some((call) => call.startsWith('watchNewJob'))).toBe(false);
  });

  it('should leave an unhealthy new job running and fail saying why when there is no previous jar', async () => {
    const { activities, calls } = fakeActivities({
      listJars: async () => [],
      watchNewJob: async () => ({
        ...healthyWatch,
        healthy: false,
        verdict: { signal: 'no-output' as const, detail: 'its sources emitted 900 records and its sinks took none' },
      }),
    });
    const error = await deploy(activities).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.cause).toMatchObject({ type: 'unhealthy-new-job', nonRetryable: true });
    expect((error?.cause as Error | undefined)?.message).toContain('its sinks took none');
    expect(calls.some((call) => call.startsWith('cancelJob'))).toBe(false);
  });

  it('should resume from the latest savepoint when no job is running', async () => {
    const { activities, calls } = fakeActivities({
      findActiveJob: async () => null,
      latestSavepoint: async () => 'file:/sp/savepoint-from-pulse-down',
    });
    const result = await deploy(activities);
    expect(result.savepoint).toBe('file:/sp/savepoint-from-pulse-down');
    expect(result.pausedMs).toBeNull();
    expect(calls).toContain(
      'startJob("new-jar", "trending", "file:/sp/savepoint-from-pulse-down", {"allowNonRestoredState":false})',
    );
  });

  it('should roll back to the previous jar from the same savepoint when the new job fails', async () => {
    const { activities, calls } = fakeActivities({
      awaitHealthyJob: async (jobId: string) => {
        if (jobId === 'new-job') throw new Error('job new-job ended as FAILED: NoSuchMethodError');
        return { runningAt: 5_000, checkpointedAt: 12_000 };
      },
    });
    const result = await deploy(activities);
    expect(result).toMatchObject({
      jobId: 'restored-job',
      jarId: 'old-jar',
      rolledBack: true,
      savepoint: 'file:/sp/savepoint-1',
    });
    expect(result.rollback).toMatchObject({
      cause: 'new-job-failed',
      error: 'job new-job ended as FAILED: NoSuchMethodError',
      remedy: null,
    });
    expect(calls).toContain('cancelJob("new-job")');
    expect(calls).toContain('startJob("old-jar", "trending", "file:/sp/savepoint-1", {"parallelism":2})');
  });

  it('should start only the new version allowing non-restored state, and record it', async () => {
    const { activities, calls } = fakeActivities();
    const result = await deploy(activities, { allowNonRestoredState: true });
    expect(result).toMatchObject({ jobId: 'new-job', rolledBack: false, allowNonRestoredState: true, rollback: null });
    expect(calls).toContain(
      'startJob("new-jar", "trending", "file:/sp/savepoint-1", {"allowNonRestoredState":true,"parallelism":2})',
    );
  });

  it('should never allow non-restored state to the rollback, which restores the old version from its own savepoint', async () => {
    const { activities, calls } = fakeActivities({
      awaitHealthyJob: async (jobId: string) => {
        if (jobId === 'new-job')
          throw new Error('job new-job was not running with a completed checkpoint within 120 s');
        return { runningAt: 5_000, checkpointedAt: 12_000 };
      },
    });
    const result = await deploy(activities, { allowNonRestoredState: true });
    expect(result).toMatchObject({ rolledBack: true, allowNonRestoredState: true });
    expect(calls.filter((call) => call.startsWith('startJob('))).toEqual([
      'startJob("new-jar", "trending", "file:/sp/savepoint-1", {"allowNonRestoredState":true,"parallelism":2})',
      'startJob("old-jar", "trending", "file:/sp/savepoint-1", {"parallelism":2})',
    ]);
  });

  it('should say the new version refused the savepoint, and name the remedy, when Flink cannot map its state', async () => {
    const { activities } = fakeActivities({
      awaitHealthyJob: async (jobId: string) => {
        if (jobId === 'new-job') throw unmappedState();
        return { runningAt: 5_000, checkpointedAt: 12_000 };
      },
    });
    const result = await deploy(activities);
    expect(result).toMatchObject({
      jobId: 'restored-job',
      rolledBack: true,
      allowNonRestoredState: false,
      rollback: {
        cause: 'unmapped-savepoint-state',
        operators: ['6cdc5bb954874d922eaee11a8e7b5dd5'],
        remedy: { command: 'npx pulse deploy trending --allow-non-restored-state' },
      },
    });
    expect(result.rollback?.message).toContain('npx pulse deploy trending --allow-non-restored-state');
  });

  it('should fail with the remedy when Flink cannot map the state and there is no previous jar', async () => {
    const { activities, calls } = fakeActivities({
      listJars: async () => [],
      awaitHealthyJob: async () => {
        throw unmappedState();
      },
    });
    const error = await deploy(activities).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as Error | undefined)?.name).toBe('WorkflowFailedError');
    expect((error as Error).cause).toMatchObject({ type: 'unmapped-savepoint-state', nonRetryable: true });
    expect(((error as Error).cause as Error).message).toContain('npx pulse deploy trending --allow-non-restored-state');
    expect(calls).toContain('cancelJob("new-job")');
  });

  it('should fail, non-retryable and before any activity, when the job is an object-prototype key', async () => {
    const { activities, calls } = fakeActivities();
    // What a client that skips the CLI's check could send: `constructor` is a key of every object's prototype.
    const run = runWorkflow(env, deployFlinkJobWorkflow, [{ job: 'constructor' as FlinkJobKey }], activities, {
      workflowsPath,
    });
    const error = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    // The client's WorkflowFailedError, caused by the workflow's ApplicationFailure.
    expect((error as Error | undefined)?.name).toBe('WorkflowFailedError');
    const cause = (error as Error).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect(cause).toMatchObject({ type: 'InvalidWorkflowInput', nonRetryable: true });
    expect((cause as ApplicationFailure).message).toContain('input.job');
    expect(calls).toEqual([]);
  });
});
