import { FLINK_JOBS, FLINK_JOB_SCOPE_PATTERN, PLATFORM_JOB_SCOPE, type FlinkJobKey } from '@social-pulse/shared';
import type { FlinkRest, JobOverview } from './flink-rest';

/**
 * What the worker records on each Flink job it starts, as Flink global job parameters (shown
 * under the job's configuration in Flink's UI, and as `user-config` at GET /jobs/:id/config):
 *
 * - `pulse.job`: the job's key in FLINK_JOBS;
 * - `pulse.jar`: the id of the uploaded jar it runs, so a rescale restarts the same program;
 * - `pulse.args`: its program arguments (base64url of their JSON list), for the same reason: Flink
 *   keeps neither the jar nor the arguments of a job where its REST API shows them;
 * - `pulse.scope`: whose job it is. A worker operates only on the jobs of its scope
 *   (FLINK_JOB_SCOPE, `platform` by default), so a test's worker and its jobs, beside the
 *   platform's on the same cluster, never touch the platform's (nor the platform's worker theirs).
 *
 * Jobs started before these were recorded carry none: they count as the platform's, and a
 * rescale refuses them (their jar is unknown) until a deploy has restarted them.
 */
export interface FlinkJobTags {
  job: FlinkJobKey;
  jar: string;
  args: string[];
  scope: string;
}

/** The scope of the platform's own jobs, and of jobs started before scopes were recorded. */
export const PLATFORM_SCOPE = PLATFORM_JOB_SCOPE;

// Flink parses `pipeline.global-job-parameters` as `key:value,key:value`, and quoting inside it is
// fragile (StructuredOptionsSplitter): values are kept to characters that need none.
const PLAIN_VALUE = /^[A-Za-z0-9._-]+$/;

/** The `flinkConfiguration` of a run request that records `tags` on the job. */
export function jobTagsConfiguration(tags: FlinkJobTags): Record<string, string> {
  if (!FLINK_JOB_SCOPE_PATTERN.test(tags.scope)) {
    throw new Error(`a job scope must match ${FLINK_JOB_SCOPE_PATTERN}, got "${tags.scope}"`);
  }
  if (!PLAIN_VALUE.test(tags.jar)) throw new Error(`jar id "${tags.jar}" cannot be recorded on the job`);
  const entries = {
    'pulse.job': tags.job,
    'pulse.jar': tags.jar,
    'pulse.args': Buffer.from(JSON.stringify(tags.args)).toString('base64url'),
    'pulse.scope': tags.scope,
  };
  return {
    'pipeline.global-job-parameters': Object.entries(entries)
      .map(([key, value]) => `${key}:${value}`)
      .join(','),
  };
}

/** The tags a job carries (its `user-config`); the scope defaults to the platform's, the rest to null. */
export function readJobTags(userConfig: Record<string, string> | undefined): {
  scope: string;
  job: string | null;
  jar: string | null;
  args: string[] | null;
} {
  const config = userConfig ?? {};
  let args: string[] | null = null;
  if (config['pulse.args']) {
    try {
      const parsed = JSON.parse(Buffer.from(config['pulse.args'], 'base64url').toString()) as unknown;
      if (Array.isArray(parsed) && parsed.every((arg) => typeof arg === 'string')) args = parsed;
    } catch {
      args = null;
    }
  }
  return {
    scope: config['pulse.scope'] || PLATFORM_SCOPE,
    job: config['pulse.job'] || null,
    jar: config['pulse.jar'] || null,
    args,
  };
}

/** The tags of a job, read from Flink. */
export async function jobTagsOf(rest: FlinkRest, jobId: string): Promise<ReturnType<typeof readJobTags>> {
  const config = await rest.json<{ 'execution-config'?: { 'user-config'?: Record<string, string> } }>(
    'GET',
    `/jobs/${jobId}/config`,
  );
  return readJobTags(config['execution-config']?.['user-config']);
}

/** Job states in which a job holds (or is about to hold) task slots. */
export const ACTIVE_JOB_STATES: ReadonlySet<string> = new Set(['CREATED', 'INITIALIZING', 'RUNNING', 'RESTARTING']);

/** A platform job Flink knows, with its key. */
export interface ScopedJob extends JobOverview {
  job: FlinkJobKey;
}

/**
 * The active jobs of FLINK_JOBS (matched by name) in `scope`, newest first; only `job`'s when
 * given. Each candidate's scope is read from its tags (one request per job of a platform name).
 */
export async function activeScopedJobs(rest: FlinkRest, scope: string, job?: FlinkJobKey): Promise<ScopedJob[]> {
  const keyOf = new Map<string, FlinkJobKey>(
    Object.entries(FLINK_JOBS).map(([key, { name }]) => [name, key as FlinkJobKey]),
  );
  const { jobs } = await rest.json<{ jobs: JobOverview[] }>('GET', '/jobs/overview');
  const candidates = jobs
    .filter((j) => ACTIVE_JOB_STATES.has(j.state) && keyOf.has(j.name))
    .map((j) => ({ ...j, job: keyOf.get(j.name)! }))
    .filter((j) => job === undefined || j.job === job);
  const scoped: ScopedJob[] = [];
  for (const candidate of candidates) {
    // A job that ended between the two requests is no longer active: it is left out.
    const tags = await jobTagsOf(rest, candidate.jid).catch(() => null);
    if (tags?.scope === scope) scoped.push(candidate);
  }
  return scoped.sort((a, b) => b['start-time'] - a['start-time']);
}
