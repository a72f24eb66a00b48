import { describe, expect, it } from 'vitest';
import type { RescaleResult } from '@social-pulse/workflows';
import { PulseError } from '../console';
import { parseParallelism, rescaleSummary } from './rescale';

const RESULT: RescaleResult = {
  job: 'archive',
  from: 1,
  to: 2,
  parallelism: 2,
  jobId: 'new-job',
  previousJobId: 'old-job',
  savepoint: 'file:/sp/archive/savepoint-1',
  pausedMs: 3_200,
  verifiedMs: 5_450,
  rolledBack: false,
  rollbackReason: null,
};

describe(parseParallelism.name, () => {
  it.each([
    ['1', 1],
    ['2', 2],
    [' 128 ', 128],
  ])('should read %j as %d', (text, parallelism) => {
    expect(parseParallelism(text)).toBe(parallelism);
  });

  it.each(['0', '129', '-1', '1.5', 'two', '', '2x', '1e2'])('should refuse %j', (text) => {
    expect(() => parseParallelism(text)).toThrow(PulseError);
  });
});

describe(rescaleSummary.name, () => {
  it('should say what runs now and how long processing paused', () => {
    expect(rescaleSummary(RESULT)).toEqual({
      ok: ['archive rescaled 1 → 2 as job new-job; processing paused 3.2 s, first checkpoint after 5.5 s'],
      warn: [],
    });
  });

  it('should warn that the job runs at its old parallelism again after a rollback', () => {
    expect(
      rescaleSummary({ ...RESULT, rolledBack: true, parallelism: 1, jobId: 'restored', rollbackReason: 'no slots' }),
    ).toEqual({
      ok: [],
      warn: [
        'archive: parallelism 2 did not come up (no slots); it runs at 1 again as job restored; processing paused 3.2 s, first checkpoint after 5.5 s',
      ],
    });
  });

  it('should say when nothing needed doing', () => {
    expect(rescaleSummary({ ...RESULT, from: 2, pausedMs: null, verifiedMs: null, jobId: 'old-job' }).ok).toEqual([
      'archive already runs at parallelism 2 (job old-job)',
    ]);
  });
});
