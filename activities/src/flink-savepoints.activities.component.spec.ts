import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FLINK_JOBS } from '@social-pulse/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { jobTagsConfiguration } from './flink-jobs';
import {
  attemptTriggerId,
  createFlinkSavepointActivities,
  type FlinkSavepointDeps,
} from './flink-savepoints.activities';
import {
  failureOf,
  inActivity,
  inActivityAttempt,
  isRetryable,
  runActivity as run,
} from './testing/activity-environment';
import { FakeFlinkRestServer, userConfigOf } from './testing/fake-flink-rest-server';

const JOB = 'archive';
const JOB_NAME = FLINK_JOBS.archive.name;
const TRIGGER = 'aaaaaaaabbbbbbbbccccccccdddddddd';

/** The `user-config` the worker records on a job it starts in `scope`. */
const tagged = (scope: string, job: keyof typeof FLINK_JOBS = JOB) =>
  userConfigOf(jobTagsConfiguration({ job, jar: 'jar-1_social-pulse-jobs.jar', args: [], scope }));

describe('Flink savepoint activities', () => {
  let flink: FakeFlinkRestServer;
  let savepointDir: string;

  beforeEach(async () => {
    flink = await FakeFlinkRestServer.start();
    savepointDir = mkdtempSync(join(tmpdir(), 'flink-savepoints-'));
  });
  afterEach(async () => {
    await flink.close();
    rmSync(savepointDir, { recursive: true, force: true });
  });

  const activities = (deps: Partial<FlinkSavepointDeps> = {}) =>
    createFlinkSavepointActivities({ flinkRestUrl: flink.url, savepointDir, pollIntervalMs: 5, ...deps });

  /** A complete savepoint on the shared disk, written at `minutesAgo`. */
  function savepointOnDisk(name: string, minutesAgo: number): string {
    const path = join(savepointDir, JOB, name);
    mkdirSync(path, { recursive: true });
    writeFileSync(join(path, '_metadata'), 'metadata');
    const at = new Date(Date.now() - minutesAgo * 60_000);
    utimesSync(join(path, '_metadata'), at, at);
    return `file:${path}`;
  }

  const folders = () => readdirSync(join(savepointDir, JOB)).sort();

  describe('listRunningJobs', () => {
    it("should list the running jobs of the platform's scope, the newest of each, untagged ones included", async () => {
      flink.addJob({ name: JOB_NAME, startTime: 1_000 });
      const newest = flink.addJob({ name: JOB_NAME, startTime: 2_000, userConfig: tagged('platform') });
      const trending = flink.addJob({ name: FLINK_JOBS.trending.name, startTime: 1_500 });
      flink.addJob({ name: FLINK_JOBS.sessions.name, state: 'FINISHED' });
      flink.addJob({ name: FLINK_JOBS.ads.name, userConfig: tagged('test-1', 'ads') });
      flink.addJob({ name: 'social-pulse-smoke' });

      const running = await run(activities().listRunningJobs);

      expect(running).toEqual([
        { job: JOB, jobId: newest.jid },
        { job: 'trending', jobId: trending.jid },
      ]);
    });

    it('should see only the jobs of its own scope, and only those asked for', async () => {
      flink.addJob({ name: JOB_NAME });
      const own = flink.addJob({ name: JOB_NAME, userConfig: tagged('test-1') });
      flink.addJob({ name: FLINK_JOBS.ads.name, userConfig: tagged('test-1', 'ads') });

      const running = await run(activities({ scope: 'test-1' }).listRunningJobs, [JOB]);

      expect(running).toEqual([{ job: JOB, jobId: own.jid }]);
    });
  });

  describe('triggerSavepoint', () => {
    it("should take a savepoint into the job's folder under the workflow's trigger id, leaving the job running", async () => {
      const job = flink.addJob({ name: JOB_NAME });
      flink.scriptNextSavepoint({ pollsBeforeDone: 2 });

      const taken = await run(activities().triggerSavepoint, job.jid, JOB, TRIGGER);

      expect(taken).toEqual({ outcome: 'taken', savepoint: flink.savepoints[0].location, triggerId: TRIGGER });
      expect(taken.outcome === 'taken' && taken.savepoint).toMatch(
        new RegExp(`^file:${join(savepointDir, JOB)}/savepoint-${job.jid.slice(0, 6)}-`),
      );
      const [request] = flink.requestsTo('POST', `/jobs/${job.jid}/savepoints`);
      expect(request.body).toEqual({
        'target-directory': join(savepointDir, JOB),
        'cancel-job': false,
        triggerId: TRIGGER,
      });
      expect(flink.job(job.jid).state).toBe('RUNNING');
      expect(flink.requestsTo('POST', `/jobs/${job.jid}/stop`)).toEqual([]);
    });

    it('should heartbeat the trigger before the request and on every poll', async () => {
      const job = flink.addJob({ name: JOB_NAME });
      flink.scriptNextSavepoint({ pollsBeforeDone: 3 });

      const { heartbeats, result } = inActivity(activities().triggerSavepoint, job.jid, JOB, TRIGGER);
      await result;

      const polls = flink.requestsTo('GET', /\/savepoints\//);
      expect(polls).toHaveLength(4);
      expect(heartbeats).toHaveLength(polls.length + 1);
      expect(new Set(heartbeats.map((h) => (h as { trigger: string }).trigger))).toEqual(new Set([TRIGGER]));
    });

    it('should poll the savepoint its killed attempt triggered, not take a second one', async () => {
      const job = flink.addJob({ name: JOB_NAME });
      flink.scriptNextSavepoint({ pollsBeforeDone: 40 });
      const first = inActivity(activities().triggerSavepoint, job.jid, JOB, TRIGGER);
      await vi.waitFor(() => expect(first.heartbeats.length).toBeGreaterThanOrEqual(3), { interval: 1 });
      first.env.cancel(); // the worker dies, the savepoint still in progress
      await first.result.catch(() => undefined);

      const retry = inActivityAttempt(
        { attempt: 2, heartbeatDetails: first.heartbeats.at(-1) },
        activities().triggerSavepoint,
        job.jid,
        JOB,
        TRIGGER,
      );

      expect(await retry.result).toMatchObject({ outcome: 'taken', savepoint: flink.savepoints[0].location });
      expect(flink.requestsTo('POST', `/jobs/${job.jid}/savepoints`)).toHaveLength(1);
      expect(flink.savepoints).toHaveLength(1);
    });

    it('should not take a second savepoint when its request went out but no heartbeat reached Temporal', async () => {
      const job = flink.addJob({ name: JOB_NAME });
      const held = flink.hold('POST', `/jobs/${job.jid}/savepoints`);
      const first = inActivity(activities().triggerSavepoint, job.jid, JOB, TRIGGER);
      await held.reached;
      first.env.cancel(); // the worker dies while Flink takes the request
      held.release();
      await first.result.catch(() => undefined);

      // Temporal never saw a heartbeat: the retry knows only the workflow's trigger id, and sends it again.
      const taken = await inActivityAttempt({ attempt: 2 }, activities().triggerSavepoint, job.jid, JOB, TRIGGER)
        .result;

      expect(taken).toMatchObject({ outcome: 'taken', triggerId: TRIGGER });
      expect(flink.requestsTo('POST', `/jobs/${job.jid}/savepoints`)).toHaveLength(2);
      expect(flink.savepoints).toHaveLength(1);
      expect(folders()).toHaveLength(1);
    });

    it('should find on disk a savepoint Flink has forgotten, rather than take another', async () => {
      const job = flink.addJob({ name: JOB_NAME });
      const first = inActivity(activities().triggerSavepoint, job.jid, JOB, TRIGGER);
      const taken = await first.result;
      // The retry comes after Flink dropped the finished operation (rest.async.store-duration).
      flink.forgetCompletedOperations();

      const retry = inActivityAttempt(
        { attempt: 2, heartbeatDetails: first.heartbeats.at(-1) },
        activities().triggerSavepoint,
        job.jid,
        JOB,
        TRIGGER,
      );

      expect(await retry.result).toEqual(taken);
      expect(flink.requestsTo('POST', `/jobs/${job.jid}/savepoints`)).toHaveLength(1);
    });

    it('should take a savepoint of its own when the one an earlier attempt triggered failed', async () => {
      const job = flink.addJob({ name: JOB_NAME });
      const failure = 'org.apache.flink.runtime.checkpoint.CheckpointException: Checkpoint expired before completing.';
      flink.scriptNextSavepoint({ failure });
      flink.scriptNextSavepoint({ failure });
      const first = inActivity(activities().triggerSavepoint, job.jid, JOB, TRIGGER);
      const error = await failureOf(first.result);
      expect(error.message).toBe(`savepoint of job ${job.jid} failed: ${failure}`);
      expect(isRetryable(error)).toBe(true);

      const retry = inActivityAttempt(
        { attempt: 2, heartbeatDetails: first.heartbeats.at(-1) },
        activities().triggerSavepoint,
        job.jid,
        JOB,
        TRIGGER,
      );

      expect(await retry.result).toMatchObject({ outcome: 'taken', triggerId: attemptTriggerId(TRIGGER, 2) });
      expect(
        flink.requestsTo('POST', `/jobs/${job.jid}/savepoints`).map((r) => (r.body as { triggerId: string }).triggerId),
      ).toEqual([TRIGGER, attemptTriggerId(TRIGGER, 1), attemptTriggerId(TRIGGER, 2)]);
    });

    it('should report a job that stopped meanwhile (a deploy stopped it), not fail', async () => {
      const job = flink.addJob({ name: JOB_NAME, state: 'FINISHED' });

      const taken = await run(activities().triggerSavepoint, job.jid, JOB, TRIGGER);

      expect(taken).toEqual({ outcome: 'job-stopped', state: 'FINISHED', triggerId: TRIGGER });
    });
  });

  describe('pruneSavepoints', () => {
    it('should keep the newest complete savepoints and delete the older ones', async () => {
      const names = [1, 2, 3, 4, 5].map((i) => `savepoint-aaaaaa-00000000000${i}`);
      names.forEach((name, i) => savepointOnDisk(name, 50 - i * 10)); // 5 is the newest
      mkdirSync(join(savepointDir, JOB, 'savepoint-aaaaaa-00000000000f')); // being written: no _metadata
      savepointOnDisk('chk-17', 100);

      const pruned = await run(activities().pruneSavepoints, JOB, 2);

      const path = (name: string) => `file:${join(savepointDir, JOB, name)}`;
      expect(pruned).toEqual({
        kept: [path(names[4]), path(names[3])],
        inUse: [],
        deleted: [path(names[2]), path(names[1]), path(names[0])],
        incomplete: [path('savepoint-aaaaaa-00000000000f')],
      });
      expect(folders()).toEqual(['chk-17', names[3], names[4], 'savepoint-aaaaaa-00000000000f']);
    });

    it('should keep an older savepoint a running job restored from (its deploy or rescale)', async () => {
      const deployed = savepointOnDisk('savepoint-aaaaaa-000000000001', 60);
      savepointOnDisk('savepoint-bbbbbb-000000000002', 30);
      savepointOnDisk('savepoint-bbbbbb-000000000003', 20);
      const newest = savepointOnDisk('savepoint-bbbbbb-000000000004', 10);
      // Flink writes file:/… or file:///…; either names the same folder.
      flink.addJob({ name: JOB_NAME, restoredFrom: deployed.replace('file:', 'file://') });

      const pruned = await run(activities().pruneSavepoints, JOB, 1);

      expect(pruned.kept).toEqual([newest]);
      expect(pruned.inUse).toEqual([deployed]);
      expect(pruned.deleted).toHaveLength(2);
      expect(existsSync(deployed.slice('file:'.length))).toBe(true);
    });

    it('should not protect a savepoint for a job of another scope, nor delete anything on a second run', async () => {
      const other = savepointOnDisk('savepoint-aaaaaa-000000000001', 60);
      savepointOnDisk('savepoint-bbbbbb-000000000002', 10);
      flink.addJob({ name: JOB_NAME, restoredFrom: other, userConfig: tagged('test-1') });

      const first = await run(activities().pruneSavepoints, JOB, 1);
      const second = await run(activities().pruneSavepoints, JOB, 1);

      expect(first.deleted).toEqual([other]);
      expect(second.deleted).toEqual([]);
      expect(second.kept).toEqual(first.kept);
    });

    it('should do nothing for a job without a savepoint folder', async () => {
      expect(await run(activities().pruneSavepoints, 'trending', 5)).toEqual({
        kept: [],
        inUse: [],
        deleted: [],
        incomplete: [],
      });
    });
  });
});
