import { join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BootstrapActivities, FlinkDeployActivities, JobDeployCheck } from '@social-pulse/activities';
import { FLINK_JOBS, type FlinkJobKey } from '@social-pulse/shared';
import { startWorkflowTestEnvironment, testWorkflowBundle } from '@social-pulse/testing/temporal';
import {
  BOOTSTRAP_JOBS_FAILED,
  bootstrapPlatformWorkflow,
  bootstrapProgressQuery,
  type BootstrapInput,
} from './bootstrap-platform.workflow';

/** The worker bundles the workflows from the package's entry, as the real worker does. */
const workflowsPath = join(__dirname, 'index.ts');
const JOBS = Object.keys(FLINK_JOBS) as FlinkJobKey[];
const SHA = 'a'.repeat(64);

/**
 * A platform in memory behind the bootstrap's and the deploy's activities: what a step changed, the
 * next run finds. Each activity records its call; tests override what they need.
 */
function fakePlatform(overrides: Partial<BootstrapActivities & FlinkDeployActivities> = {}) {
  const calls: string[] = [];
  const state = { topics: false, migrations: false, schedules: false, deployed: new Map<FlinkJobKey, string>() };
  const record =
    <A extends unknown[], R>(name: string, result: (...args: A) => R) =>
    async (...args: A) => {
      calls.push(`${name}(${args.map((a) => JSON.stringify(a)).join(', ')})`);
      return result(...args);
    };
  const topicNames = ['user-events', 'content-events', 'ad-events', 'events-dlq'];
  const bootstrap: BootstrapActivities = {
    reconcileKafkaTopics: record('reconcileKafkaTopics', () => {
      const created = state.topics ? [] : topicNames;
      state.topics = true;
      return { topics: topicNames, replicationFactor: 1, created, reconfigured: [], grown: [], underReplicated: [] };
    }),
    applyMigrations: record('applyMigrations', () => {
      const applied = state.migrations ? [] : ['0001_trending_topics', '0002_trending_explained'];
      state.migrations = true;
      return { applied, alreadyApplied: 2 - applied.length, cluster: '' };
    }),
    checkJobDeployed: record('checkJobDeployed', (job: FlinkJobKey, sha: string): JobDeployCheck => {
      const jobId = state.deployed.get(job) ?? null;
      return jobId && sha === SHA
        ? { deploy: false, reason: `job ${jobId} runs jar ${sha.slice(0, 12)}`, jobId }
        : { deploy: true, reason: 'not running', jobId };
    }),
    reconcileSchedules: record('reconcileSchedules', () => {
      const created = state.schedules ? [] : ['pulse-ttl-maintenance'];
      state.schedules = true;
      return {
        created,
        updated: created.length ? [] : ['pulse-ttl-maintenance'],
        removed: [],
        liveRefresher: created.length ? ('started' as const) : ('running' as const),
      };
    }),
  };
  // The deploy workflow, run as the bootstrap's child, with a Flink that starts every job at once.
  const deploy: Partial<FlinkDeployActivities> = {
    prepareJobJar: record('prepareJobJar', () => ({ path: '/jobs.jar', sha256: SHA, built: false })),
    uploadJar: async () => 'new-jar',
    listJars: async () => ['old-jar'],
    findActiveJob: async () => null,
    latestSavepoint: async () => null,
    startJob: async (_jar: string, job: FlinkJobKey) => {
      calls.push(`startJob(${job})`);
      state.deployed.set(job, `job-${job}`);
      return `job-${job}`;
    },
    awaitHealthyJob: async () => ({ runningAt: 2_000, checkpointedAt: 3_000 }),
    cancelJob: async () => undefined,
    pruneJars: async () => 0,
    deleteJar: async () => undefined,
  };
  return { activities: { ...bootstrap, ...deploy, ...overrides }, calls, state };
}

const nameOf = (call: string) => call.slice(0, call.indexOf('('));

describe(bootstrapPlatformWorkflow.name, () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await startWorkflowTestEnvironment();
  });
  afterAll(() => env?.teardown());

  /** Runs one bootstrap to its end on a worker of its own; returns its result (or failure) and its progress. */
  async function run(activities: object, args: [BootstrapInput?] = [{}]) {
    const taskQueue = `test-${Math.random().toString(36).slice(2)}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await testWorkflowBundle(workflowsPath),
      activities,
    });
    return worker.runUntil(async () => {
      const handle = await env.client.workflow.start(bootstrapPlatformWorkflow, {
        taskQueue,
        workflowId: taskQueue,
        args,
      });
      const result = await handle.result().catch((error: unknown) => error as Error);
      // A workflow that failed on its input registered no query.
      const progress = await handle.query(bootstrapProgressQuery).catch(() => null);
      return { result, progress };
    });
  }

  it('should reconcile topics, then migrations, then deploy every job as a child, then the Schedules; a second run changes nothing', async () => {
    const { activities, calls } = fakePlatform();

    const { result, progress } = await run(activities);

    // The jobs' deploys run at once, so only each job's own steps are in order.
    expect(calls.map(nameOf).slice(0, 3)).toEqual(['reconcileKafkaTopics', 'applyMigrations', 'prepareJobJar']);
    expect(calls.at(-1)).toBe('reconcileSchedules()');
    expect(calls.map(nameOf).slice(3, -1).sort()).toEqual(
      JOBS.flatMap(() => ['checkJobDeployed', 'prepareJobJar', 'startJob']).sort(),
    );
    for (const job of JOBS) {
      expect(calls.indexOf(`checkJobDeployed("${job}", "${SHA}")`)).toBeLessThan(calls.indexOf(`startJob(${job})`));
    }
    expect(result).toMatchObject({
      topics: { created: ['user-events', 'content-events', 'ad-events', 'events-dlq'] },
      migrations: { applied: ['0001_trending_topics', '0002_trending_explained'], alreadyApplied: 0 },
      jarSha256: SHA,
      jobs: JOBS.map((job) => ({ job, outcome: 'deployed', jobId: `job-${job}`, deploy: { rolledBack: false } })),
      schedules: { created: ['pulse-ttl-maintenance'], liveRefresher: 'started' },
    });
    expect(progress?.stage).toBe('done');
    expect(progress?.steps.map((s) => s.step)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Kafka topics ready: user-events, .* \(replication 1; created /),
        'ClickHouse schema up to date (2 applied: 0001_trending_topics, 0002_trending_explained, 0 already there)',
        'trending: deployed as job job-trending',
        'Temporal Schedules ready (1 created); live answer refresher started',
        'the platform is bootstrapped',
      ]),
    );

    // A second run finds everything in place and changes nothing.
    calls.length = 0;

    const again = await run(activities);

    expect(calls.map(nameOf)).toEqual([
      'reconcileKafkaTopics',
      'applyMigrations',
      'prepareJobJar',
      ...JOBS.map(() => 'checkJobDeployed'),
      'reconcileSchedules',
    ]);
    expect(calls.filter((c) => c.startsWith('checkJobDeployed')).sort()).toEqual(
      JOBS.map((job) => `checkJobDeployed("${job}", "${SHA}")`).sort(),
    );
    expect(again.result).toMatchObject({
      topics: { created: [], reconfigured: [], grown: [] },
      migrations: { applied: [], alreadyApplied: 2 },
      jobs: JOBS.map((job) => ({ job, outcome: 'already deployed', jobId: `job-${job}`, deploy: null })),
      schedules: { created: [], removed: [], liveRefresher: 'running' },
    });
  });

  it('should deploy the jobs at once: each is healthy only after every one has started', async () => {
    // Deployed one after another, no job would see the others started: each waits 5 s, then fails.
    let started = 0;
    let resolveEveryJobStarted = () => {};
    const everyJobStarted = new Promise<void>((resolve) => (resolveEveryJobStarted = resolve));
    const { activities } = fakePlatform();
    const startJob = activities.startJob!;
    activities.startJob = async (...args: Parameters<typeof startJob>) => {
      const jobId = await startJob(...args);
      if (++started === JOBS.length) resolveEveryJobStarted();
      return jobId;
    };
    activities.awaitHealthyJob = async () => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('the other jobs did not start meanwhile')), 5_000);
      });
      await Promise.race([everyJobStarted, timeout]).finally(() => clearTimeout(timer));
      return { runningAt: 2_000, checkpointedAt: 3_000 };
    };

    const { result } = await run(activities);

    expect(result).toMatchObject({ jobs: JOBS.map((job) => ({ job, outcome: 'deployed' })) });
  });

  it('should redeploy every job when asked, even those running the current jar', async () => {
    const { activities, calls, state } = fakePlatform();
    for (const job of JOBS) state.deployed.set(job, `job-${job}`);

    await run(activities, [{ redeployJobs: true }]);

    expect(calls.filter((c) => c.startsWith('startJob'))).toHaveLength(JOBS.length);
    expect(calls.filter((c) => c.startsWith('checkJobDeployed'))).toEqual([]);
  });

  it('should retry a failing step until it succeeds, and go on from there', async () => {
    let attempts = 0;
    const { activities, calls } = fakePlatform();
    const migrate = activities.applyMigrations;
    activities.applyMigrations = async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('ClickHouse is not answering yet');
      return migrate();
    };

    const { result } = await run(activities);

    expect(attempts).toBe(2);
    expect(result).toMatchObject({ migrations: { applied: ['0001_trending_topics', '0002_trending_explained'] } });
    expect(calls.filter((c) => c.startsWith('reconcileKafkaTopics'))).toHaveLength(1);
    expect(calls.at(-1)).toBe('reconcileSchedules()');
  });

  it('should still make the Schedules when a job fails to deploy, then fail naming the job', async () => {
    const { activities, calls } = fakePlatform({
      awaitHealthyJob: async (jobId: string) => {
        if (jobId === 'job-sessions') throw new Error('job job-sessions ended as FAILED: boom');
        return { runningAt: 2_000, checkpointedAt: 3_000 };
      },
    });
    // With no previous jar to restore, the deploy of sessions fails.
    activities.listJars = async () => [];

    const { result } = await run(activities);

    expect(result).toBeInstanceOf(WorkflowFailedError);
    const failure = (result as WorkflowFailedError).cause as Error & { type?: string };
    expect(failure.type).toBe(BOOTSTRAP_JOBS_FAILED);
    expect(failure.message).toMatch(/^the deploy of sessions failed: .*boom/);
    expect(calls.at(-1)).toBe('reconcileSchedules()');
    expect(calls.filter((c) => c.startsWith('startJob')).sort()).toEqual(JOBS.map((job) => `startJob(${job})`).sort());
  });

  it('should refuse an input it does not know before any step', async () => {
    const { activities, calls } = fakePlatform();

    const { result } = await run(activities, [{ redeploy: true } as BootstrapInput]);

    expect(result).toBeInstanceOf(WorkflowFailedError);
    expect(((result as WorkflowFailedError).cause as Error).message).toBe(
      'invalid workflow input: input.redeploy is not a known field',
    );
    expect(calls).toEqual([]);
  });
});
