import { ApplicationFailure } from '@temporalio/workflow';
import { describe, expect, it } from 'vitest';
import {
  DEPLOYABLE_JOBS,
  INVALID_WORKFLOW_INPUT,
  isFlinkJobKey,
  validateDeployInput,
  validatePlatformHealthInput,
} from './workflow-inputs';

/** The failure a validator threw, or a test failure when it threw none. */
function failureOf(validate: () => unknown): ApplicationFailure {
  try {
    validate();
  } catch (error) {
    expect(error).toBeInstanceOf(ApplicationFailure);
    return error as ApplicationFailure;
  }
  throw new Error('expected the validator to throw');
}

function expectInvalid(validate: () => unknown, field: string): ApplicationFailure {
  const failure = failureOf(validate);
  expect(failure.type).toBe(INVALID_WORKFLOW_INPUT);
  expect(failure.nonRetryable).toBe(true);
  expect(failure.message).toContain(field);
  expect(failure.details).toEqual([{ field }]);
  return failure;
}

describe(isFlinkJobKey.name, () => {
  it('should accept the jobs the platform deploys', () => {
    expect(DEPLOYABLE_JOBS).toContain('trending');
    for (const job of DEPLOYABLE_JOBS) expect(isFlinkJobKey(job)).toBe(true);
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'Trending', '', 'trending '])(
    'should refuse %j, which is not an own key of FLINK_JOBS',
    (job) => {
      expect(isFlinkJobKey(job)).toBe(false);
    },
  );

  it.each([undefined, null, 1, {}, ['trending']])('should refuse the non-string %j', (job) => {
    expect(isFlinkJobKey(job)).toBe(false);
  });
});

describe(validateDeployInput.name, () => {
  it('should return the input when it names a deployable job, refusing non-restored state by default', () => {
    expect(validateDeployInput([{ job: 'trending' }])).toEqual({ job: 'trending', allowNonRestoredState: false });
  });

  it('should tolerate trailing undefined arguments', () => {
    expect(validateDeployInput([{ job: 'trending' }, undefined])).toEqual({
      job: 'trending',
      allowNonRestoredState: false,
    });
  });

  it.each([true, false])('should pass allowNonRestoredState %j through', (allowNonRestoredState) => {
    expect(validateDeployInput([{ job: 'trending', allowNonRestoredState }])).toEqual({
      job: 'trending',
      allowNonRestoredState,
    });
  });

  it('should take an undefined allowNonRestoredState as the default', () => {
    expect(validateDeployInput([{ job: 'trending', allowNonRestoredState: undefined }])).toEqual({
      job: 'trending',
      allowNonRestoredState: false,
    });
  });

  it.each(['true', 'false', 1, 0, null, {}])(
    'should refuse the non-boolean allowNonRestoredState %j, naming the field',
    (allowNonRestoredState) => {
      const failure = expectInvalid(
        () => validateDeployInput([{ job: 'trending', allowNonRestoredState }]),
        'input.allowNonRestoredState',
      );
      expect(failure.message).toContain('must be true or false');
    },
  );

  it('should refuse an object-prototype key as the job', () => {
    const failure = expectInvalid(() => validateDeployInput([{ job: 'constructor' }]), 'input.job');
    expect(failure.message).toContain('must be one of: trending');
    expect(failure.message).toContain('"constructor"');
  });

  it.each([
    ['an unknown job', { job: 'nope' }, 'input.job'],
    ['a missing job', {}, 'input.job'],
    ['a numeric job', { job: 7 }, 'input.job'],
    ['an unknown field', { job: 'trending', jar: '/tmp/evil.jar' }, 'input.jar'],
    ['a __proto__ field from JSON', JSON.parse('{"job":"trending","__proto__":{"job":"x"}}'), 'input.__proto__'],
    ['no input', undefined, 'input'],
    ['a null input', null, 'input'],
    ['a string input', 'trending', 'input'],
    ['an array input', [{ job: 'trending' }], 'input'],
  ])('should refuse %s, naming the field', (_case, input, field) => {
    expectInvalid(() => validateDeployInput([input]), field);
  });

  it('should refuse an extra argument', () => {
    expectInvalid(() => validateDeployInput([{ job: 'trending' }, { job: 'trending' }]), 'args[1]');
  });

  it('should shorten a long bad value in the message', () => {
    const failure = expectInvalid(() => validateDeployInput([{ job: 'x'.repeat(1000) }]), 'input.job');
    expect(failure.message.length).toBeLessThan(200);
  });
});

describe(validatePlatformHealthInput.name, () => {
  it('should accept no arguments, or undefined ones', () => {
    expect(() => validatePlatformHealthInput([])).not.toThrow();
    expect(() => validatePlatformHealthInput([undefined])).not.toThrow();
  });

  it.each([[{}], [null], ['kafka'], [undefined, { force: true }]])(
    'should refuse the arguments %j, naming the position',
    (...args) => {
      const position = args.findIndex((arg) => arg !== undefined);
      expectInvalid(() => validatePlatformHealthInput(args), `args[${position}]`);
    },
  );
});
