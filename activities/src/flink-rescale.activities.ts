import { ApplicationFailure } from '@temporalio/activity';
import { FLINK_JOBS, type FlinkJobKey } from '@social-pulse/shared';
import { PLATFORM_SCOPE, activeScopedJobs, jobTagsOf } from './flink-jobs';
import { FlinkRest } from './flink-rest';

export interface FlinkRescaleDeps {
  flinkRestUrl: string;
  /** Only jobs of this scope are seen (flink-jobs.ts); default PLATFORM_SCOPE. */
  scope?: string;
}

/**
 * The failure type of a rescale that cannot be done as asked: no such running job, a parallelism
 * above the job's max parallelism, too few free task slots, a job whose jar is unknown. Retrying
 * cannot help; the message says why and what would.
 */
export const RESCALE_REFUSED = 'RescaleRefused';

/** Flink's default max parallelism for a job that sets none (at the parallelisms this cluster runs). */
export const DEFAULT_MAX_PARALLELISM = 128;

/** What a rescale will do, read from Flink before anything is stopped. */
export interface RescalePlan {
  jobId: string;
  /** The uploaded jar the job runs, and its program arguments: the rescale restarts exactly these. */
  jarId: string;
  programArgs: string[];
  from: number;
  to: number;
  /** The job's max parallelism: its keyed state's key groups; no parallelism above it can restore it. */
  maxParallelism: number;
  slots: {
    /** Free slots of the cluster now. */
    available: number;
    /** Slots the job holds now (freed when it stops). */
    heldByJob: number;
    /** Slots the job needs at the new parallelism. */
    needed: number;
  };
}

interface JobDetails {
  state: string;
  maxParallelism?: number;
  vertices: { parallelism: number; maxParallelism?: number; slotSharingGroupId?: string }[];
}

const refuse = (message: string) => ApplicationFailure.create({ type: RESCALE_REFUSED, message, nonRetryable: true });

/** Slots a job takes: per slot sharing group, its widest vertex. */
function slotsFor(vertices: JobDetails['vertices'], parallelismOf: (vertexParallelism: number) => number): number {
  const widest = new Map<string, number>();
  for (const vertex of vertices) {
    const group = vertex.slotSharingGroupId ?? 'default';
    widest.set(group, Math.max(widest.get(group) ?? 0, parallelismOf(vertex.parallelism)));
  }
  return [...widest.values()].reduce((sum, slots) => sum + slots, 0);
}

/** Activities of the rescale workflow beyond the deploy's (stop with a savepoint, start, verify). */
export function createFlinkRescaleActivities(deps: FlinkRescaleDeps) {
  const rest = new FlinkRest(deps.flinkRestUrl);
  const scope = deps.scope ?? PLATFORM_SCOPE;

  return {
    /**
     * Reads what a rescale of `job` to `parallelism` would do, and refuses (non-retryable
     * RESCALE_REFUSED) what cannot work: no single running job of the worker's scope, a job
     * without its jar and arguments recorded, a jar no longer on the cluster, a parallelism above
     * the job's max parallelism, or more slots than the cluster's free ones plus the job's own.
     */
    async planRescale(job: FlinkJobKey, parallelism: number): Promise<RescalePlan> {
      const name = FLINK_JOBS[job].name;
      const active = await activeScopedJobs(rest, scope, job);
      if (active.length === 0) throw refuse(`${job} is not running: Flink has no active ${name} job (scope ${scope})`);
      if (active.length > 1) {
        throw refuse(
          `${job} has ${active.length} active jobs (${active.map((j) => `${j.jid} ${j.state}`).join(', ')}): ` +
            'another operation (a deploy?) is under way; rescale once one job runs',
        );
      }
      const [running] = active;
      if (running.state !== 'RUNNING') {
        throw refuse(`${job} job ${running.jid} is ${running.state}, not RUNNING: rescale once it runs`);
      }
      const tags = await jobTagsOf(rest, running.jid);
      if (!tags.jar || !tags.args) {
        throw refuse(
          `${job} job ${running.jid} was started without its jar and arguments recorded (by an older worker), ` +
            `so it cannot be restarted as it runs: redeploy it once (npx pulse deploy ${job}), which records them`,
        );
      }
      const { files } = await rest.json<{ files: { id: string }[] }>('GET', '/jars');
      if (!files.some((file) => file.id === tags.jar)) {
        throw refuse(
          `the jar ${job} runs (${tags.jar}) is no longer on the cluster: redeploy it (npx pulse deploy ${job})`,
        );
      }
      const details = await rest.json<JobDetails>('GET', `/jobs/${running.jid}`);
      const config = await rest.json<{ 'execution-config'?: { 'job-parallelism'?: number } }>(
        'GET',
        `/jobs/${running.jid}/config`,
      );
      const from =
        config['execution-config']?.['job-parallelism'] ?? Math.max(...details.vertices.map((v) => v.parallelism));
      const bounds = [details.maxParallelism, ...details.vertices.map((v) => v.maxParallelism)].filter(
        (bound): bound is number => bound !== undefined && bound > 0,
      );
      const maxParallelism = bounds.length > 0 ? Math.min(...bounds) : DEFAULT_MAX_PARALLELISM;
      if (parallelism > maxParallelism) {
        throw refuse(
          `${job} cannot run at parallelism ${parallelism}: its max parallelism is ${maxParallelism} (its keyed ` +
            'state is split into that many key groups, and changing it makes its savepoints unusable)',
        );
      }
      const overview = await rest.json<{ 'slots-available': number }>('GET', '/overview');
      // Vertices the program fixed at another parallelism (a non-parallel one) keep it.
      const slots = {
        available: overview['slots-available'],
        heldByJob: slotsFor(details.vertices, (p) => p),
        needed: slotsFor(details.vertices, (p) => (p === from ? parallelism : p)),
      };
      if (slots.needed > slots.available + slots.heldByJob) {
        throw refuse(
          `${job} at parallelism ${parallelism} needs ${slots.needed} task slots; the cluster has ` +
            `${slots.available} free and the job holds ${slots.heldByJob}: free slots (or add a TaskManager) first`,
        );
      }
      return {
        jobId: running.jid,
        jarId: tags.jar,
        programArgs: tags.args,
        from,
        to: parallelism,
        maxParallelism,
        slots,
      };
    },

    /** The ids of the active jobs of `job` in the worker's scope, newest first. */
    async activeJobIds(job: FlinkJobKey): Promise<string[]> {
      return (await activeScopedJobs(rest, scope, job)).map((j) => j.jid);
    },
  };
}

export type FlinkRescaleActivities = ReturnType<typeof createFlinkRescaleActivities>;
