import { BOOTSTRAP_WORKFLOW_ID } from '@social-pulse/shared';
import { bootstrapPlatformWorkflow, bootstrapProgressQuery, type BootstrapResult } from '@social-pulse/workflows';
import { say } from '../console';
import { runFollowingSteps, withTemporal } from '../temporal';
import { upgradeRemedyLines } from './deploy';

export interface BootstrapOptions {
  /** Deploy every Flink job even when it already runs the current jar. */
  redeployJobs?: boolean;
}

/** What `pulse bootstrap` does, for `pulse bootstrap --help`. */
export const BOOTSTRAP_HELP =
  'bring the platform to what it needs through the bootstrap workflow on the worker: Kafka topics, ClickHouse ' +
  'migrations, every Flink job at the jar the worker ships, every Temporal Schedule; prints its progress and ' +
  'exits non-zero when it fails. A bootstrap under way is followed rather than started twice. `pulse up` runs it; ' +
  "docker-compose.yml's bootstrap container runs it against TEMPORAL_ADDRESS";

/**
 * `pulse bootstrap` (and the last step of `pulse up`): runs the bootstrap workflow under its one id,
 * printing its steps as they happen; resolves with its result, or throws a PulseError when it failed.
 */
export async function bootstrap(options: BootstrapOptions = {}): Promise<BootstrapResult> {
  const started = Date.now();
  const result = await withTemporal((client) =>
    runFollowingSteps(client, {
      workflow: bootstrapPlatformWorkflow,
      workflowId: BOOTSTRAP_WORKFLOW_ID,
      args: [options.redeployJobs ? { redeployJobs: true } : {}],
      progress: bootstrapProgressQuery,
      started: 'bootstrapping the platform: topics, migrations, Flink jobs, Schedules',
      alreadyRunning: 'a bootstrap is already running; following it',
      failedAs: 'the bootstrap failed',
    }),
  );
  say.ok(`platform bootstrapped in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

/**
 * The warning lines of each job a bootstrap left on its previous version for a reason the developer
 * can act on (unmapped savepoint state), for the end of `pulse up`'s output.
 */
export function notUpgradedJobs(result: Pick<BootstrapResult, 'jobs'>): { job: string; lines: string[] }[] {
  return result.jobs
    .map(({ job, deploy }) => ({ job, lines: deploy ? upgradeRemedyLines(job, deploy) : [] }))
    .filter(({ lines }) => lines.length > 0);
}
