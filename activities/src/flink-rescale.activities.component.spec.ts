import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import { FLINK_JOBS } from '@social-pulse/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFlinkDeployActivities } from './flink-deploy.activities';
import { jobTagsConfiguration, readJobTags } from './flink-jobs';
import { RESCALE_REFUSED, createFlinkRescaleActivities } from './flink-rescale.activities';
import { failureOf, inActivityAttempt, isRetryable, runActivity as run } from './testing/activity-environment';
import { FakeFlinkRestServer, userConfigOf } from './testing/fake-flink-rest-server';

const JOB = 'archive';
const JOB_NAME = FLINK_JOBS.archive.name;
const ARGS = ['--bootstrap-servers', '127.0.0.1:9092', '--group-id', 'rescale-test', '--topics', 'a,b'];

describe('Flink rescale activities', () => {
  let flink: FakeFlinkRestServer;
  let dir: string;

  beforeEach(async () => {
    flink = await FakeFlinkRestServer.start();
    dir = mkdtempSync(join(tmpdir(), 'flink-rescale-'));
  });
  afterEach(async () => {
    await flink.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rescale = (scope?: string) => createFlinkRescaleActivities({ flinkRestUrl: flink.url, scope });
  const deploy = (scope?: string) =>
    createFlinkDeployActivities({
      flinkRestUrl: flink.url,
      flinkProjectDir: join(dir, 'flink'),
      savepointDir: join(dir, 'savepoints'),
      jobArguments: () => ['--worker', 'arguments'],
      pollIntervalMs: 5,
      scope,
    });

  /** The `user-config` a job started by the worker carries. */
  const tagsOf = (jar: string, scope = 'platform', args = ARGS) =>
    userConfigOf(jobTagsConfiguration({ job: JOB, jar, args, scope }));

  async function refusal(promise: Promise<unknown>): Promise<ApplicationFailure> {
    const error = await failureOf(promise);
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect((error as ApplicationFailure).type).toBe(RESCALE_REFUSED);
    expect(isRetryable(error)).toBe(false);
    return error as ApplicationFailure;
  }

  describe('planRescale', () => {
    it('should plan a rescale of the running job: its jar, arguments, parallelism and the slots it needs', async () => {
      const jar = flink.addJar();
      const job = flink.addJob({ name: JOB_NAME, parallelism: 1, userConfig: tagsOf(jar.id) });
      flink.cluster.slotsTotal = 6;

      const plan = await run(rescale().planRescale, JOB, 2);

      expect(plan).toEqual({
        jobId: job.jid,
        jarId: jar.id,
        programArgs: ARGS,
        from: 1,
        to: 2,
        maxParallelism: 128,
        slots: { available: 5, heldByJob: 1, needed: 2 },
      });
    });

    it('should refuse a parallelism above the max parallelism, before touching the job', async () => {
      const jar = flink.addJar();
      flink.addJob({ name: JOB_NAME, userConfig: tagsOf(jar.id), maxParallelism: 8 });

      const error = await refusal(run(rescale().planRescale, JOB, 9));

      expect(error.message).toBe(
        'archive cannot run at parallelism 9: its max parallelism is 8 (its keyed state is split into that many key groups, and changing it makes its savepoints unusable)',
      );
      expect(flink.requestsTo('POST', /./)).toEqual([]);
    });

    it('should refuse more slots than the free ones plus those the job frees', async () => {
      const jar = flink.addJar();
      flink.cluster.slotsTotal = 4;
      flink.addJob({ name: FLINK_JOBS.trending.name });
      flink.addJob({ name: JOB_NAME, parallelism: 2, userConfig: tagsOf(jar.id) });

      const error = await refusal(run(rescale().planRescale, JOB, 4));

      expect(error.message).toBe(
        'archive at parallelism 4 needs 4 task slots; the cluster has 1 free and the job holds 2: free slots (or add a TaskManager) first',
      );
      expect((await run(rescale().planRescale, JOB, 3)).slots).toEqual({ available: 1, heldByJob: 2, needed: 3 });
    });

    it('should refuse a job started without its jar recorded, naming the deploy that records it', async () => {
      flink.addJob({ name: JOB_NAME });

      const error = await refusal(run(rescale().planRescale, JOB, 2));

      expect(error.message).toMatch(
        /was started without its jar and arguments recorded .*\(npx pulse deploy archive\)/,
      );
    });

    it('should refuse when the jar the job runs is gone from the cluster', async () => {
      flink.addJob({ name: JOB_NAME, userConfig: tagsOf('gone_social-pulse-jobs.jar') });

      const error = await refusal(run(rescale().planRescale, JOB, 2));

      expect(error.message).toContain('the jar archive runs (gone_social-pulse-jobs.jar) is no longer on the cluster');
    });

    it('should refuse when the job does not run, or two do', async () => {
      const jar = flink.addJar();
      expect((await refusal(run(rescale().planRescale, JOB, 2))).message).toBe(
        'archive is not running: Flink has no active event-archive job (scope platform)',
      );

      flink.addJob({ name: JOB_NAME, userConfig: tagsOf(jar.id) });
      flink.addJob({ name: JOB_NAME, state: 'INITIALIZING', userConfig: tagsOf(jar.id) });
      expect((await refusal(run(rescale().planRescale, JOB, 2))).message).toMatch(
        /^archive has 2 active jobs .*another operation \(a deploy\?\) is under way/,
      );
    });

    it("should see only its scope's job", async () => {
      const jar = flink.addJar();
      flink.addJob({ name: JOB_NAME, userConfig: tagsOf(jar.id) });
      const own = flink.addJob({ name: JOB_NAME, userConfig: tagsOf(jar.id, 'test-1') });

      expect((await run(rescale('test-1').planRescale, JOB, 2)).jobId).toBe(own.jid);
      expect(await run(rescale('test-1').activeJobIds, JOB)).toEqual([own.jid]);
    });
  });

  describe('startJob, as the rescale calls it', () => {
    it('should record the job, jar, arguments and scope on the job', async () => {
      const jar = flink.addJar();

      const jobId = await run(deploy('test-1').startJob, jar.id, JOB, null);

      expect(readJobTags(flink.job(jobId).userConfig)).toEqual({
        scope: 'test-1',
        job: JOB,
        jar: jar.id,
        args: ['--worker', 'arguments'],
      });
    });

    it('should start the program as it ran, at the parallelism asked, under the id chosen', async () => {
      const jar = flink.addJar();
      const savepoint = join(dir, 'savepoints', JOB, 'savepoint-aaaaaa-000000000001');
      mkdirSync(savepoint, { recursive: true });
      writeFileSync(join(savepoint, '_metadata'), 'metadata');
      const id = 'c0ffee00c0ffee00c0ffee00c0ffee00';

      const jobId = await run(deploy().startJob, jar.id, JOB, `file:${savepoint}`, {
        parallelism: 2,
        programArgs: ARGS,
        jobId: id,
      });

      expect(jobId).toBe(id);
      const [request] = flink.requestsTo('POST', `/jars/${jar.id}/run`);
      expect(request.body).toMatchObject({ programArgsList: ARGS, parallelism: 2, jobId: id });
      expect(flink.job(id)).toMatchObject({ parallelism: 2, restoredFrom: `file:${savepoint}` });
      expect(readJobTags(flink.job(id).userConfig).args).toEqual(ARGS);
    });

    it('should return the job its lost attempt submitted, not start a second', async () => {
      const jar = flink.addJar();
      const id = 'c0ffee00c0ffee00c0ffee00c0ffee01';
      await run(deploy().startJob, jar.id, JOB, null, { jobId: id });

      const retried = await inActivityAttempt({ attempt: 2 }, deploy().startJob, jar.id, JOB, null, { jobId: id })
        .result;

      expect(retried).toBe(id);
      expect(flink.requestsTo('POST', `/jars/${jar.id}/run`)).toHaveLength(2);
      expect(flink.jobs.size).toBe(1);
    });
  });
});
