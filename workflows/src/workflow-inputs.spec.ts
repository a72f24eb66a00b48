import { ApplicationFailure } from '@temporalio/workflow';
import { describe, expect, it } from 'vitest';
import {
  BACKFILL_LIMITS,
  validateBackfillInput,
  DEPLOYABLE_JOBS,
  INVALID_WORKFLOW_INPUT,
  isFlinkJobKey,
  validateDeployInput,
  validateLiveRefresherInput,
  validatePlatformHealthInput,
  validateRefreshAnswersInput,
  DEFAULT_REFRESHER_RUN_MS,
  validateTtlMaintenanceInput,
} from './workflow-inputs';
import { ERASE_USER_LIMITS, validateEraseUserInput } from './workflow-inputs';
import {
  AUTOSCALE_LIMITS,
  MAX_JOB_PARALLELISM,
  SAVEPOINT_KEEP,
  validateAutoscaleInput,
  validateRescaleInput,
  validateSavepointJobsInput,
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
    expect(validateDeployInput([{ job: 'trending' }])).toEqual({
      job: 'trending',
      allowNonRestoredState: false,
      watchSeconds: 30,
    });
  });

  it('should tolerate trailing undefined arguments', () => {
    expect(validateDeployInput([{ job: 'trending' }, undefined])).toEqual({
      job: 'trending',
      allowNonRestoredState: false,
      watchSeconds: 30,
    });
  });

  it.each([true, false])('should pass allowNonRestoredState %j through', (allowNonRestoredState) => {
    expect(validateDeployInput([{ job: 'trending', allowNonRestoredState }])).toEqual({
      job: 'trending',
      allowNonRestoredState,
      watchSeconds: 30,
    });
  });

  it('should take an undefined allowNonRestoredState as the default', () => {
    expect(validateDeployInput([{ job: 'trending', allowNonRestoredState: undefined }])).toEqual({
      job: 'trending',
      allowNonRestoredState: false,
      watchSeconds: 30,
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

  it('should take a watch period in whole seconds up to an hour, 0 for none', () => {
    expect(validateDeployInput([{ job: 'ads', watchSeconds: 0 }])).toMatchObject({ watchSeconds: 0 });
    expect(validateDeployInput([{ job: 'ads', watchSeconds: 3_600 }])).toMatchObject({ watchSeconds: 3_600 });
    for (const watchSeconds of [-1, 1.5, 3_601, '30', null]) {
      const failure = expectInvalid(() => validateDeployInput([{ job: 'ads', watchSeconds }]), 'input.watchSeconds');
      expect(failure.message).toContain('must be a whole number from 0 to 3600');
    }
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

describe(validateTtlMaintenanceInput.name, () => {
  const defaults = { tables: null, dryRun: false, budgets: {}, defaultBudgetBytes: undefined };

  it('should take no input, or an empty one, as every table with a TTL and the default budgets', () => {
    expect(validateTtlMaintenanceInput([])).toEqual(defaults);
    expect(validateTtlMaintenanceInput([undefined])).toEqual(defaults);
    expect(validateTtlMaintenanceInput([{}])).toEqual(defaults);
  });

  it('should pass the documented example through', () => {
    const input = {
      tables: ['events', 'trending_topics'],
      dryRun: true,
      budgets: { events: 200 * 1024 ** 3, trending_topics: 0 },
      defaultBudgetBytes: 5 * 1024 ** 3,
    };
    expect(validateTtlMaintenanceInput([input])).toEqual(input);
  });

  it.each([
    ['an unknown field', { table: 'events' }, 'input.table'],
    ['an empty table list', { tables: [] }, 'input.tables'],
    ['a table list that is a string', { tables: 'events' }, 'input.tables'],
    ['a table name with SQL in it', { tables: ['events; DROP TABLE events'] }, 'input.tables[0]'],
    ['a qualified table name', { tables: ['events', 'system.parts'] }, 'input.tables[1]'],
    ['a repeated table', { tables: ['events', 'events'] }, 'input.tables[1]'],
    ['a string dryRun', { dryRun: 'false' }, 'input.dryRun'],
    ['budgets as a list', { budgets: [1] }, 'input.budgets'],
    ['a negative budget', { budgets: { events: -1 } }, 'input.budgets.events'],
    ['a fractional budget', { budgets: { events: 1.5 } }, 'input.budgets.events'],
    ['a budget as a string', { budgets: { events: '10GiB' } }, 'input.budgets.events'],
    ['a budget for a name that is no table name', { budgets: { 'a-b': 1 } }, 'input.budgets.a-b'],
    ['a __proto__ budget from JSON', { budgets: JSON.parse('{"__proto__": 1}') as unknown }, 'input.budgets.__proto__'],
    ['an unsafe default budget', { defaultBudgetBytes: 2 ** 60 }, 'input.defaultBudgetBytes'],
    ['a null input', null, 'input'],
    ['an array input', [{}], 'input'],
  ])('should refuse %s, naming the field', (_case, input, field) => {
    expectInvalid(() => validateTtlMaintenanceInput([input]), field);
  });

  it('should refuse an extra argument', () => {
    expectInvalid(() => validateTtlMaintenanceInput([{}, {}]), 'args[1]');
  });
});

describe(validateBackfillInput.name, () => {
  it('should fill in the defaults for a bare view', () => {
    expect(validateBackfillInput([{ view: 'engagement_minute_mv' }])).toEqual({
      view: 'engagement_minute_mv',
      from: null,
      maxChunkRows: BACKFILL_LIMITS.maxChunkRows.default,
      chunksPerBatch: BACKFILL_LIMITS.chunksPerBatch.default,
      cutoverLeadSeconds: BACKFILL_LIMITS.cutoverLeadSeconds.default,
      settleSeconds: BACKFILL_LIMITS.settleSeconds.default,
    });
  });

  it('should pass every field through', () => {
    const input = {
      view: 'ad_performance_hour_mv' as const,
      from: '2026-11-01',
      maxChunkRows: 1000,
      chunksPerBatch: 2,
      cutoverLeadSeconds: 5,
      settleSeconds: 0,
    };
    expect(validateBackfillInput([input])).toEqual(input);
  });

  it.each(['constructor', '__proto__', 'events', 'engagement_minute', '', 42, null])(
    'should refuse the view %j, naming the field',
    (view) => {
      expectInvalid(() => validateBackfillInput([{ view }]), 'input.view');
    },
  );

  it.each(['2026-02-30', '2026-1-01', '01/11/2026', '2026-11-01T00:00:00Z', 20261101, null])(
    'should refuse the from %j',
    (from) => {
      expectInvalid(() => validateBackfillInput([{ view: 'engagement_minute_mv', from }]), 'input.from');
    },
  );

  it.each([
    ['maxChunkRows', 0],
    ['maxChunkRows', 1.5],
    ['maxChunkRows', '1000'],
    ['chunksPerBatch', 1001],
    ['cutoverLeadSeconds', 2],
    ['settleSeconds', -1],
    ['settleSeconds', null],
  ])('should refuse %s %j', (field, value) => {
    expectInvalid(() => validateBackfillInput([{ view: 'engagement_minute_mv', [field]: value }]), `input.${field}`);
  });

  it('should refuse an unknown field, a missing input and a second argument', () => {
    expectInvalid(() => validateBackfillInput([{ view: 'engagement_minute_mv', cutover: 'now' }]), 'input.cutover');
    expectInvalid(() => validateBackfillInput([]), 'input');
    expectInvalid(() => validateBackfillInput([{ view: 'engagement_minute_mv' }, {}]), 'args[1]');
  });
});

describe(validateRefreshAnswersInput.name, () => {
  it('should accept a list of distinct answer names', () => {
    expect(validateRefreshAnswersInput([{ answers: ['trending-5m', 'ads-campaigns'] }])).toEqual({
      answers: ['trending-5m', 'ads-campaigns'],
    });
  });

  it.each([
    [[], 'input'],
    [[{}], 'input.answers'],
    [[{ answers: [] }], 'input.answers'],
    [[{ answers: 'trending-5m' }], 'input.answers'],
    [[{ answers: ['trending-5m', 'trending-2h'] }], 'input.answers[1]'],
    [[{ answers: ['trending-5m', 'trending-5m'] }], 'input.answers[1]'],
    [[{ answers: ['constructor'] }], 'input.answers[0]'],
    [[{ answers: ['trending-5m'], every: 5 }], 'input.every'],
  ])('should refuse %j, naming %s', (args, field) => {
    expectInvalid(() => validateRefreshAnswersInput(args), field);
  });
});

describe(validateLiveRefresherInput.name, () => {
  it('should fill in the run length', () => {
    expect(validateLiveRefresherInput([{ answers: ['trending-1m'] }])).toEqual({
      answers: ['trending-1m'],
      runForMs: DEFAULT_REFRESHER_RUN_MS,
    });
  });

  it.each([[{ runForMs: 9_999 }], [{ runForMs: 10_000.5 }], [{ runForMs: '60000' }], [{ runForMs: null }]])(
    'should refuse %j',
    (extra) => {
      expectInvalid(() => validateLiveRefresherInput([{ answers: ['trending-1m'], ...extra }]), 'input.runForMs');
    },
  );
});

describe(validateEraseUserInput.name, () => {
  it('should fill in an absent reason and anonymous ids', () => {
    expect(validateEraseUserInput([{ userId: 'u-1', requestedBy: 'dpo@example.com' }])).toEqual({
      userId: 'u-1',
      requestedBy: 'dpo@example.com',
      reason: '',
      anonymousIds: [],
    });
  });

  it('should keep a reason over lines and the anonymous ids given', () => {
    const input = {
      userId: 'ü/ser 1',
      requestedBy: 'ticket DSR-7',
      reason: 'GDPR art. 17\nby mail',
      anonymousIds: ['a1', 'a2'],
    };
    expect(validateEraseUserInput([input])).toEqual(input);
  });

  it.each([
    [[], 'input'],
    [['u-1'], 'input'],
    [[{ requestedBy: 'x' }], 'input.userId'],
    [[{ userId: '', requestedBy: 'x' }], 'input.userId'],
    [[{ userId: '   ', requestedBy: 'x' }], 'input.userId'],
    [[{ userId: 42, requestedBy: 'x' }], 'input.userId'],
    [[{ userId: 'u\u0000', requestedBy: 'x' }], 'input.userId'],
    [[{ userId: 'u'.repeat(ERASE_USER_LIMITS.idChars + 1), requestedBy: 'x' }], 'input.userId'],
    [[{ userId: 'u-1' }], 'input.requestedBy'],
    [[{ userId: 'u-1', requestedBy: null }], 'input.requestedBy'],
    [[{ userId: 'u-1', requestedBy: 'x', reason: 3 }], 'input.reason'],
    [[{ userId: 'u-1', requestedBy: 'x', anonymousIds: 'a1' }], 'input.anonymousIds'],
    [[{ userId: 'u-1', requestedBy: 'x', anonymousIds: ['a1', ''] }], 'input.anonymousIds[1]'],
    [[{ userId: 'u-1', requestedBy: 'x', anonymousIds: ['a1', 'a1'] }], 'input.anonymousIds[1]'],
    [[{ userId: 'u-1', requestedBy: 'x', user: 'u-1' }], 'input.user'],
    [[{ userId: 'u-1', requestedBy: 'x' }, {}], 'args[1]'],
  ])('should refuse %j, naming %s', (args, field) => {
    expectInvalid(() => validateEraseUserInput(args), field);
  });

  it('should refuse more anonymous ids than the limit', () => {
    const anonymousIds = Array.from({ length: ERASE_USER_LIMITS.anonymousIds + 1 }, (_, i) => `a${i}`);
    expectInvalid(
      () => validateEraseUserInput([{ userId: 'u', requestedBy: 'x', anonymousIds }]),
      'input.anonymousIds',
    );
  });
});

describe(validateSavepointJobsInput.name, () => {
  it('should take every job and keep the default number when there is no input', () => {
    expect(validateSavepointJobsInput([])).toEqual({ jobs: null, keep: SAVEPOINT_KEEP.default });
    expect(validateSavepointJobsInput([{}])).toEqual({ jobs: null, keep: 5 });
  });

  it('should return the jobs and keep asked for', () => {
    expect(validateSavepointJobsInput([{ jobs: ['archive', 'trending'], keep: 2 }])).toEqual({
      jobs: ['archive', 'trending'],
      keep: 2,
    });
  });

  it.each([
    [{ keep: 0 }, 'input.keep'],
    [{ keep: 2.5 }, 'input.keep'],
    [{ keep: '5' }, 'input.keep'],
    [{ keep: null }, 'input.keep'],
    [{ keep: 101 }, 'input.keep'],
    [{ jobs: [] }, 'input.jobs'],
    [{ jobs: 'archive' }, 'input.jobs'],
    [{ jobs: ['archive', 'constructor'] }, 'input.jobs[1]'],
    [{ jobs: ['archive', 'archive'] }, 'input.jobs[1]'],
    [{ keep: 5, every: '30m' }, 'input.every'],
  ])('should refuse %j, naming %s', (input, field) => {
    expectInvalid(() => validateSavepointJobsInput([input]), field);
  });
});

describe(validateRescaleInput.name, () => {
  it('should return the job and the parallelism', () => {
    expect(validateRescaleInput([{ job: 'archive', parallelism: 2 }])).toEqual({ job: 'archive', parallelism: 2 });
    expect(validateRescaleInput([{ job: 'ads', parallelism: MAX_JOB_PARALLELISM }]).parallelism).toBe(128);
  });

  it.each([
    [undefined, 'input'],
    [{ parallelism: 2 }, 'input.job'],
    [{ job: 'archive' }, 'input.parallelism'],
    [{ job: '__proto__', parallelism: 2 }, 'input.job'],
    [{ job: 'archive', parallelism: 0 }, 'input.parallelism'],
    [{ job: 'archive', parallelism: 129 }, 'input.parallelism'],
    [{ job: 'archive', parallelism: 1.5 }, 'input.parallelism'],
    [{ job: 'archive', parallelism: '2' }, 'input.parallelism'],
    [{ job: 'archive', parallelism: 2, force: true }, 'input.force'],
  ])('should refuse %j, naming %s', (input, field) => {
    expectInvalid(() => validateRescaleInput([input]), field);
  });
});

describe(validateAutoscaleInput.name, () => {
  it('should recommend only, for every job, with the defaults, when there is no input', () => {
    expect(validateAutoscaleInput([])).toEqual({
      jobs: null,
      apply: false,
      targetUtilization: 0.7,
      minParallelism: AUTOSCALE_LIMITS.minParallelism.default,
      maxParallelism: AUTOSCALE_LIMITS.maxParallelism.default,
      catchUpSeconds: 300,
      stabilizationSeconds: 300,
      scaleDownStableSeconds: 1_800,
      samples: 3,
      sampleIntervalSeconds: 10,
    });
  });

  it('should return what was given', () => {
    expect(
      validateAutoscaleInput([
        { jobs: ['trending'], apply: true, targetUtilization: 0.5, minParallelism: 2, maxParallelism: 2 },
      ]),
    ).toMatchObject({ jobs: ['trending'], apply: true, targetUtilization: 0.5, minParallelism: 2, maxParallelism: 2 });
  });

  it.each([
    [{ apply: 'true' }, 'input.apply'],
    [{ targetUtilization: 1 }, 'input.targetUtilization'],
    [{ targetUtilization: 0.05 }, 'input.targetUtilization'],
    [{ targetUtilization: '0.7' }, 'input.targetUtilization'],
    [{ minParallelism: 0 }, 'input.minParallelism'],
    [{ maxParallelism: 129 }, 'input.maxParallelism'],
    [{ minParallelism: 3, maxParallelism: 2 }, 'input.minParallelism'],
    [{ samples: 0 }, 'input.samples'],
    [{ sampleIntervalSeconds: 0.5 }, 'input.sampleIntervalSeconds'],
    [{ jobs: ['nope'] }, 'input.jobs[0]'],
    [{ dryRun: true }, 'input.dryRun'],
  ])('should refuse %j, naming %s', (input, field) => {
    expectInvalid(() => validateAutoscaleInput([input]), field);
  });
});
