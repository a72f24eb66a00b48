import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Context } from '@temporalio/activity';
import type { FlinkJobKey } from '@social-pulse/shared';
import { PLATFORM_SCOPE, activeScopedJobs } from './flink-jobs';
import { FlinkRest, FlinkRestError } from './flink-rest';

export interface FlinkSavepointDeps {
  flinkRestUrl: string;
  /** Where savepoints go, one folder per job (FLINK_SAVEPOINT_DIR); Flink and the worker share this disk. */
  savepointDir: string;
  /** Only jobs of this scope are seen (flink-jobs.ts); default PLATFORM_SCOPE. */
  scope?: string;
  /** Pause between two polls of a savepoint (tests shorten it). */
  pollIntervalMs?: number;
}

/** A running job of the worker's scope. */
export interface RunningFlinkJob {
  job: FlinkJobKey;
  jobId: string;
}

/** What a savepoint trigger came to: a savepoint, or a job that stopped meanwhile (a deploy, a rescale). */
export type SavepointTaken =
  | { outcome: 'taken'; savepoint: string; triggerId: string }
  | { outcome: 'job-stopped'; state: string; triggerId: string };

/** What pruning a job's savepoint folder kept and deleted (paths as Flink writes them, `file:/…`). */
export interface SavepointPrune {
  /** The newest `keep` complete savepoints. */
  kept: string[];
  /** Older savepoints kept because an active job of the job's scope restored from them (a deploy's, a rescale's). */
  inUse: string[];
  deleted: string[];
  /** Folders without `_metadata` (a savepoint being written, or one Flink abandoned): never deleted here. */
  incomplete: string[];
}

/** Flink names a savepoint folder `savepoint-<first 6 hex digits of the job id>-<12 hex digits>`. */
const SAVEPOINT_FOLDER = /^savepoint-[0-9a-f]{6}-[0-9a-f]{12}$/;

// Temporal's sleep rejects with a CancelledFailure once the activity is cancelled; setTimeout would poll on.
const sleep = (ms: number) => Context.current().sleep(ms);

/** A Flink path (`file:/a`, `file:///a`) as a local path. */
const localPath = (path: string) => path.replace(/^file:(\/\/)?/, '');

/**
 * The trigger id an attempt uses after a failed savepoint: the workflow's id with the attempt
 * number in its last 8 hex digits. Flink answers a known id with its operation, failed or not, so
 * taking the savepoint again needs an id of its own; every other request reuses the workflow's id
 * (or the one in the heartbeats), which is what makes a retried trigger the same savepoint.
 */
export function attemptTriggerId(triggerId: string, attempt: number): string {
  return triggerId.slice(0, 24) + attempt.toString(16).padStart(8, '0').slice(-8);
}

/** Heartbeat details of triggerSavepoint: the trigger in flight and when it was sent. */
interface TriggerCheckpoint {
  trigger: string;
  triggeredAt: number;
  waiting: string;
}

/** Activities of the savepoint workflow: take a savepoint of each running job, keep the last few. */
export function createFlinkSavepointActivities(deps: FlinkSavepointDeps) {
  const rest = new FlinkRest(deps.flinkRestUrl);
  const scope = deps.scope ?? PLATFORM_SCOPE;
  const pollMs = deps.pollIntervalMs ?? 500;
  const jobFolder = (job: FlinkJobKey) => join(deps.savepointDir, job);

  const jobState = (jobId: string) =>
    rest
      .json<{ state: string }>('GET', `/jobs/${jobId}`)
      .then((job) => job.state)
      .catch(() => 'UNKNOWN');

  /** The complete savepoint of this job written since `since` (a trigger Flink has forgotten), if any. */
  const writtenSince = (job: FlinkJobKey, jobId: string, since: number): string | null => {
    const dir = jobFolder(job);
    if (!existsSync(dir)) return null;
    const prefix = `savepoint-${jobId.slice(0, 6)}-`;
    const found = readdirSync(dir)
      .filter((name) => name.startsWith(prefix) && existsSync(join(dir, name, '_metadata')))
      .map((name) => ({ path: join(dir, name), at: statSync(join(dir, name, '_metadata')).mtimeMs }))
      // A second of slack: the disk's clock and the worker's are the same machine's, but mtimes are coarse.
      .filter((savepoint) => savepoint.at >= since - 1_000)
      .sort((a, b) => b.at - a.at);
    return found[0] ? `file:${found[0].path}` : null;
  };

  return {
    /** The running jobs of the worker's scope, the newest of each key; only `jobs`' when given. */
    async listRunningJobs(jobs?: FlinkJobKey[]): Promise<RunningFlinkJob[]> {
      const active = await activeScopedJobs(rest, scope);
      const running: RunningFlinkJob[] = [];
      for (const candidate of active) {
        if (candidate.state !== 'RUNNING' || (jobs && !jobs.includes(candidate.job))) continue;
        if (!running.some((r) => r.job === candidate.job)) running.push({ job: candidate.job, jobId: candidate.jid });
      }
      return running;
    },

    /**
     * Takes a savepoint of a running job without stopping it (POST /jobs/:id/savepoints) into the
     * job's folder, and waits for it. Idempotent: the request carries `triggerId` (the workflow's,
     * so a retried request is the same operation to Flink) and the trigger is kept in the heartbeat
     * details, so a retry after a lost worker polls that savepoint rather than taking another; one
     * Flink has forgotten (5 minutes after it ended) is found in the job's folder. A job that
     * stopped meanwhile (a deploy or rescale stopped it) is an outcome, not a failure.
     */
    async triggerSavepoint(jobId: string, job: FlinkJobKey, triggerId: string): Promise<SavepointTaken> {
      const context = Context.current();
      const earlier = context.info.heartbeatDetails as TriggerCheckpoint | undefined;
      // Without heartbeats (none reached Temporal before the worker died) this is the workflow's id:
      // Flink answers a repeated request with the operation it already runs.
      let trigger = earlier?.trigger ?? triggerId;
      let triggeredAt = earlier?.triggeredAt ?? Date.now();
      const ownTrigger = attemptTriggerId(triggerId, context.info.attempt);
      const beat = () =>
        context.heartbeat({ trigger, triggeredAt, waiting: 'for the savepoint' } satisfies TriggerCheckpoint);
      const post = async () => {
        // Recorded before the request: a retry then asks Flink about this id, which a lost request never created.
        beat();
        await rest.json('POST', `/jobs/${jobId}/savepoints`, {
          'target-directory': jobFolder(job),
          'cancel-job': false,
          triggerId: trigger,
        });
      };
      if (!earlier?.trigger) await post();
      for (;;) {
        beat();
        let status: {
          status: { id: string };
          operation?: { location?: string; 'failure-cause'?: { 'stack-trace': string } } | null;
        };
        try {
          status = await rest.json('GET', `/jobs/${jobId}/savepoints/${trigger}`);
        } catch (error) {
          if (!(error instanceof FlinkRestError) || !/ answered 404: .*no savepoint operation/.test(error.message)) {
            throw error;
          }
          // Flink forgot the operation (it ended long ago) or never got the request.
          const written = writtenSince(job, jobId, triggeredAt);
          if (written) return { outcome: 'taken', savepoint: written, triggerId: trigger };
          await post();
          continue;
        }
        if (status.status.id === 'COMPLETED') {
          const location = status.operation?.location;
          if (location) return { outcome: 'taken', savepoint: location, triggerId: trigger };
          const state = await jobState(jobId);
          if (state !== 'RUNNING') return { outcome: 'job-stopped', state, triggerId: trigger };
          if (trigger !== ownTrigger) {
            // This id's savepoint failed (maybe an earlier attempt's): this attempt takes one under its own.
            trigger = ownTrigger;
            triggeredAt = Date.now();
            await post();
            continue;
          }
          const cause = status.operation?.['failure-cause']?.['stack-trace'] ?? 'no cause given';
          throw new Error(`savepoint of job ${jobId} failed: ${cause.split('\n')[0]}`);
        }
        await sleep(pollMs);
      }
    },

    /**
     * Keeps the newest `keep` complete savepoints in the job's folder, and every older one an active
     * job of the worker's scope restored from (Flink's `latest.restored`: the savepoint a deploy or
     * rescale started it from); deletes the other complete ones. Folders still being written (no
     * `_metadata`) and anything not named like a savepoint are left alone. Safe to repeat.
     */
    async pruneSavepoints(job: FlinkJobKey, keep: number): Promise<SavepointPrune> {
      if (!Number.isInteger(keep) || keep < 1)
        throw new Error(`keep must be a whole number of at least 1, got ${keep}`);
      const dir = jobFolder(job);
      const result: SavepointPrune = { kept: [], inUse: [], deleted: [], incomplete: [] };
      if (!existsSync(dir)) return result;
      const folders = readdirSync(dir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && SAVEPOINT_FOLDER.test(entry.name))
        .map((entry) => join(dir, entry.name));
      const complete = folders
        .filter((path) => existsSync(join(path, '_metadata')))
        .map((path) => ({ path, at: statSync(join(path, '_metadata')).mtimeMs }))
        .sort((a, b) => b.at - a.at || b.path.localeCompare(a.path));
      result.incomplete = folders.filter((path) => !existsSync(join(path, '_metadata'))).map((p) => `file:${p}`);
      // Read right before deleting: a job that restored from an old savepoint keeps it.
      const restored = new Set<string>();
      for (const active of await activeScopedJobs(rest, scope, job)) {
        const history = await rest.json<{
          latest?: { restored?: { is_savepoint?: boolean; external_path?: string } | null };
        }>('GET', `/jobs/${active.jid}/checkpoints`);
        const from = history.latest?.restored;
        if (from?.external_path) restored.add(localPath(from.external_path).replace(/\/+$/, ''));
      }
      complete.forEach(({ path }, index) => {
        if (index < keep) result.kept.push(`file:${path}`);
        else if (restored.has(path)) result.inUse.push(`file:${path}`);
        else {
          rmSync(path, { recursive: true, force: true });
          result.deleted.push(`file:${path}`);
        }
      });
      return result;
    },
  };
}

export type FlinkSavepointActivities = ReturnType<typeof createFlinkSavepointActivities>;
