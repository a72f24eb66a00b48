import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { CancelledFailure } from '@temporalio/activity';
import { FLINK_JOBS, jobsJarName } from '@social-pulse/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApplicationFailure } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { UNMAPPED_SAVEPOINT_STATE, createFlinkDeployActivities, type FlinkDeployDeps } from './flink-deploy.activities';
import { jobTagsConfiguration } from './flink-jobs';
import { failureOf, inActivity, isRetryable, runActivity as run } from './testing/activity-environment';
import { FakeFlinkRestServer, type JobState } from './testing/fake-flink-rest-server';

const JOB = 'trending';
const JOB_NAME = FLINK_JOBS.trending.name;
const JAR_NAME = 'social-pulse-jobs.jar';

// Operator ids as Flink names them: hashes of the uids of operators a new program no longer has.
const COUNT_MENTIONS_ID = '6cdc5bb954874d922eaee11a8e7b5dd5';
const RANK_TOP_TOPICS_ID = 'f3dcb3ca563a8ba134b6239a5c78c939';

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

describe('Flink deploy activities', () => {
  let flink: FakeFlinkRestServer;
  let dir: string;
  let projectDir: string;
  let savepointDir: string;

  beforeEach(async () => {
    flink = await FakeFlinkRestServer.start();
    dir = mkdtempSync(join(tmpdir(), 'flink-deploy-'));
    projectDir = join(dir, 'flink');
    savepointDir = join(dir, 'savepoints');
    mkdirSync(projectDir);
  });

  afterEach(async () => {
    await flink.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // Short polls keep the tests quick; the waits themselves end on what the fake Flink reports.
  const activities = (deps: Partial<FlinkDeployDeps> = {}) =>
    createFlinkDeployActivities({
      flinkRestUrl: flink.url,
      flinkProjectDir: projectDir,
      savepointDir,
      jobArguments: (job) => ['--job', job, '--kafka', 'kafka:9092'],
      pollIntervalMs: 5,
      healthyTimeoutMs: 10_000,
      buildHeartbeatMs: 10,
      ...deps,
    });

  /** A savepoint on the shared disk, as Flink leaves it: a folder with its `_metadata`. */
  function savepointOnDisk(name: string, metadataAt?: Date): string {
    const path = join(savepointDir, JOB, name);
    mkdirSync(path, { recursive: true });
    writeFileSync(join(path, '_metadata'), 'metadata');
    if (metadataAt) utimesSync(join(path, '_metadata'), metadataAt, metadataAt);
    return `file:${path}`;
  }

  describe('prepareJobJar', () => {
    const jarPath = () => join(projectDir, 'target', JAR_NAME);
    const older = new Date('2025-01-01T00:00:00Z');
    const newer = new Date('2025-01-02T00:00:00Z');
    let bin: string;
    let originalPath: string | undefined;

    beforeEach(() => {
      // Maven is an outgoing port of this activity: a fake `mvn` first on the PATH stands in for it.
      bin = join(dir, 'bin');
      mkdirSync(bin);
      originalPath = process.env.PATH;
      process.env.PATH = `${bin}${delimiter}${originalPath}`;
    });
    afterEach(() => {
      process.env.PATH = originalPath;
    });

    const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
    const mavenArgs = () => join(bin, 'mvn.args');

    /** A fake `mvn`: records its arguments, then builds the jar of its `-f` project (or fails like Maven). */
    function fakeMaven({ exitCode = 0, output = '', jar = 'jar built by maven', waitFor = '' } = {}) {
      writeFileSync(
        join(bin, 'mvn'),
        [
          '#!/bin/sh',
          `printf '%s\\n' "$@" > ${shellQuote(mavenArgs())}`,
          'while [ $# -gt 0 ] && [ "$1" != "-f" ]; do shift; done',
          'project=$(dirname "$2")',
          // A build that lasts until the test says so: the fake waits for a file the test creates.
          waitFor ? `while [ ! -e ${shellQuote(waitFor)} ]; do sleep 0.01; done` : '',
          output ? `printf '%s\\n' ${shellQuote(output)} >&2` : '',
          exitCode === 0
            ? `mkdir -p "$project/target" && printf '%s' ${shellQuote(jar)} > "$project/target/${JAR_NAME}"`
            : '',
          `exit ${exitCode}`,
        ].join('\n'),
        { mode: 0o755 },
      );
    }

    function mavenProject({ jar, jarAt, sourceAt }: { jar?: string; jarAt?: Date; sourceAt?: Date } = {}) {
      writeFileSync(join(projectDir, 'pom.xml'), '<project/>');
      utimesSync(join(projectDir, 'pom.xml'), older, older);
      const source = join(projectDir, 'src', 'main', 'java', 'Job.java');
      mkdirSync(join(projectDir, 'src', 'main', 'java'), { recursive: true });
      writeFileSync(source, 'class Job {}');
      if (sourceAt) utimesSync(source, sourceAt, sourceAt);
      if (jar !== undefined) shippedJar(jar, jarAt);
    }

    function shippedJar(content: string, at?: Date) {
      mkdirSync(join(projectDir, 'target'), { recursive: true });
      writeFileSync(jarPath(), content);
      if (at) utimesSync(jarPath(), at, at);
    }

    it('should use the shipped jar as it is when there is no Maven project', async () => {
      fakeMaven();
      shippedJar('shipped jar');

      const jar = await run(activities().prepareJobJar);

      expect(jar).toEqual({ path: jarPath(), sha256: sha256('shipped jar'), built: false });
      expect(existsSync(mavenArgs())).toBe(false);
    });

    it('should use the jar without building when it is newer than the pom and every source', async () => {
      fakeMaven();
      mavenProject({ jar: 'fresh jar', jarAt: newer, sourceAt: older });

      const jar = await run(activities().prepareJobJar);

      expect(jar).toEqual({ path: jarPath(), sha256: sha256('fresh jar'), built: false });
      expect(existsSync(mavenArgs())).toBe(false);
    });

    it('should build the jar with Maven when it is missing, and hash the jar Maven built', async () => {
      fakeMaven({ jar: 'new build' });
      mavenProject();

      const jar = await run(activities().prepareJobJar);

      expect(jar).toEqual({ path: jarPath(), sha256: sha256('new build'), built: true });
      expect(readFileSync(mavenArgs(), 'utf8').trim().split('\n')).toEqual([
        '-B',
        '-q',
        '-f',
        join(projectDir, 'pom.xml'),
        'package',
        '-DskipTests',
      ]);
    });

    it('should rebuild the jar when a source is newer than it', async () => {
      fakeMaven({ jar: 'rebuilt' });
      mavenProject({ jar: 'stale jar', jarAt: older, sourceAt: newer });

      const jar = await run(activities().prepareJobJar);

      expect(jar).toEqual({ path: jarPath(), sha256: sha256('rebuilt'), built: true });
    });

    it('should heartbeat while Maven builds', async () => {
      const done = join(dir, 'build-may-finish');
      fakeMaven({ waitFor: done });
      mavenProject();

      const { heartbeats, result } = inActivity(activities().prepareJobJar);
      // Temporal would time out a silent 15-minute build after 30 s: the activity must beat during it.
      await vi.waitFor(() => expect(heartbeats.length).toBeGreaterThanOrEqual(2));
      writeFileSync(done, '');

      expect(await result).toMatchObject({ built: true });
      expect(new Set(heartbeats)).toEqual(new Set(['building the jobs jar']));
    });

    it("should fail with Maven's output when the build fails", async () => {
      fakeMaven({ exitCode: 1, output: '[ERROR] COMPILATION ERROR : Job.java:[1,7] cannot find symbol' });
      mavenProject();

      const error = await failureOf(run(activities().prepareJobJar));

      expect(error.message).toMatch(/^mvn package failed \(exit 1\):\n/);
      expect(error.message).toContain('[ERROR] COMPILATION ERROR : Job.java:[1,7] cannot find symbol');
      expect(isRetryable(error)).toBe(true);
    });

    it('should fail when Maven is not installed', async () => {
      mavenProject();
      process.env.PATH = bin; // an empty folder: no mvn anywhere

      const error = await failureOf(run(activities().prepareJobJar));

      expect(error.message).toContain('spawn mvn ENOENT');
    });

    it('should fail when there is neither a jar nor a Maven project', async () => {
      const error = await failureOf(run(activities().prepareJobJar));

      expect(error.message).toBe(`no jobs jar at ${jarPath()} and no Maven project to build it from`);
    });
  });

  describe('uploadJar', () => {
    function jarFile(content = 'PK jar bytes'): string {
      const path = join(dir, JAR_NAME);
      writeFileSync(path, content);
      return path;
    }

    it('should upload the jar as the multipart file `jarfile` named by its version, and return the id Flink gave it', async () => {
      const path = jarFile('the jobs');
      const name = jobsJarName(sha256('the jobs'));

      const jarId = await run(activities().uploadJar, path, sha256('the jobs'));

      expect(name).toBe(`social-pulse-jobs-${sha256('the jobs').slice(0, 16)}.jar`);
      expect(jarId).toMatch(new RegExp(`^[0-9a-f-]{36}_${name.replace('.', '\\.')}$`));
      expect(flink.jars.get(jarId)).toMatchObject({ name, sha256: sha256('the jobs') });
      const [upload] = flink.requestsTo('POST', '/jars/upload');
      expect(upload.contentType).toMatch(/^multipart\/form-data; boundary=/);
      expect(upload.upload).toEqual({
        field: 'jarfile',
        filename: name,
        type: 'application/x-java-archive',
        size: 'the jobs'.length,
        sha256: sha256('the jobs'),
      });
    });

    it('should reuse the jar of the same version already on Flink, as deploys of one build at once do', async () => {
      const path = jarFile();
      const other = flink.addJar(jobsJarName(sha256('another build')));

      const first = await run(activities().uploadJar, path, sha256('PK jar bytes'));
      const second = await run(activities().uploadJar, path, sha256('PK jar bytes'));

      expect(second).toBe(first);
      expect(flink.requestsTo('POST', '/jars/upload')).toHaveLength(1);
      expect([...flink.jars.keys()].sort()).toEqual([first, other.id].sort());
    });

    it('should upload once for deploys of the same build asking at the same moment', async () => {
      const path = jarFile();
      const deploy = activities();

      const ids = await Promise.all([1, 2, 3, 4].map(() => run(deploy.uploadJar, path, sha256('PK jar bytes'))));

      expect(new Set(ids).size).toBe(1);
      expect(flink.requestsTo('POST', '/jars/upload')).toHaveLength(1);
    });

    it("should fail with Flink's error when it refuses the upload", async () => {
      flink.failNext('POST', '/jars/upload', {
        status: 500,
        errors: [
          'Internal server error.',
          '<Exception on server side:\njava.io.IOException: No space left on device\n\tat ...>',
        ],
      });

      const error = await failureOf(run(activities().uploadJar, jarFile(), sha256('PK jar bytes')));

      expect(error.message).toBe(
        'Flink jar upload answered 500: Internal server error.; <Exception on server side: | java.io.IOException: No space left on device | \tat ...>',
      );
      expect(isRetryable(error)).toBe(true);
    });

    it('should upload nothing when the jar file is not there', async () => {
      const error = await failureOf(run(activities().uploadJar, join(dir, 'missing.jar'), sha256('missing')));

      expect(error.message).toContain('ENOENT');
      expect(flink.requests.filter((request) => request.method !== 'GET')).toEqual([]);
    });
  });

  describe('findActiveJob', () => {
    it('should return null when no job of that name is active', async () => {
      flink.addJob({ name: 'another-job', state: 'RUNNING' });
      for (const state of ['FINISHED', 'CANCELED', 'FAILED', 'CANCELLING'] as JobState[]) {
        flink.addJob({ name: JOB_NAME, state });
      }

      expect(await run(activities().findActiveJob, JOB)).toBeNull();
      expect(flink.requestsTo('GET', '/jobs/overview')).toHaveLength(1);
    });

    it.each(['CREATED', 'INITIALIZING', 'RUNNING', 'RESTARTING'] as JobState[])(
      'should count a %s job as active',
      async (state) => {
        const job = flink.addJob({ name: JOB_NAME, state });

        expect(await run(activities().findActiveJob, JOB)).toMatchObject({ jobId: job.jid });
      },
    );

    it('should return the newest of several active jobs of that name', async () => {
      flink.addJob({ name: JOB_NAME, state: 'RUNNING', startTime: 1_000 });
      const newest = flink.addJob({ name: JOB_NAME, state: 'RESTARTING', startTime: 3_000 });
      flink.addJob({ name: JOB_NAME, state: 'RUNNING', startTime: 2_000 });
      flink.addJob({ name: JOB_NAME, state: 'FAILED', startTime: 4_000 });

      expect(await run(activities().findActiveJob, JOB)).toMatchObject({ jobId: newest.jid });
    });

    it("should fail with Flink's error when it cannot list the jobs", async () => {
      flink.failNext('GET', '/jobs/overview', {
        status: 503,
        errors: ['Service temporarily unavailable due to an ongoing leader election. Please refresh.'],
      });

      const error = await failureOf(run(activities().findActiveJob, JOB));

      expect(error.message).toBe(
        'Flink GET /jobs/overview answered 503: Service temporarily unavailable due to an ongoing leader election. Please refresh.',
      );
      expect(isRetryable(error)).toBe(true);
    });
  });

  describe('stopWithSavepoint', () => {
    it("should stop the job with a savepoint in the job's folder and return where it is", async () => {
      const job = flink.addJob({ name: JOB_NAME });
      flink.scriptNextSavepoint({ pollsBeforeDone: 2 });
      const before = Date.now();

      const { savepoint, stoppedAt } = await run(activities().stopWithSavepoint, job.jid, JOB);

      expect(savepoint).toBe(flink.savepoints[0].location);
      expect(savepoint).toMatch(new RegExp(`^file:${join(savepointDir, JOB)}/savepoint-${job.jid.slice(0, 6)}-`));
      expect(stoppedAt).toBeGreaterThanOrEqual(before);
      expect(stoppedAt).toBeLessThanOrEqual(Date.now());
      expect(flink.job(job.jid).state).toBe('FINISHED');
      const [stop] = flink.requestsTo('POST', `/jobs/${job.jid}/stop`);
      expect(stop.body).toEqual({ drain: false, targetDirectory: join(savepointDir, JOB) });
      const trigger = flink.savepoints[0].triggerId;
      expect(flink.requestsTo('GET', `/jobs/${job.jid}/savepoints/${trigger}`)).toHaveLength(3);
    });

    it('should heartbeat on every poll while the savepoint is in progress', async () => {
      const job = flink.addJob({ name: JOB_NAME });
      flink.scriptNextSavepoint({ pollsBeforeDone: 3 });

      const { heartbeats, result } = inActivity(activities().stopWithSavepoint, job.jid, JOB);
      await result;

      const polls = flink.requestsTo('GET', /^\/jobs\/[0-9a-f]+\/savepoints\//);
      expect(polls).toHaveLength(4);
      const trigger = flink.savepoints[0].triggerId;
      expect(heartbeats).toEqual(polls.map(() => ({ trigger, waiting: 'for the savepoint' })));
    });

    it('should poll the savepoint its killed attempt triggered, not stop the job again', async () => {
      const job = flink.addJob({ name: JOB_NAME });
      flink.scriptNextSavepoint({ pollsBeforeDone: 40 }); // 200 ms of polls at 5 ms
      const first = inActivity(activities().stopWithSavepoint, job.jid, JOB);
      await vi.waitFor(() => expect(first.heartbeats.length).toBeGreaterThanOrEqual(2), { interval: 1 });
      first.env.cancel(); // the worker dies here, the savepoint still in progress
      await first.result.catch(() => undefined);

      const retry = new MockActivityEnvironment({ heartbeatDetails: first.heartbeats.at(-1) });
      const { savepoint } = await retry.run<
        [string, typeof JOB],
        { savepoint: string },
        ReturnType<typeof activities>['stopWithSavepoint']
      >(activities().stopWithSavepoint, job.jid, JOB);

      expect(first.heartbeats.length).toBeLessThan(40);
      expect(savepoint).toBe(flink.savepoints[0].location);
      expect(flink.requestsTo('POST', `/jobs/${job.jid}/stop`)).toHaveLength(1);
    });

    it("should fail with the first line of Flink's cause when the savepoint fails, leaving the job running", async () => {
      const job = flink.addJob({ name: JOB_NAME });
      flink.scriptNextSavepoint({
        pollsBeforeDone: 1,
        failure:
          'java.util.concurrent.CompletionException: org.apache.flink.runtime.checkpoint.CheckpointException: Checkpoint expired before completing.\n\tat java.base/java.util.concurrent.CompletableFuture.encodeThrowable(CompletableFuture.java:332)',
      });

      const error = await failureOf(run(activities().stopWithSavepoint, job.jid, JOB));

      expect(error.message).toBe(
        'savepoint failed: java.util.concurrent.CompletionException: org.apache.flink.runtime.checkpoint.CheckpointException: Checkpoint expired before completing.',
      );
      // Retrying is right: the job still runs, so the next attempt can take the savepoint again.
      expect(isRetryable(error)).toBe(true);
      expect(flink.job(job.jid).state).toBe('RUNNING');
    });

    it('should fail rather than report a savepoint when the job has already stopped', async () => {
      // What a retry meets if the first attempt stopped the job but its reply was lost: the
      // activity is not idempotent, the stop is not repeated and no savepoint is made up.
      const job = flink.addJob({ name: JOB_NAME, state: 'FINISHED' });

      const error = await failureOf(run(activities().stopWithSavepoint, job.jid, JOB));

      expect(error.message).toBe(
        `savepoint failed: java.util.concurrent.CompletionException: org.apache.flink.runtime.messages.FlinkJobNotFoundException: Could not find Flink job (${job.jid})`,
      );
      expect(flink.savepoints.map((s) => s.location)).toEqual([undefined]);
    });

    it('should keep heartbeating while the savepoint does not complete, and stop polling once cancelled', async () => {
      const job = flink.addJob({ name: JOB_NAME });
      flink.scriptNextSavepoint({ pollsBeforeDone: null });

      const { env, heartbeats, result } = inActivity(activities().stopWithSavepoint, job.jid, JOB);
      await vi.waitFor(() => expect(heartbeats.length).toBeGreaterThanOrEqual(3));
      env.cancel();

      // The activity's own promise rejects only when its polling loop has ended.
      await expect(result).rejects.toBeInstanceOf(CancelledFailure);
      expect(flink.job(job.jid).state).toBe('RUNNING');
    });

    it("should fail with Flink's error when it refuses to stop the job", async () => {
      const job = flink.addJob({ name: JOB_NAME });
      flink.failNext('POST', `/jobs/${job.jid}/stop`, { status: 500, errors: ['Internal server error.'] });

      const error = await failureOf(run(activities().stopWithSavepoint, job.jid, JOB));

      expect(error.message).toBe(`Flink POST /jobs/${job.jid}/stop answered 500: Internal server error.`);
      expect(flink.savepoints).toEqual([]);
    });
  });

  describe('latestSavepoint', () => {
    it('should return null when the job has no savepoint folder', async () => {
      expect(await run(activities().latestSavepoint, JOB)).toBeNull();
    });

    it('should return the newest complete savepoint, skipping incomplete ones and other folders', async () => {
      savepointOnDisk('savepoint-aaaaaa-000000000001', new Date('2025-01-01T00:00:00Z'));
      const newest = savepointOnDisk('savepoint-aaaaaa-000000000002', new Date('2025-01-03T00:00:00Z'));
      savepointOnDisk('savepoint-aaaaaa-000000000003', new Date('2025-01-02T00:00:00Z'));
      // Newer still, but without _metadata: Flink was interrupted while writing it.
      mkdirSync(join(savepointDir, JOB, 'savepoint-aaaaaa-000000000004'));
      savepointOnDisk('chk-42', new Date('2025-01-04T00:00:00Z'));

      expect(await run(activities().latestSavepoint, JOB)).toBe(newest);
      expect(flink.requests).toEqual([]);
    });

    it('should find the savepoint that stopWithSavepoint took, on the disk Flink and the worker share', async () => {
      const job = flink.addJob({ name: JOB_NAME });
      const { savepoint } = await run(activities().stopWithSavepoint, job.jid, JOB);

      expect(await run(activities().latestSavepoint, JOB)).toBe(savepoint);
    });
  });

  describe('startJob', () => {
    it("should run the jar with the job's entry class, arguments and savepoint, and return the new job's id", async () => {
      const jar = flink.addJar();
      const savepoint = savepointOnDisk('savepoint-aaaaaa-000000000001');

      const jobId = await run(activities().startJob, jar.id, JOB, savepoint);

      expect(flink.job(jobId)).toMatchObject({
        name: JOB_NAME,
        submitted: { jarId: jar.id, savepointPath: savepoint },
      });
      const [request] = flink.requestsTo('POST', `/jars/${jar.id}/run`);
      expect(request.body).toEqual({
        entryClass: FLINK_JOBS.trending.entryClass,
        programArgsList: ['--job', JOB, '--kafka', 'kafka:9092'],
        savepointPath: savepoint,
        allowNonRestoredState: false,
        // The job, jar, arguments and scope recorded on the job (flink-jobs.ts), for a rescale.
        flinkConfiguration: jobTagsConfiguration({
          job: JOB,
          jar: jar.id,
          args: ['--job', JOB, '--kafka', 'kafka:9092'],
          scope: 'platform',
        }),
      });
    });

    it('should allow non-restored state only when asked', async () => {
      const jar = flink.addJar();
      const savepoint = savepointOnDisk('savepoint-aaaaaa-000000000001');

      const jobId = await run(activities().startJob, jar.id, JOB, savepoint, { allowNonRestoredState: true });

      const [request] = flink.requestsTo('POST', `/jars/${jar.id}/run`);
      expect(request.body).toMatchObject({ savepointPath: savepoint, allowNonRestoredState: true });
      expect(flink.job(jobId).submitted).toMatchObject({ savepointPath: savepoint, allowNonRestoredState: true });
    });

    it('should refuse non-restored state when the options say nothing of it', async () => {
      const jar = flink.addJar();
      const savepoint = savepointOnDisk('savepoint-aaaaaa-000000000001');

      await run(activities().startJob, jar.id, JOB, savepoint, {});

      const [request] = flink.requestsTo('POST', `/jars/${jar.id}/run`);
      expect(request.body).toMatchObject({ allowNonRestoredState: false });
    });

    it('should start from scratch, sending no savepoint path, when there is no savepoint', async () => {
      const jar = flink.addJar();

      const jobId = await run(activities().startJob, jar.id, JOB, null);

      const [request] = flink.requestsTo('POST', `/jars/${jar.id}/run`);
      expect(request.body).not.toHaveProperty('savepointPath');
      expect(flink.job(jobId).submitted?.savepointPath).toBeUndefined();
    });

    it('should submit another job on a second call, as nothing lets Flink recognise a retried start', async () => {
      const jar = flink.addJar();

      const first = await run(activities().startJob, jar.id, JOB, null);
      const second = await run(activities().startJob, jar.id, JOB, null);

      expect(second).not.toBe(first);
      expect([...flink.jobs.values()].filter((j) => j.state === 'RUNNING')).toHaveLength(2);
    });

    it("should fail with Flink's error when the jar is no longer on the cluster", async () => {
      const error = await failureOf(run(activities().startJob, 'gone_social-pulse-jobs.jar', JOB, null));

      expect(error.message).toMatch(
        /^Flink POST \/jars\/gone_social-pulse-jobs\.jar\/run answered 400: Jar file \/tmp\/flink-web-.+\/flink-web-upload\/gone_social-pulse-jobs\.jar does not exist$/,
      );
      expect(flink.jobs.size).toBe(0);
    });
  });

  describe('awaitHealthyJob', () => {
    it('should wait until the job runs and has completed a checkpoint, and say when each happened', async () => {
      const job = flink.addJob({
        name: JOB_NAME,
        script: { states: ['CREATED', 'INITIALIZING', 'RUNNING'], checkpointAfterPolls: 2 },
      });

      const { heartbeats, result } = inActivity(activities().awaitHealthyJob, job.jid);
      const { runningAt, checkpointedAt } = await result;

      expect(checkpointedAt).toBe(flink.job(job.jid).checkpoint?.latest_ack_timestamp);
      expect(runningAt).toBeLessThanOrEqual(checkpointedAt);
      expect(runningAt).toBeGreaterThanOrEqual(flink.job(job.jid).timestamps.RUNNING!);
      // Three polls to reach RUNNING, then two more until the third checkpoint poll finds one.
      expect(flink.requestsTo('GET', `/jobs/${job.jid}`)).toHaveLength(5);
      expect(flink.requestsTo('GET', `/jobs/${job.jid}/checkpoints`)).toHaveLength(3);
      expect(heartbeats).toEqual(Array(5).fill('waiting for RUNNING and a checkpoint'));
    });

    it('should fail with the root cause Flink recorded when the job fails after starting', async () => {
      const job = flink.addJob({
        name: JOB_NAME,
        script: {
          states: ['INITIALIZING', 'RUNNING', 'FAILED'],
          checkpointAfterPolls: null,
          failure:
            "java.lang.NoSuchMethodError: 'void dev.socialpulse.flink.trending.TrendingTopicsSettings.<init>()'\n\tat dev.socialpulse.flink.trending.TrendingTopicsJob.main(TrendingTopicsJob.java:41)",
        },
      });

      const error = await failureOf(run(activities().awaitHealthyJob, job.jid));

      expect(error.message).toBe(
        `job ${job.jid} ended as FAILED: java.lang.NoSuchMethodError: 'void dev.socialpulse.flink.trending.TrendingTopicsSettings.<init>()'`,
      );
      expect(isRetryable(error)).toBe(true);
      expect(flink.requestsTo('GET', `/jobs/${job.jid}/exceptions`)).toHaveLength(1);
    });

    it('should report a job that could not restore its savepoint as failed during initialisation', async () => {
      const jar = flink.addJar();
      const jobId = await run(activities().startJob, jar.id, JOB, `file:${join(savepointDir, JOB, 'savepoint-gone')}`);

      const error = await failureOf(run(activities().awaitHealthyJob, jobId));

      expect(error.message).toBe(
        `job ${jobId} ended as FAILED: org.apache.flink.runtime.client.JobInitializationException: Could not start the JobMaster.`,
      );
    });

    it("should fail non-retryably, naming the operator, when Flink cannot map the savepoint's state to the new program", async () => {
      const jar = flink.addJar();
      const savepoint = savepointOnDisk('savepoint-aaaaaa-000000000001');
      flink.scriptNextJob({ unmappedOperators: [COUNT_MENTIONS_ID, RANK_TOP_TOPICS_ID] });
      const jobId = await run(activities().startJob, jar.id, JOB, savepoint);

      const error = await failureOf(run(activities().awaitHealthyJob, jobId));

      expect(error).toBeInstanceOf(ApplicationFailure);
      expect(error).toMatchObject({
        type: UNMAPPED_SAVEPOINT_STATE,
        nonRetryable: true,
        // Flink stops at the first operator it cannot map, and names it twice in the cause chain.
        details: [{ operators: [COUNT_MENTIONS_ID] }],
      });
      expect(error.message).toBe(
        `job ${jobId} ended as FAILED: its savepoint has state of operator ${COUNT_MENTIONS_ID}, which the new program does not have`,
      );
      expect(isRetryable(error)).toBe(false);
    });

    it('should fail non-retryably, naming the operator, when Flink refuses the savepoint at submission', async () => {
      const jar = flink.addJar();
      const savepoint = savepointOnDisk('savepoint-aaaaaa-000000000001');
      // What Flink 2.2's session cluster answered when a uid had been renamed (trimmed).
      flink.failNext('POST', `/jars/${jar.id}/run`, {
        status: 400,
        errors: [
          'org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute application.\n' +
            '\tat org.apache.flink.runtime.webmonitor.handlers.JarRunHandler.lambda$handleRequest$1(JarRunHandler.java:114)\n' +
            `Caused by: java.lang.IllegalStateException: Failed to rollback to checkpoint/savepoint ${savepoint}. ` +
            `Cannot map checkpoint/savepoint state for operator ${COUNT_MENTIONS_ID} to the new program, because the operator is not available in the new program.`,
        ],
      });

      const error = await failureOf(run(activities().startJob, jar.id, JOB, savepoint));

      expect(error).toBeInstanceOf(ApplicationFailure);
      expect(error).toMatchObject({
        type: UNMAPPED_SAVEPOINT_STATE,
        nonRetryable: true,
        details: [{ operators: [COUNT_MENTIONS_ID] }],
      });
      expect(error.message).toBe(
        `the job was refused: its savepoint has state of operator ${COUNT_MENTIONS_ID}, which the new program does not have`,
      );
    });

    it("should leave any other refusal at submission retryable, with Flink's first lines", async () => {
      const jar = flink.addJar();
      flink.failNext('POST', `/jars/${jar.id}/run`, {
        status: 400,
        errors: ['Could not execute application.\nsomething else'],
      });

      const error = await failureOf(run(activities().startJob, jar.id, JOB, null));

      expect(error.message).toContain('answered 400: Could not execute application. | something else');
      expect(isRetryable(error)).toBe(true);
    });

    it('should run healthy from the same savepoint once non-restored state is allowed', async () => {
      const jar = flink.addJar();
      const savepoint = savepointOnDisk('savepoint-aaaaaa-000000000001');
      flink.scriptNextJob({ unmappedOperators: [COUNT_MENTIONS_ID], states: ['INITIALIZING', 'RUNNING'] });
      const jobId = await run(activities().startJob, jar.id, JOB, savepoint, { allowNonRestoredState: true });

      const { checkpointedAt } = await run(activities().awaitHealthyJob, jobId);

      expect(checkpointedAt).toBe(flink.job(jobId).checkpoint?.latest_ack_timestamp);
      expect(flink.job(jobId).state).toBe('RUNNING');
    });

    it('should not mistake another initialisation failure for unmapped state', async () => {
      const jar = flink.addJar();
      const jobId = await run(activities().startJob, jar.id, JOB, `file:${join(savepointDir, JOB, 'savepoint-gone')}`);

      const error = await failureOf(run(activities().awaitHealthyJob, jobId));

      expect(error).not.toBeInstanceOf(ApplicationFailure);
      expect(isRetryable(error)).toBe(true);
    });

    it('should fail when the job is cancelled while it waits', async () => {
      const job = flink.addJob({
        name: JOB_NAME,
        script: { states: ['RUNNING', 'CANCELED'], checkpointAfterPolls: null },
      });

      const error = await failureOf(run(activities().awaitHealthyJob, job.jid));

      expect(error.message).toBe(`job ${job.jid} ended as CANCELED: no exception recorded`);
    });

    it('should still name the final state when Flink cannot tell why the job failed', async () => {
      const job = flink.addJob({ name: JOB_NAME, state: 'FAILED' });
      flink.failNext('GET', `/jobs/${job.jid}/exceptions`, { status: 500 });

      const error = await failureOf(run(activities().awaitHealthyJob, job.jid));

      expect(error.message).toBe(`job ${job.jid} ended as FAILED: no exception recorded`);
    });

    it('should give up after the healthy timeout when no checkpoint completes', async () => {
      const job = flink.addJob({ name: JOB_NAME, script: { checkpointAfterPolls: null } });

      const { heartbeats, result } = inActivity(activities({ healthyTimeoutMs: 200 }).awaitHealthyJob, job.jid);
      const error = await failureOf(result);

      expect(error.message).toBe(`job ${job.jid} was not running with a completed checkpoint within 0.2 s`);
      expect(isRetryable(error)).toBe(true);
      expect(heartbeats.length).toBeGreaterThan(1);
      expect(flink.job(job.jid).state).toBe('RUNNING');
    });

    it('should stop polling once the activity is cancelled', async () => {
      const job = flink.addJob({ name: JOB_NAME, script: { checkpointAfterPolls: null } });

      const { env, result } = inActivity(activities().awaitHealthyJob, job.jid);
      await vi.waitFor(() => expect(flink.requestsTo('GET', `/jobs/${job.jid}`).length).toBeGreaterThanOrEqual(2));
      env.cancel();

      await expect(result).rejects.toBeInstanceOf(CancelledFailure);
    });

    it("should fail with Flink's error when it does not know the job", async () => {
      const unknown = '0123456789abcdef0123456789abcdef';

      const error = await failureOf(run(activities().awaitHealthyJob, unknown));

      expect(error.message).toMatch(
        new RegExp(
          `^Flink GET /jobs/${unknown} answered 404: org\\.apache\\.flink\\.runtime\\.rest\\.NotFoundException: Job ${unknown} not found \\| \\tat `,
        ),
      );
    });
  });

  describe('cancelJob', () => {
    it('should cancel a running job', async () => {
      const job = flink.addJob({ name: JOB_NAME });

      await run(activities().cancelJob, job.jid);

      expect(flink.job(job.jid).state).toBe('CANCELED');
      const [request] = flink.requestsTo('PATCH', `/jobs/${job.jid}`);
      expect(request.query).toEqual({ mode: 'cancel' });
    });

    it('should succeed again for a job that is already cancelled', async () => {
      const job = flink.addJob({ name: JOB_NAME });

      await run(activities().cancelJob, job.jid);
      await run(activities().cancelJob, job.jid);

      expect(flink.requestsTo('PATCH', `/jobs/${job.jid}`)).toHaveLength(2);
      expect(flink.job(job.jid).state).toBe('CANCELED');
    });

    it('should fail for a job that already ended otherwise, as Flink refuses it', async () => {
      // The workflow ignores this failure: a failed job needs no cancelling before the rollback.
      const job = flink.addJob({ name: JOB_NAME, state: 'FAILED' });

      const error = await failureOf(run(activities().cancelJob, job.jid));

      expect(error.message).toBe(
        `Flink PATCH /jobs/${job.jid}?mode=cancel answered 409: Job cancellation failed because the job has already reached another terminal state (FAILED).`,
      );
    });

    it('should fail for a job Flink does not know', async () => {
      const unknown = '0123456789abcdef0123456789abcdef';

      const error = await failureOf(run(activities().cancelJob, unknown));

      expect(error.message).toBe(`Flink PATCH /jobs/${unknown}?mode=cancel answered 404: Job could not be found.`);
    });
  });

  describe('listJars', () => {
    it('should list the jar ids newest first', async () => {
      const oldest = flink.addJar(JAR_NAME, 1_000);
      const newest = flink.addJar(JAR_NAME, 3_000);
      const middle = flink.addJar(JAR_NAME, 2_000);

      expect(await run(activities().listJars)).toEqual([newest.id, middle.id, oldest.id]);
    });

    it('should return an empty list on a cluster without jars', async () => {
      expect(await run(activities().listJars)).toEqual([]);
    });
  });

  describe('deleteJar', () => {
    it('should delete the failed jar with every other upload of its version, and nothing else', async () => {
      const failed = flink.addJar(jobsJarName(sha256('failed build')));
      const sameBuild = flink.addJar(jobsJarName(sha256('failed build')));
      const previous = flink.addJar(jobsJarName(sha256('previous')));

      await run(activities().deleteJar, failed.id);
      await run(activities().deleteJar, failed.id);

      expect([...flink.jars.keys()]).toEqual([previous.id]);
      expect(
        flink
          .requestsTo('DELETE', /^\/jars\//)
          .map((r) => r.path)
          .sort(),
      ).toEqual([failed.id, sameBuild.id].map((id) => `/jars/${id}`).sort());
    });
  });

  describe('pruneJars', () => {
    it('should delete every jar but the kept ones and count them', async () => {
      const keep = [flink.addJar(), flink.addJar()].map((jar) => jar.id);
      const extra = [flink.addJar(), flink.addJar(), flink.addJar()].map((jar) => jar.id);

      expect(await run(activities().pruneJars, keep)).toBe(3);

      expect([...flink.jars.keys()].sort()).toEqual([...keep].sort());
      // Newest first.
      expect(flink.requestsTo('DELETE', /^\/jars\//).map((r) => r.path)).toEqual(
        extra.reverse().map((id) => `/jars/${id}`),
      );
    });

    it('should keep every upload of a kept version, as a deploy of the same build beside this one uploaded it', async () => {
      const build = flink.addJar(jobsJarName(sha256('build')));
      const sameBuild = flink.addJar(jobsJarName(sha256('build')));
      const previous = flink.addJar(jobsJarName(sha256('previous')));
      const older = flink.addJar(jobsJarName(sha256('older')));

      expect(await run(activities().pruneJars, [build.id, previous.id])).toBe(1);

      expect([...flink.jars.keys()].sort()).toEqual([build.id, sameBuild.id, previous.id].sort());
      expect(flink.jars.has(older.id)).toBe(false);
    });

    it('should delete nothing the second time', async () => {
      const keep = [flink.addJar().id];
      flink.addJar();
      await run(activities().pruneJars, keep);

      expect(await run(activities().pruneJars, keep)).toBe(0);
      expect(flink.requestsTo('DELETE', /^\/jars\//)).toHaveLength(1);
    });

    it('should fail when Flink refuses a delete, and finish the job when retried', async () => {
      const keep = [flink.addJar().id];
      // Deleted newest first: the second, then the first.
      const [second, first] = [flink.addJar().id, flink.addJar().id];
      flink.failNext('DELETE', `/jars/${second}`, { status: 500, errors: [`Failed to delete jar ${second}.`] });

      const error = await failureOf(run(activities().pruneJars, keep));
      expect(error.message).toBe(`Flink DELETE /jars/${second} answered 500: Failed to delete jar ${second}.`);
      expect(flink.jars.has(first)).toBe(false);

      expect(await run(activities().pruneJars, keep)).toBe(1);
      expect([...flink.jars.keys()]).toEqual(keep);
    });
  });

  describe('the steps of a deploy, in the order the workflow takes them', () => {
    /** The cluster a deploy meets: the previous jar's job running, and the new jar on disk. */
    function runningOldVersion() {
      const previousJar = flink.addJar();
      const old = flink.addJob({ name: JOB_NAME, startTime: Date.now() - 60_000 });
      mkdirSync(join(projectDir, 'target'));
      writeFileSync(join(projectDir, 'target', JAR_NAME), 'new jobs');
      return { previousJar, old };
    }

    it("should restore the previous jar from the old job's savepoint when the new program cannot take its state", async () => {
      // The trending job's operators changed uids: the new jar refuses the savepoint, the old jar takes it whole.
      const deploy = activities();
      const { previousJar } = runningOldVersion();
      flink.scriptNextJob({ unmappedOperators: [COUNT_MENTIONS_ID] });

      const jar = await run(deploy.prepareJobJar);
      const jarId = await run(deploy.uploadJar, jar.path, jar.sha256);
      const { savepoint } = await run(deploy.stopWithSavepoint, (await run(deploy.findActiveJob, JOB))!.jobId, JOB);
      const failed = await run(deploy.startJob, jarId, JOB, savepoint);
      const error = await failureOf(run(deploy.awaitHealthyJob, failed));
      const restored = await run(deploy.startJob, previousJar.id, JOB, savepoint);
      await run(deploy.awaitHealthyJob, restored);

      expect(error).toMatchObject({ type: UNMAPPED_SAVEPOINT_STATE });
      expect(flink.job(failed).state).toBe('FAILED');
      expect(flink.job(restored)).toMatchObject({
        state: 'RUNNING',
        submitted: { jarId: previousJar.id, savepointPath: savepoint, allowNonRestoredState: false },
      });
    });

    it('should upgrade from the old savepoint, dropping the removed operators, when non-restored state is allowed', async () => {
      const deploy = activities();
      const { old } = runningOldVersion();
      flink.scriptNextJob({ unmappedOperators: [COUNT_MENTIONS_ID, RANK_TOP_TOPICS_ID] });

      const jar = await run(deploy.prepareJobJar);
      const jarId = await run(deploy.uploadJar, jar.path, jar.sha256);
      const { savepoint } = await run(deploy.stopWithSavepoint, old.jid, JOB);
      const jobId = await run(deploy.startJob, jarId, JOB, savepoint, { allowNonRestoredState: true });
      await run(deploy.awaitHealthyJob, jobId);

      expect(flink.job(jobId)).toMatchObject({
        state: 'RUNNING',
        submitted: { jarId, savepointPath: savepoint, allowNonRestoredState: true },
      });
    });

    it('should replace the running job by one from the new jar, restored from the savepoint of the old one', async () => {
      // The contract between the steps: each one's output is what the next one sends to Flink.
      const deploy = activities();
      const previousJar = flink.addJar();
      const old = flink.addJob({ name: JOB_NAME, startTime: Date.now() - 60_000 });
      mkdirSync(join(projectDir, 'target'));
      writeFileSync(join(projectDir, 'target', JAR_NAME), 'new jobs');
      flink.scriptNextSavepoint({ pollsBeforeDone: 1 });
      flink.scriptNextJob({ states: ['INITIALIZING', 'RUNNING'], checkpointAfterPolls: 1 });

      const jar = await run(deploy.prepareJobJar);
      const previousJars = await run(deploy.listJars);
      const jarId = await run(deploy.uploadJar, jar.path, jar.sha256);
      const running = await run(deploy.findActiveJob, JOB);
      const { savepoint } = await run(deploy.stopWithSavepoint, running!.jobId, JOB);
      const jobId = await run(deploy.startJob, jarId, JOB, savepoint);
      await run(deploy.awaitHealthyJob, jobId);
      const pruned = await run(deploy.pruneJars, [jarId, ...previousJars.slice(0, 1)]);

      expect(running).toEqual({ jobId: old.jid, parallelism: 1 });
      expect(flink.job(old.jid).state).toBe('FINISHED');
      expect(flink.job(jobId)).toMatchObject({ state: 'RUNNING', submitted: { jarId, savepointPath: savepoint } });
      expect(flink.jars.get(jarId)?.sha256).toBe(jar.sha256);
      expect(pruned).toBe(0);
      expect([...flink.jars.keys()].sort()).toEqual([jarId, previousJar.id].sort());
    });
  });
});
