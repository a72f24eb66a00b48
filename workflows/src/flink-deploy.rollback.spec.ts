import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { describe, expect, it } from 'vitest';
import { allowNonRestoredStateRemedy, rollbackReason } from './flink-deploy.rollback';

const OPERATOR = '6cdc5bb954874d922eaee11a8e7b5dd5';

/** What the workflow catches when an activity fails: an ActivityFailure caused by the activity's failure. */
function activityFailed(cause: Error): ActivityFailure {
  return new ActivityFailure(
    'Activity task failed',
    'awaitHealthyJob',
    '7',
    'NON_RETRYABLE_FAILURE',
    'worker@host',
    cause,
  );
}

const unmappedState = (operators: string[]) =>
  ApplicationFailure.create({
    type: 'UnmappedSavepointState',
    message: `job abc ended as FAILED: its savepoint has state of operator ${operators.join(', ')}, which the new program does not have`,
    nonRetryable: true,
    details: [{ operators }],
  });

describe(rollbackReason.name, () => {
  describe('unmapped savepoint state', () => {
    it('should name the operator and the remedy with what it keeps and drops', () => {
      const reason = rollbackReason(activityFailed(unmappedState([OPERATOR])), 'trending');

      expect(reason).toMatchObject({
        cause: 'unmapped-savepoint-state',
        operators: [OPERATOR],
        remedy: { command: 'npx pulse deploy trending --allow-non-restored-state', effect: expect.any(String) },
        error: `job abc ended as FAILED: its savepoint has state of operator ${OPERATOR}, which the new program does not have`,
      });
      expect(reason.message).toContain(`Flink names operator ${OPERATOR}`);
      expect(reason.message).toContain('npx pulse deploy trending --allow-non-restored-state');
      expect(reason.message).toContain('state of operators that no longer exist is dropped');
      expect(reason.message).toContain('Kafka offsets and the state of kept operators are restored');
    });

    it('should still give the remedy when the failure names no operator', () => {
      const failure = ApplicationFailure.create({ type: 'UnmappedSavepointState', message: 'refused' });

      const reason = rollbackReason(activityFailed(failure), 'trending');

      expect(reason).toMatchObject({ cause: 'unmapped-savepoint-state', operators: [], remedy: expect.any(Object) });
      expect(reason.message).not.toContain('Flink names operator');
    });
  });

  describe('any other failure', () => {
    it("should carry the activity's message, not the ActivityFailure's, and offer no remedy", () => {
      const cause = ApplicationFailure.create({
        type: 'Error',
        message: 'job new-job ended as FAILED: NoSuchMethodError',
      });

      const reason = rollbackReason(activityFailed(cause), 'trending');

      expect(reason).toEqual({
        cause: 'new-job-failed',
        error: 'job new-job ended as FAILED: NoSuchMethodError',
        operators: [],
        why: 'the new job failed: job new-job ended as FAILED: NoSuchMethodError',
        remedy: null,
        message: 'the new job failed: job new-job ended as FAILED: NoSuchMethodError',
      });
    });

    it('should read a plain error, and anything thrown, without a cause chain', () => {
      expect(rollbackReason(new Error('boom'), 'trending')).toMatchObject({ cause: 'new-job-failed', error: 'boom' });
      expect(rollbackReason('odd', 'trending')).toMatchObject({ cause: 'new-job-failed', error: 'odd' });
    });
  });
});

describe(allowNonRestoredStateRemedy.name, () => {
  it('should be the pulse command with the flag, and say what it keeps and drops', () => {
    expect(allowNonRestoredStateRemedy('trending')).toEqual({
      command: 'npx pulse deploy trending --allow-non-restored-state',
      effect:
        'state of operators that no longer exist is dropped; Kafka offsets and the state of kept operators are restored',
    });
  });
});
