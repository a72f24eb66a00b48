import { describe, expect, it } from 'vitest';
import type { DeployResult, RollbackReason } from '@social-pulse/workflows';
import { InvalidArgumentError } from 'commander';
import { parseWatchSeconds, rollbackLines, upgradeRemedyLines } from './deploy';

const OPERATOR = '6cdc5bb954874d922eaee11a8e7b5dd5';

/** The reason the workflow gives when Flink refuses the savepoint's unmapped state. */
function unmappedState(): RollbackReason {
  const why = `Flink refused to start the new version from the savepoint: it has state of operators the new version no longer has (Flink names operator ${OPERATOR}), i.e. an operator uid was removed or renamed`;
  const remedy = {
    command: 'npx pulse deploy trending --allow-non-restored-state',
    effect:
      'state of operators that no longer exist is dropped; Kafka offsets and the state of kept operators are restored',
  };
  return {
    cause: 'unmapped-savepoint-state',
    error: `job abc ended as FAILED: its savepoint has state of operator ${OPERATOR}, which the new program does not have`,
    operators: [OPERATOR],
    why,
    remedy,
    message: `${why}. To upgrade anyway: ${remedy.command} (${remedy.effect})`,
  };
}

function newJobFailed(): RollbackReason {
  const why = 'the new job failed: job abc ended as FAILED: java.lang.NoSuchMethodError';
  return { cause: 'new-job-failed', error: why, operators: [], why, remedy: null, message: why };
}

const rolledBack = (rollback: RollbackReason | null): Pick<DeployResult, 'jobId' | 'rolledBack' | 'rollback'> => ({
  jobId: 'restored-job',
  rolledBack: true,
  rollback,
});

describe(rollbackLines.name, () => {
  it('should say what runs now, why, and the command that upgrades anyway with what it costs', () => {
    expect(rollbackLines('trending', rolledBack(unmappedState()))).toEqual([
      'trending: the new version was rolled back and the previous one restored (job restored-job)',
      `  why: ${unmappedState().why}`,
      '  to upgrade anyway: npx pulse deploy trending --allow-non-restored-state',
      '    (state of operators that no longer exist is dropped; Kafka offsets and the state of kept operators are restored)',
    ]);
  });

  it('should give the reason but no command when none would help', () => {
    expect(rollbackLines('trending', rolledBack(newJobFailed()))).toEqual([
      'trending: the new version was rolled back and the previous one restored (job restored-job)',
      '  why: the new job failed: job abc ended as FAILED: java.lang.NoSuchMethodError',
    ]);
  });

  it('should still say what runs now for a result without a reason, from a worker older than it', () => {
    expect(rollbackLines('trending', rolledBack(null))).toEqual([
      'trending: the new version was rolled back and the previous one restored (job restored-job)',
    ]);
  });
});

describe(upgradeRemedyLines.name, () => {
  it('should warn that the job was not upgraded, naming the operator and the remedy', () => {
    const lines = upgradeRemedyLines('trending', rolledBack(unmappedState()));

    expect(lines[0]).toMatch(/^trending was NOT upgraded: the previous version still runs\. Flink refused/);
    expect(lines[0]).toContain(OPERATOR);
    expect(lines.slice(1)).toEqual([
      '  to upgrade anyway: npx pulse deploy trending --allow-non-restored-state',
      '    (state of operators that no longer exist is dropped; Kafka offsets and the state of kept operators are restored)',
    ]);
  });

  it.each([
    ['a rollback no command helps', rolledBack(newJobFailed())],
    ['a rollback without a reason', rolledBack(null)],
    ['an upgrade that succeeded', { rolledBack: false, rollback: null }],
  ])('should say nothing for %s', (_case, result) => {
    expect(upgradeRemedyLines('trending', result)).toEqual([]);
  });
});

describe(parseWatchSeconds.name, () => {
  it('should take whole seconds from 0 to 3600', () => {
    expect(parseWatchSeconds('0')).toBe(0);
    expect(parseWatchSeconds('3600')).toBe(3_600);
  });

  it.each(['-1', '1.5', '3601', 'ten', ''])('should refuse %j', (value) => {
    expect(() => parseWatchSeconds(value)).toThrow(InvalidArgumentError);
  });
});
