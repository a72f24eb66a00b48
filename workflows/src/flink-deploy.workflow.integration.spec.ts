import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlinkDeployActivities } from '@social-pulse/activities';
import type { FlinkJobKey } from '@social-pulse/shared';
import { runWorkflow, startWorkflowTestEnvironment } from '@social-pulse/testing/temporal';
import { deployFlinkJobWorkflow } from './flink-deploy.workflow';

/** The worker bundles the workflows from the package's entry, as the real worker does. */
const workflowsPath = join(__dirname, 'index.ts');

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
    findActiveJob: record('findActiveJob', () => 'old-job'),
    stopWithSavepoint: record('stopWithSavepoint', () => ({ savepoint: 'file:/sp/savepoint-1', stoppedAt: 1_000 })),
    latestSavepoint: record('latestSavepoint', () => null),
    startJob: record('startJob', (jarId: string) => (jarId === 'new-jar' ? 'new-job' : 'restored-job')),
    awaitHealthyJob: record('awaitHealthyJob', () => ({ runningAt: 4_000, checkpointedAt: 9_000 })),
    cancelJob: record('cancelJob', () => undefined),
    pruneJars: record('pruneJars', () => 1),
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

  const deploy = (activities: FlinkDeployActivities) =>
    runWorkflow(env, deployFlinkJobWorkflow, [{ job: 'trending' }], activities, { workflowsPath });

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
    });
    expect(calls).toContain('startJob("new-jar", "trending", "file:/sp/savepoint-1")');
    expect(calls).toContain('pruneJars(["new-jar","old-jar"])');
  });

  it('should resume from the latest savepoint when no job is running', async () => {
    const { activities, calls } = fakeActivities({
      findActiveJob: async () => null,
      latestSavepoint: async () => 'file:/sp/savepoint-from-pulse-down',
    });
    const result = await deploy(activities);
    expect(result.savepoint).toBe('file:/sp/savepoint-from-pulse-down');
    expect(result.pausedMs).toBeNull();
    expect(calls).toContain('startJob("new-jar", "trending", "file:/sp/savepoint-from-pulse-down")');
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
    expect(calls).toContain('cancelJob("new-job")');
    expect(calls).toContain('startJob("old-jar", "trending", "file:/sp/savepoint-1")');
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
