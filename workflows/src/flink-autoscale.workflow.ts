import { ParentClosePolicy, defineQuery, proxyActivities, setHandler, sleep, startChild } from '@temporalio/workflow';
// Types only: workflow code must stay deterministic and never load activity implementations.
import type { FlinkAutoscaleActivities, JobLoadSample } from '@social-pulse/activities';
import { FLINK_JOBS, rescaleWorkflowId, type FlinkJobKey } from '@social-pulse/shared';
import { recommendParallelism, type AutoscalePolicy, type Recommendation } from './flink-autoscale.policy';
import { rescaleFlinkJobWorkflow, type RescaleResult } from './flink-rescale.workflow';
import { validateAutoscaleInput } from './workflow-inputs';

export type { AutoscalePolicy, Recommendation } from './flink-autoscale.policy';

const { sampleJobLoad } = proxyActivities<FlinkAutoscaleActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3 },
});

/** The business id of an autoscaling run started by hand (the Schedule's runs have the Schedule's ids). */
export const AUTOSCALE_WORKFLOW_ID = 'flink-autoscale';

/** At most half the parallelism goes in one scale down (the operator's max.scale-down.factor is 0.6). */
const MAX_SCALE_DOWN_FACTOR = 0.5;

export interface AutoscaleInput {
  /** Only these jobs; default every job of FLINK_JOBS. */
  jobs?: FlinkJobKey[];
  /** Rescale jobs to the recommendation (through rescaleFlinkJobWorkflow); default false: recommend only. */
  apply?: boolean;
  /** The share of each second the busiest vertex should be busy; default 0.7 (0.1 to 0.95). */
  targetUtilization?: number;
  /** Bounds of the recommendation; a job running outside them (set by hand) is never rescaled. Default 1 and 4. */
  minParallelism?: number;
  maxParallelism?: number;
  /** Within how many seconds a Kafka lag should be worked off; default 300. */
  catchUpSeconds?: number;
  /** No decision in the first seconds after a job (re)started; default 300. */
  stabilizationSeconds?: number;
  /** A job scales down only after running this long at its parallelism; default 1800. */
  scaleDownStableSeconds?: number;
  /** Readings per job, `sampleIntervalSeconds` apart; default 3, 10 s apart. */
  samples?: number;
  sampleIntervalSeconds?: number;
}

export interface JobAutoscaleReport {
  job: FlinkJobKey;
  /** The running job it was read from; null when none ran. */
  jobId: string | null;
  recommendation: Recommendation | null;
  /** What was done with the recommendation. */
  applied:
    | { outcome: 'not-asked' | 'nothing-to-do' | 'outside-bounds' | 'not-running' }
    | { outcome: 'rescaled'; result: RescaleResult }
    | { outcome: 'busy' | 'failed'; error: string };
}

export interface AutoscaleResult {
  apply: boolean;
  policy: AutoscalePolicy;
  jobs: JobAutoscaleReport[];
}

export interface AutoscaleProgress {
  stage: 'starting' | 'sample' | 'recommend' | 'apply' | 'done';
  steps: { at: string; step: string }[];
}

export const autoscaleProgressQuery = defineQuery<AutoscaleProgress>('progress');

/**
 * Reads each running job's load from Flink's REST API a few times (busy time of its busiest vertex,
 * records its sources read per second, records waiting in Kafka), recommends a parallelism with
 * the policy of flink-autoscale.policy.ts (anchored on the Flink Kubernetes Operator's autoscaler)
 * and records it in the result and the progress query. With `apply: true` it rescales a job whose
 * recommendation differs and whose parallelism lies within the bounds, one job at a time, through
 * rescaleFlinkJobWorkflow as a child (id rescale-flink-<job>: a rescale already under way, by hand
 * or an earlier run, is left alone). The child is abandoned rather than cancelled if this run ends
 * first, so a job is never left stopped. The input is checked first (InvalidWorkflowInput).
 */
export async function autoscaleFlinkJobsWorkflow(...args: [input?: AutoscaleInput]): Promise<AutoscaleResult> {
  const input = validateAutoscaleInput(args);
  const jobs = input.jobs ?? (Object.keys(FLINK_JOBS) as FlinkJobKey[]);
  const policy: AutoscalePolicy = {
    targetUtilization: input.targetUtilization,
    minParallelism: input.minParallelism,
    maxParallelism: input.maxParallelism,
    catchUpSeconds: input.catchUpSeconds,
    stabilizationMs: input.stabilizationSeconds * 1000,
    scaleDownStableMs: input.scaleDownStableSeconds * 1000,
    maxScaleDownFactor: MAX_SCALE_DOWN_FACTOR,
  };
  const progress: AutoscaleProgress = { stage: 'starting', steps: [] };
  const note = (stage: AutoscaleProgress['stage'], step: string) => {
    progress.stage = stage;
    progress.steps.push({ at: new Date().toISOString(), step });
  };
  setHandler(autoscaleProgressQuery, () => progress);

  const readings = new Map<FlinkJobKey, JobLoadSample[]>(jobs.map((job) => [job, []]));
  for (let round = 1; round <= input.samples; round++) {
    if (round > 1) await sleep(input.sampleIntervalSeconds * 1000);
    note('sample', `reading the load of ${jobs.join(', ')} (${round} of ${input.samples})`);
    const samples = await Promise.all(jobs.map((job) => sampleJobLoad(job)));
    samples.forEach((sample, i) => {
      if (sample) readings.get(jobs[i])!.push(sample);
    });
  }

  const reports: JobAutoscaleReport[] = [];
  for (const job of jobs) {
    // Only readings of the job that runs last: a job that stopped between readings is read anew next run.
    const all = readings.get(job)!;
    const jobId = all.at(-1)?.jobId ?? null;
    const ofJob = all.filter((sample) => sample.jobId === jobId);
    if (jobId === null || ofJob.length === 0) {
      note('recommend', `${job}: not running`);
      reports.push({ job, jobId: null, recommendation: null, applied: { outcome: 'not-running' } });
      continue;
    }
    const recommendation = recommendParallelism(ofJob, policy);
    note('recommend', `${job}: ${recommendation.action} (${recommendation.reason})`);
    const report: JobAutoscaleReport = { job, jobId, recommendation, applied: { outcome: 'not-asked' } };
    reports.push(report);
    if (!input.apply) continue;
    if (recommendation.action === 'hold') {
      report.applied = { outcome: 'nothing-to-do' };
    } else if (!recommendation.withinBounds) {
      report.applied = { outcome: 'outside-bounds' };
      note(
        'apply',
        `${job}: runs at ${recommendation.current}, outside ${policy.minParallelism}–${policy.maxParallelism}: left as set`,
      );
    } else {
      report.applied = await rescale(job, recommendation.recommended, note);
    }
  }
  const changes = reports.filter((r) => r.recommendation && r.recommendation.action !== 'hold');
  note(
    'done',
    changes.length === 0
      ? 'every job holds its parallelism'
      : changes
          .map((r) => `${r.job} ${r.recommendation!.current} → ${r.recommendation!.recommended} (${r.applied.outcome})`)
          .join('; '),
  );
  return { apply: input.apply, policy, jobs: reports };
}

/** Rescales through the rescale workflow as a child; a rescale already under way is left to finish. */
async function rescale(
  job: FlinkJobKey,
  parallelism: number,
  note: (stage: AutoscaleProgress['stage'], step: string) => void,
): Promise<JobAutoscaleReport['applied']> {
  note('apply', `${job}: rescaling to ${parallelism}`);
  let child;
  try {
    child = await startChild(rescaleFlinkJobWorkflow, {
      workflowId: rescaleWorkflowId(job),
      args: [{ job, parallelism }],
      // Ending this run must never cancel a rescale between its stop and its start.
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  } catch (error) {
    if ((error as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw error;
    note('apply', `${job}: a rescale is already under way; left to it`);
    return { outcome: 'busy', error: `workflow ${rescaleWorkflowId(job)} is already running` };
  }
  try {
    const result = await child.result();
    note(
      'apply',
      result.rolledBack
        ? `${job}: rolled back to ${result.parallelism} (${result.rollbackReason})`
        : `${job}: runs at ${result.parallelism}, processing paused ${((result.pausedMs ?? 0) / 1000).toFixed(1)} s`,
    );
    return { outcome: 'rescaled', result };
  } catch (error) {
    let cause = error as Error;
    while (cause.cause instanceof Error) cause = cause.cause;
    note('apply', `${job}: the rescale failed: ${cause.message}`);
    return { outcome: 'failed', error: cause.message };
  }
}
