import { describe, expect, it } from 'vitest';
import type { BootstrapJobReport, DeployResult, RollbackReason } from '@social-pulse/workflows';
import { notUpgradedJobs } from './bootstrap';

const deployed = (rollback: RollbackReason | null): DeployResult => ({
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

const report = (job: 'trending' | 'archive', deploy: DeployResult | null): BootstrapJobReport => ({
  job,
  outcome: deploy === null ? 'already deployed' : deploy.rolledBack ? 'rolled back' : 'deployed',
  jobId: 'job',
  reason: 'not running',
  deploy,
});

describe(notUpgradedJobs.name, () => {
  it('should return the remedy of each job left on its previous version by unmapped savepoint state', () => {
    const notUpgraded = notUpgradedJobs({
      jobs: [report('trending', deployed(unmappedState('trending'))), report('archive', deployed(null))],
    });

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

  it('should return nothing when every job was upgraded or already ran the current jar', () => {
    expect(notUpgradedJobs({ jobs: [report('trending', deployed(null)), report('archive', null)] })).toEqual([]);
  });
});
