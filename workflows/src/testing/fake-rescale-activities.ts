import type {
  FlinkDeployActivities,
  FlinkRescaleActivities,
  RescalePlan,
  StartJobOptions,
} from '@social-pulse/activities';

/** The activities the rescale workflow calls. */
export type RescaleTestActivities = Pick<
  FlinkDeployActivities,
  'stopWithSavepoint' | 'startJob' | 'awaitHealthyJob' | 'cancelJob'
> &
  FlinkRescaleActivities;

/** archive at 1, asked for 2, with the slots for it. */
export const PLAN: RescalePlan = {
  jobId: 'old-job',
  jarId: 'jar-1',
  programArgs: ['--group-id', 'g'],
  from: 1,
  to: 2,
  maxParallelism: 128,
  slots: { available: 3, heldByJob: 1, needed: 2 },
};

/** Activities that record their calls (start options without the workflow-made job id); tests override. */
export function fakeRescaleActivities(overrides: Partial<RescaleTestActivities> = {}) {
  const calls: string[] = [];
  const jobIds: string[] = [];
  const record =
    <A extends unknown[], R>(name: string, result: (...args: A) => R) =>
    async (...args: A) => {
      calls.push(`${name}(${args.map((a) => JSON.stringify(a)).join(', ')})`);
      return result(...args);
    };
  const activities: RescaleTestActivities = {
    planRescale: record('planRescale', (job: string, parallelism: number) => ({ ...PLAN, to: parallelism })),
    activeJobIds: record('activeJobIds', () => []),
    stopWithSavepoint: record('stopWithSavepoint', () => ({
      savepoint: 'file:/sp/archive/savepoint-1',
      stoppedAt: 1_000,
    })),
    startJob: async (jarId: string, job, savepoint: string | null, options: StartJobOptions = {}) => {
      const { jobId, ...rest } = options;
      calls.push(
        `startJob(${JSON.stringify(jarId)}, ${JSON.stringify(job)}, ${JSON.stringify(savepoint)}, ${JSON.stringify(rest)})`,
      );
      jobIds.push(jobId!);
      return jobId!;
    },
    awaitHealthyJob: record('awaitHealthyJob', () => ({ runningAt: 3_500, checkpointedAt: 6_000 })),
    cancelJob: record('cancelJob', () => undefined),
    ...overrides,
  };
  return { activities, calls, jobIds };
}
