import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { FLINK_JOBS, jobsJarBuild, jobsJarName, jobsJarVersion, type FlinkJobKey } from '@social-pulse/shared';
import {
  DEFAULT_JOB_HEALTH_THRESHOLDS,
  jobMetricIds,
  sampleJobHealth,
  unhealthySignal,
  type JobHealthSample,
  type JobHealthThresholds,
  type JobHealthVerdict,
} from './flink-job-health';
import { FlinkRest, FlinkRestError } from './flink-rest';
import { PLATFORM_SCOPE, activeScopedJobs, jobTagsConfiguration } from './flink-jobs';
import { whileHeartbeating } from './heartbeat';

export interface FlinkDeployDeps {
  flinkRestUrl: string;
  /** The Maven project of the jobs; its jar is built when missing or older than its sources. */
  flinkProjectDir: string;
  /** Where savepoints go, one folder per job; Flink and the worker share this disk. */
  savepointDir: string;
  /** Program arguments of each job, from the worker's configuration. */
  jobArguments: (job: FlinkJobKey) => string[];
  /** How long a new job may take to be running with a completed checkpoint. */
  healthyTimeoutMs?: number;
  /** Pause between two polls of Flink while waiting for a savepoint or a healthy job (tests shorten it). */
  pollIntervalMs?: number;
  /** Heartbeat interval while Maven builds the jar (tests shorten it). */
  buildHeartbeatMs?: number;
  /** Recorded on every job started (flink-jobs.ts); default PLATFORM_SCOPE. */
  scope?: string;
  /** Pause between two health samples of a new job under watch; default 2 s. */
  watchSampleMs?: number;
  /** What makes a new job under watch unhealthy; default DEFAULT_JOB_HEALTH_THRESHOLDS. */
  healthThresholds?: JobHealthThresholds;
}

/** How a new job did during its watch period: healthy, or the first signal that condemned it. */
export interface JobWatchResult {
  healthy: boolean;
  verdict: JobHealthVerdict | null;
  samples: number;
  watchedMs: number;
  /** The first and last readings, for the result and for people. */
  first: JobHealthSample | null;
  last: JobHealthSample | null;
}

/**
 * The failure type of a job that Flink refused to start because its savepoint holds state of
 * operators the new program does not have (a uid removed or renamed). Retrying cannot help:
 * only a start with `allowNonRestoredState` can. The workflow tells it apart by this type.
 */
export const UNMAPPED_SAVEPOINT_STATE = 'UnmappedSavepointState';

/** The details of an UNMAPPED_SAVEPOINT_STATE failure. */
export interface UnmappedSavepointStateDetails {
  /** The operator ids Flink named (hashes of their uids); Flink stops at the first it cannot map. */
  operators: string[];
}

export interface StartJobOptions {
  /** Drop the savepoint's state of operators the new program no longer has, instead of refusing to start. */
  allowNonRestoredState?: boolean;
  /** The job's parallelism; default the cluster's (parallelism.default). A rescale sets it. */
  parallelism?: number;
  /** The program arguments, instead of the worker's for the job: a rescale restarts the program as it ran. */
  programArgs?: string[];
  /**
   * The new job's id (32 hex digits). With it a retried start is recognised: Flink refuses a
   * second submission of the id (DuplicateJobSubmissionException) and the id is returned.
   */
  jobId?: string;
}

// Flink's words when a savepoint has state of an operator the program lacks (Checkpoints.loadAndValidateCheckpoint).
const UNMAPPED_STATE = /Cannot map checkpoint\/savepoint state for operator ([0-9a-f]{32}) to the new program/g;
// Temporal's sleep rejects with a CancelledFailure once the activity is cancelled; setTimeout would poll on.
const sleep = (ms: number) => Context.current().sleep(ms);

/** Activities of the Flink deploy workflow: each is one step an operator would take by hand. */
export function createFlinkDeployActivities(deps: FlinkDeployDeps) {
  const rest = new FlinkRest(deps.flinkRestUrl);
  const jarPath = join(deps.flinkProjectDir, 'target', 'social-pulse-jobs.jar');
  const pollMs = deps.pollIntervalMs ?? 500;
  const uploads = new Map<string, Promise<string>>();
  const listJarIds = async (): Promise<string[]> => {
    const { files } = await rest.json<{ files: { id: string; uploaded: number }[] }>('GET', '/jars');
    return files.sort((a, b) => b.uploaded - a.uploaded).map((f) => f.id);
  };

  /** When a job ended (by Flink's clock) and its state; endTime null while it runs or when Flink forgot it. */
  const jobEnd = (jobId: string) =>
    rest
      .json<{ state: string; 'end-time'?: number }>('GET', `/jobs/${jobId}`)
      .then((overview) => ({
        state: overview.state,
        endTime: overview['end-time'] !== undefined && overview['end-time'] > 0 ? overview['end-time'] : null,
      }))
      .catch(() => ({ state: 'UNKNOWN', endTime: null }));

  /** A job that already ended with a savepoint (a stop whose attempt died): that savepoint and when. */
  const stoppedWithSavepoint = async (jobId: string) => {
    const { state, endTime } = await jobEnd(jobId);
    if (state !== 'FINISHED' || endTime === null) return null;
    const history = await rest
      .json<{ latest?: { savepoint?: { status?: string; external_path?: string } | null } }>(
        'GET',
        `/jobs/${jobId}/checkpoints`,
      )
      .catch(() => undefined);
    const savepoint = history?.latest?.savepoint;
    return savepoint?.status === 'COMPLETED' && savepoint.external_path
      ? { savepoint: savepoint.external_path, stoppedAt: endTime }
      : null;
  };

  return {
    /** Locates the jobs jar, building it with Maven when it is missing or stale. */
    async prepareJobJar(): Promise<{ path: string; sha256: string; built: boolean }> {
      // Without pom.xml this is a deployed image that ships only the jar: use it as it is.
      const buildable = existsSync(join(deps.flinkProjectDir, 'pom.xml'));
      const built =
        buildable && (!existsSync(jarPath) || newestSource(deps.flinkProjectDir) > statSync(jarPath).mtimeMs);
      if (built) await mavenPackage(deps.flinkProjectDir, deps.buildHeartbeatMs ?? 1000);
      if (!existsSync(jarPath)) throw new Error(`no jobs jar at ${jarPath} and no Maven project to build it from`);
      return { path: jarPath, sha256: await jarHash(jarPath), built };
    },

    /**
     * The jar of this build on Flink: one already uploaded (by a deploy of another job of the same
     * build), else uploaded now under its version's name (jobsJarName).
     */
    async uploadJar(path: string, sha256: string): Promise<string> {
      // Deploys at once on this worker share one upload rather than each sending the jar.
      let upload = uploads.get(sha256);
      if (!upload) {
        upload = (async () => {
          const [uploaded] = (await listJarIds()).filter((id) => jobsJarVersion(id) === jobsJarBuild(sha256));
          return uploaded ?? rest.uploadJar(path, jobsJarName(sha256));
        })().finally(() => uploads.delete(sha256));
        uploads.set(sha256, upload);
      }
      return upload;
    },

    /**
     * The worker's own job of that name that is running (or about to), if any, and its parallelism
     * (a rescale's, which the new version keeps). Jobs of other scopes (a test's) are not its own.
     */
    async findActiveJob(job: FlinkJobKey): Promise<{ jobId: string; parallelism: number | null } | null> {
      const [newest] = await activeScopedJobs(rest, deps.scope ?? PLATFORM_SCOPE, job);
      if (!newest) return null;
      const config = await rest
        .json<{ 'execution-config'?: { 'job-parallelism'?: number } }>('GET', `/jobs/${newest.jid}/config`)
        .catch(() => undefined);
      const parallelism = config?.['execution-config']?.['job-parallelism'];
      return {
        jobId: newest.jid,
        parallelism: typeof parallelism === 'number' && parallelism > 0 ? parallelism : null,
      };
    },

    /**
     * Stops a job after taking a savepoint; returns the savepoint and when the job stopped (by
     * Flink's clock). Safe to retry after its worker died: a job already stopped with a savepoint
     * is not stopped again (Flink no longer knows it as running), its savepoint is read from its
     * checkpoint history; a stop under way is polled through the trigger kept in the heartbeats.
     */
    async stopWithSavepoint(jobId: string, job: FlinkJobKey): Promise<{ savepoint: string; stoppedAt: number }> {
      const context = Context.current();
      const stopped = await stoppedWithSavepoint(jobId);
      if (stopped) return stopped;
      const earlier = context.info.heartbeatDetails as { trigger?: string } | undefined;
      const trigger =
        earlier?.trigger ??
        (
          await rest.json<{ 'request-id': string }>('POST', `/jobs/${jobId}/stop`, {
            drain: false,
            targetDirectory: join(deps.savepointDir, job),
          })
        )['request-id'];
      for (;;) {
        context.heartbeat({ trigger, waiting: 'for the savepoint' });
        const status = await rest.json<{
          status: { id: string };
          operation?: { location?: string; 'failure-cause'?: { 'stack-trace': string } };
        }>('GET', `/jobs/${jobId}/savepoints/${trigger}`);
        if (status.status.id === 'COMPLETED') {
          const failure = status.operation?.['failure-cause'];
          if (failure) {
            // The stop finished while no attempt watched it: Flink forgot the operation, not the savepoint.
            const finished = await stoppedWithSavepoint(jobId);
            if (finished) return finished;
            throw new Error(`savepoint failed: ${failure['stack-trace'].split('\n')[0]}`);
          }
          const { endTime } = await jobEnd(jobId);
          return { savepoint: status.operation!.location!, stoppedAt: endTime ?? Date.now() };
        }
        await sleep(pollMs);
      }
    },

    /** The newest complete savepoint of a job, e.g. the one `pulse down` took. */
    async latestSavepoint(job: FlinkJobKey): Promise<string | null> {
      const dir = join(deps.savepointDir, job);
      if (!existsSync(dir)) return null;
      const complete = readdirSync(dir)
        .filter((name) => name.startsWith('savepoint-') && existsSync(join(dir, name, '_metadata')))
        .map((name) => ({ path: join(dir, name), at: statSync(join(dir, name, '_metadata')).mtimeMs }))
        .sort((a, b) => b.at - a.at);
      return complete[0] ? `file:${complete[0].path}` : null;
    },

    /** Submits the job from the jar; `allowNonRestoredState` only when asked (a rollback never asks). */
    async startJob(
      jarId: string,
      job: FlinkJobKey,
      savepoint: string | null,
      options: StartJobOptions = {},
    ): Promise<string> {
      const programArgs = options.programArgs ?? deps.jobArguments(job);
      try {
        // Flink runs the program's main before it answers (seconds under load): heartbeats meanwhile let
        // a short heartbeat timeout find a killed worker, while the job may be stopped.
        const submit = () =>
          rest.json<{ jobid: string }>('POST', `/jars/${jarId}/run`, {
            entryClass: FLINK_JOBS[job].entryClass,
            programArgsList: programArgs,
            savepointPath: savepoint ?? undefined,
            allowNonRestoredState: options.allowNonRestoredState === true,
            parallelism: options.parallelism,
            jobId: options.jobId,
            // Recorded on the job, so that a rescale can restart the same jar with the same arguments.
            flinkConfiguration: jobTagsConfiguration({
              job,
              jar: jarId,
              args: programArgs,
              scope: deps.scope ?? PLATFORM_SCOPE,
            }),
          });
        const { jobid } = await whileHeartbeating(() => 'submitting the job', 500, submit);
        return jobid;
      } catch (error) {
        // The submission of an attempt whose answer was lost: that job is the one started.
        if (
          options.jobId &&
          error instanceof FlinkRestError &&
          /DuplicateJobSubmissionException/.test(error.errors.join('\n'))
        )
          return options.jobId;
        // Flink may refuse the savepoint at submission (answering 400) rather than fail the job.
        const operators = error instanceof FlinkRestError ? unmappedOperators(error.errors) : [];
        if (operators.length > 0) throw unmappedStateFailure('the job was refused', operators);
        throw error;
      }
    },

    /** Waits until the job runs and has completed a checkpoint after it started. */
    async awaitHealthyJob(jobId: string): Promise<{ runningAt: number; checkpointedAt: number }> {
      const deadline = Date.now() + (deps.healthyTimeoutMs ?? 120_000);
      let runningAt: number | undefined;
      while (Date.now() < deadline) {
        Context.current().heartbeat('waiting for RUNNING and a checkpoint');
        const { state } = await rest.json<{ state: string }>('GET', `/jobs/${jobId}`);
        if (state === 'FAILED' || state === 'CANCELED' || state === 'FINISHED') {
          // Flink 2.x answers with the exception history only (newest first); `root-exception` is gone.
          const exceptions = await rest
            .json<{ exceptionHistory?: { entries?: { stacktrace: string }[] } }>('GET', `/jobs/${jobId}/exceptions`)
            .catch(() => undefined);
          const entries = exceptions?.exceptionHistory?.entries ?? [];
          const cause = entries[0]?.stacktrace.split('\n')[0] ?? 'no exception recorded';
          // The refusal is a `Caused by` deep in a JobInitializationException, never its first line.
          const operators = unmappedOperators(entries.map((entry) => entry.stacktrace));
          if (operators.length > 0) throw unmappedStateFailure(`job ${jobId} ended as ${state}`, operators);
          throw new Error(`job ${jobId} ended as ${state}: ${cause}`);
        }
        if (state === 'RUNNING') {
          runningAt ??= Date.now();
          const checkpoints = await rest.json<{ latest?: { completed?: { latest_ack_timestamp: number } | null } }>(
            'GET',
            `/jobs/${jobId}/checkpoints`,
          );
          const completed = checkpoints.latest?.completed;
          if (completed) return { runningAt, checkpointedAt: completed.latest_ack_timestamp };
        }
        await sleep(pollMs);
      }
      throw new Error(
        `job ${jobId} was not running with a completed checkpoint within ${(deps.healthyTimeoutMs ?? 120_000) / 1000} s`,
      );
    },

    /**
     * Watches a new job for `watchMs`, sampling its metrics: restarts or failed checkpoints end the
     * watch at once as unhealthy; sources emitting while its sinks take nothing, or a Kafka lag that
     * grows at every sample, make it unhealthy at the end. Heartbeats throughout, so a dead worker
     * is noticed and the watch simply starts again on the next one (it only reads).
     */
    async watchNewJob(jobId: string, watchMs: number): Promise<JobWatchResult> {
      const thresholds = deps.healthThresholds ?? DEFAULT_JOB_HEALTH_THRESHOLDS;
      const started = Date.now();
      const samples: JobHealthSample[] = [];
      let verdict: JobHealthVerdict | null = null;
      const result = (verdict: JobHealthVerdict | null): JobWatchResult => ({
        healthy: verdict === null,
        verdict,
        samples: samples.length,
        watchedMs: Date.now() - started,
        first: samples[0] ?? null,
        last: samples.at(-1) ?? null,
      });
      // Heartbeats every half second, samples or not: a sample's requests take seconds when Flink is
      // busy (deploys at once), and the 3 s heartbeat timeout is for a dead worker, not a slow Flink.
      return whileHeartbeating(
        () => ({ samples: samples.length, verdict }),
        500,
        async () => {
          const ids = await jobMetricIds(rest, jobId);
          for (;;) {
            samples.push(await sampleJobHealth(rest, jobId, ids));
            const final = Date.now() - started >= watchMs;
            verdict = unhealthySignal(samples, thresholds, final);
            if (verdict || final) return result(verdict);
            await sleep(Math.min(deps.watchSampleMs ?? 2_000, Math.max(0, started + watchMs - Date.now())));
          }
        },
      );
    },

    async cancelJob(jobId: string): Promise<void> {
      await rest.json('PATCH', `/jobs/${jobId}?mode=cancel`);
    },

    /** Jar ids on the cluster, newest first. */
    listJars: listJarIds,

    /**
     * Deletes a jar that failed, with every other upload of its version, so that no later rollback
     * can pick that version; gone already is fine.
     */
    async deleteJar(jarId: string): Promise<void> {
      for (const id of (await listJarIds()).filter((other) => jobsJarVersion(other) === jobsJarVersion(jarId))) {
        await rest.json('DELETE', `/jars/${id}`).catch((error: unknown) => {
          if (!(error instanceof FlinkRestError && /answered 404/.test(error.message))) throw error;
        });
      }
    },

    /**
     * Keeps the jars of the versions of `keep` (the deployed one and the one a rollback would
     * restore) and deletes the rest: a deploy of the same version running beside this one keeps its jar.
     */
    async pruneJars(keep: string[]): Promise<number> {
      const versions = new Set(keep.map(jobsJarVersion));
      const extra = (await listJarIds()).filter((id) => !versions.has(jobsJarVersion(id)));
      for (const id of extra) await rest.json('DELETE', `/jars/${id}`);
      return extra.length;
    },
  };
}

export type FlinkDeployActivities = ReturnType<typeof createFlinkDeployActivities>;

/** Non-retryable: only a start with allowNonRestoredState can get past it (the workflow names that remedy). */
function unmappedStateFailure(what: string, operators: string[]): ApplicationFailure {
  return ApplicationFailure.create({
    type: UNMAPPED_SAVEPOINT_STATE,
    message: `${what}: its savepoint has state of operator ${operators.join(', ')}, which the new program does not have`,
    nonRetryable: true,
    details: [{ operators } satisfies UnmappedSavepointStateDetails],
  });
}

/** The operator ids of every unmapped-state refusal in these stack traces, each once, in order. */
function unmappedOperators(stacktraces: string[]): string[] {
  const ids = stacktraces.flatMap((trace) => [...trace.matchAll(UNMAPPED_STATE)].map((match) => match[1]));
  return [...new Set(ids)];
}

const jarHashes = new Map<string, { stamp: string; sha256: Promise<string> }>();

/**
 * The jar's sha-256, read as a stream (the worker heartbeats other activities meanwhile), once per
 * version of the file: the bootstrap's deploys all ask at the same moment.
 */
function jarHash(path: string): Promise<string> {
  const { mtimeMs, size } = statSync(path);
  const stamp = `${mtimeMs}:${size}`;
  const known = jarHashes.get(path);
  if (known?.stamp === stamp) return known.sha256;
  const sha256 = new Promise<string>((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
  sha256.catch(() => jarHashes.delete(path));
  jarHashes.set(path, { stamp, sha256 });
  return sha256;
}

function newestSource(projectDir: string): number {
  let newest = statSync(join(projectDir, 'pom.xml')).mtimeMs;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(join(projectDir, 'src', 'main'));
  return newest;
}

/** Builds the jar (tests run in CI, not in a deploy), heartbeating so Temporal knows it lives. */
function mavenPackage(projectDir: string, heartbeatMs: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('mvn', ['-B', '-q', '-f', join(projectDir, 'pom.xml'), 'package', '-DskipTests'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-8000)));
    child.stderr.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-8000)));
    const beat = setInterval(() => Context.current().heartbeat('building the jobs jar'), heartbeatMs);
    child.on('error', (error) => {
      clearInterval(beat);
      reject(error);
    });
    child.on('close', (code) => {
      clearInterval(beat);
      if (code === 0) resolvePromise();
      else reject(new Error(`mvn package failed (exit ${code}):\n${output}`));
    });
  });
}
