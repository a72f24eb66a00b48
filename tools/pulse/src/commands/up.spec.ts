import { describe, expect, it } from 'vitest';
import type { DeployResult, RollbackReason } from '@social-pulse/workflows';
import { deployFlinkJobs } from './up';

const result = (rollback: RollbackReason | null): DeployResult => ({
  jobId: 'job',
  jarId: 'jar',
  savepoint: 'file:/sp/savepoint-1',
  pausedMs: null,
  verifiedMs: null,
  rolledBack: rollback !== null,
  allowNonRestoredState: false,
  rollback,
  watch: null,
});

const unmappedState = (job: string): RollbackReason => ({
  cause: 'unmapped-savepoint-state',
  error: 'job abc ended as FAILED',
  operators: [],
  why: 'Flink refused to start the new version from the savepoint',
  remedy: { command: `npx pulse deploy ${job} --allow-non-restored-state`, effect: 'some state is dropped' },
  message: 'Flink refused to start the new version from the savepoint. To upgrade anyway: …',
});

describe(deployFlinkJobs.name, () => {
  it('should deploy every job in turn without a watch, never allowing non-restored state on its own', async () => {
    const calls: unknown[][] = [];

    await deployFlinkJobs(['trending', 'other'], async (...args) => {
      calls.push(args);
      return result(null);
    });

    expect(calls).toEqual([
      ['trending', { watch: 0 }],
      ['other', { watch: 0 }],
    ]);
  });

  it('should return the remedy of each job left on its previous version by unmapped savepoint state', async () => {
    const notUpgraded = await deployFlinkJobs(['trending', 'other'], async (job) =>
      result(job === 'trending' ? unmappedState(job) : null),
    );

    expect(notUpgraded).toEqual([
      {
        job: 'trending',
        lines: [
          'trending was NOT upgraded: the previous version still runs. Flink refused to start the new version from the savepoint.',
          '  to upgrade anyway: npx pulse deploy trending --allow-non-restored-state',
          '    (some state is dropped)',
        ],
      },
    ]);
  });

  it('should return nothing when every job was upgraded', async () => {
    expect(await deployFlinkJobs(['trending'], async () => result(null))).toEqual([]);
  });
});
