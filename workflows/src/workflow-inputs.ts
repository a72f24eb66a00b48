import { ApplicationFailure } from '@temporalio/workflow';
import { FLINK_JOBS, PRECOMPUTED_ANSWERS, PRECOMPUTED_ANSWER_NAMES, type FlinkJobKey } from '@social-pulse/shared';
import type { LiveRefresherInput, RefreshAnswersInput } from './answer-refresh.workflow';
import type { DeployInput } from './flink-deploy.workflow';
import { BACKFILL_VIEWS, isBackfillViewName } from '@social-pulse/shared';
import type { BackfillInput } from './backfill-view.workflow';
import type { TtlMaintenanceInput } from './ttl-maintenance.workflow';
import type { EraseUserInput } from './erase-user.workflow';
import type { SavepointJobsInput } from './flink-savepoints.workflow';
import type { RescaleInput } from './flink-rescale.workflow';
import type { AutoscaleInput } from './flink-autoscale.workflow';

/**
 * The checks each workflow runs on its input before doing anything. A workflow's input comes from
 * whoever can start it (any Temporal client), so it is checked like a request body: a bad input
 * fails the workflow at once with a non-retryable ApplicationFailure of this type, naming the field.
 *
 * Hand-written rather than zod: the inputs are tiny, and this keeps the workflow bundle (and the
 * workflows package's dependencies) free of a schema library. Pure functions, deterministic.
 *
 * Not exported from the package's entry (index.ts): every function exported there is a workflow type.
 */
export const INVALID_WORKFLOW_INPUT = 'InvalidWorkflowInput';

/** A non-retryable failure naming the bad field; the field is also in the failure's details. */
export function invalidWorkflowInput(field: string, problem: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: INVALID_WORKFLOW_INPUT,
    message: `invalid workflow input: ${field} ${problem}`,
    nonRetryable: true,
    details: [{ field }],
  });
}

/** The jobs that can be deployed: own keys of FLINK_JOBS only, so `constructor` or `__proto__` are not jobs. */
export const DEPLOYABLE_JOBS: readonly FlinkJobKey[] = Object.keys(FLINK_JOBS) as FlinkJobKey[];

export function isFlinkJobKey(value: unknown): value is FlinkJobKey {
  return typeof value === 'string' && Object.hasOwn(FLINK_JOBS, value);
}

const DEPLOY_INPUT_FIELDS: readonly string[] = [
  'job',
  'allowNonRestoredState',
  'watchSeconds',
] satisfies (keyof DeployInput)[];

/** How long a new job is watched by default, and the longest watch (a deploy holds its workflow that long). */
export const DEPLOY_WATCH_SECONDS = { default: 30, min: 0, max: 3_600 } as const;

/**
 * Checks the deploy workflow's arguments (exactly one `{ job, allowNonRestoredState?, watchSeconds? }`);
 * returns the input with its defaults filled in (`allowNonRestoredState: false`, `watchSeconds: 30`)
 * or throws the failure.
 */
export function validateDeployInput(args: readonly unknown[]): Required<DeployInput> {
  checkArgumentCount(args, 1);
  const input = args[0];
  if (!isPlainObject(input)) throw invalidWorkflowInput('input', `must be an object like { job: 'trending' }`);
  const unknown = Object.keys(input).filter((key) => !DEPLOY_INPUT_FIELDS.includes(key));
  if (unknown.length > 0) throw invalidWorkflowInput(`input.${unknown[0]}`, 'is not a known field');
  if (!Object.hasOwn(input, 'job')) throw invalidWorkflowInput('input.job', 'is required');
  const job = input.job;
  if (!isFlinkJobKey(job)) {
    throw invalidWorkflowInput('input.job', `must be one of: ${DEPLOYABLE_JOBS.join(', ')} (got ${describe(job)})`);
  }
  // Absent (or undefined, which JSON drops anyway) means false; anything else must be a boolean,
  // so a string "false" cannot drop state by being truthy.
  const allowNonRestoredState = input.allowNonRestoredState === undefined ? false : input.allowNonRestoredState;
  if (typeof allowNonRestoredState !== 'boolean') {
    throw invalidWorkflowInput(
      'input.allowNonRestoredState',
      `must be true or false (got ${describe(allowNonRestoredState)})`,
    );
  }
  const watchSeconds = input.watchSeconds === undefined ? DEPLOY_WATCH_SECONDS.default : input.watchSeconds;
  const { min, max } = DEPLOY_WATCH_SECONDS;
  if (typeof watchSeconds !== 'number' || !Number.isInteger(watchSeconds) || watchSeconds < min || watchSeconds > max) {
    throw invalidWorkflowInput(
      'input.watchSeconds',
      `must be a whole number from ${min} to ${max} (got ${describe(watchSeconds)})`,
    );
  }
  return { job, allowNonRestoredState, watchSeconds };
}

/** The platform health workflow takes no input: nothing but missing (undefined) arguments passes. */
export function validatePlatformHealthInput(args: readonly unknown[]): void {
  checkArgumentCount(args, 0);
}

const REFRESH_INPUT_FIELDS: readonly string[] = ['answers'] satisfies (keyof RefreshAnswersInput)[];
const LIVE_REFRESHER_FIELDS: readonly string[] = ['answers', 'runForMs'] satisfies (keyof LiveRefresherInput)[];

/** The default length of one live refresher activity run. */
export const DEFAULT_REFRESHER_RUN_MS = 60_000;

/** Checks `{ answers: [names] }`: a non-empty list of distinct PRECOMPUTED_ANSWERS names. */
export function validateRefreshAnswersInput(args: readonly unknown[]): RefreshAnswersInput {
  checkArgumentCount(args, 1);
  const input = checkFields(args[0], REFRESH_INPUT_FIELDS, `{ answers: ['trending-5m'] }`);
  return { answers: checkAnswers(input.answers) };
}

/** Checks `{ answers: [names], runForMs? }`; runForMs defaults to DEFAULT_REFRESHER_RUN_MS, at least 10 s. */
export function validateLiveRefresherInput(args: readonly unknown[]): Required<LiveRefresherInput> {
  checkArgumentCount(args, 1);
  const input = checkFields(args[0], LIVE_REFRESHER_FIELDS, `{ answers: ['trending-1m'] }`);
  const runForMs = input.runForMs === undefined ? DEFAULT_REFRESHER_RUN_MS : input.runForMs;
  if (typeof runForMs !== 'number' || !Number.isInteger(runForMs) || runForMs < 10_000) {
    throw invalidWorkflowInput(
      'input.runForMs',
      `must be a whole number of milliseconds, at least 10000 (got ${describe(runForMs)})`,
    );
  }
  return { answers: checkAnswers(input.answers), runForMs };
}

function checkFields(input: unknown, fields: readonly string[], example: string): Record<string, unknown> {
  if (!isPlainObject(input)) throw invalidWorkflowInput('input', `must be an object like ${example}`);
  const unknown = Object.keys(input).filter((key) => !fields.includes(key));
  if (unknown.length > 0) throw invalidWorkflowInput(`input.${unknown[0]}`, 'is not a known field');
  return input;
}

function checkAnswers(answers: unknown): string[] {
  if (!Array.isArray(answers) || answers.length === 0) {
    throw invalidWorkflowInput('input.answers', 'must be a non-empty list of answer names');
  }
  answers.forEach((answer: unknown, i) => {
    if (typeof answer !== 'string' || !Object.hasOwn(PRECOMPUTED_ANSWERS, answer)) {
      throw invalidWorkflowInput(
        `input.answers[${i}]`,
        `must be one of: ${PRECOMPUTED_ANSWER_NAMES.join(', ')} (got ${describe(answer)})`,
      );
    }
    if (answers.indexOf(answer) !== i) throw invalidWorkflowInput(`input.answers[${i}]`, `repeats ${answer}`);
  });
  return answers as string[];
}

/** At most `expected` arguments; extra ones are refused unless they are undefined (a client sending none). */
function checkArgumentCount(args: readonly unknown[], expected: number): void {
  const extra = args.findIndex((arg, index) => index >= expected && arg !== undefined);
  if (extra >= 0) throw invalidWorkflowInput(`args[${extra}]`, `is not expected (the workflow takes ${expected})`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** A short, printable form of a bad value for the failure message. */
function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = typeof value === 'string' ? JSON.stringify(value) : `a ${value === null ? 'null' : typeof value}`;
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

const TTL_MAINTENANCE_FIELDS: readonly string[] = [
  'tables',
  'dryRun',
  'budgets',
  'defaultBudgetBytes',
] satisfies (keyof TtlMaintenanceInput)[];

/** A ClickHouse table name as the migrations write them; the activities check it against system.tables too. */
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/**
 * Checks the TTL maintenance workflow's argument: none (or `{}`) for every table with a TTL and the
 * default budgets, else `{ tables?, dryRun?, budgets?, defaultBudgetBytes? }`. Returns the input with
 * `tables` null when absent (every table) and `dryRun` false; budgets are whole, non-negative bytes.
 */
export function validateTtlMaintenanceInput(args: readonly unknown[]): {
  tables: string[] | null;
  dryRun: boolean;
  budgets: Record<string, number>;
  defaultBudgetBytes: number | undefined;
} {
  checkArgumentCount(args, 1);
  const input = args[0] === undefined ? {} : args[0];
  if (!isPlainObject(input)) {
    throw invalidWorkflowInput('input', `must be an object like { "tables": ["events"], "dryRun": true }`);
  }
  const unknown = Object.keys(input).filter((key) => !TTL_MAINTENANCE_FIELDS.includes(key));
  if (unknown.length > 0) throw invalidWorkflowInput(`input.${unknown[0]}`, 'is not a known field');

  let tables: string[] | null = null;
  if (input.tables !== undefined) {
    const list = input.tables;
    if (!Array.isArray(list) || list.length === 0 || list.length > 100) {
      throw invalidWorkflowInput('input.tables', 'must be a list of 1 to 100 table names (leave it out for all)');
    }
    list.forEach((table: unknown, i) => {
      if (typeof table !== 'string' || !TABLE_NAME.test(table)) {
        throw invalidWorkflowInput(`input.tables[${i}]`, `must be a table name (got ${describe(table)})`);
      }
      if (list.indexOf(table) !== i) throw invalidWorkflowInput(`input.tables[${i}]`, `repeats ${table}`);
    });
    tables = list as string[];
  }

  const dryRun = input.dryRun === undefined ? false : input.dryRun;
  if (typeof dryRun !== 'boolean') {
    throw invalidWorkflowInput('input.dryRun', `must be true or false (got ${describe(dryRun)})`);
  }

  const budgets: Record<string, number> = {};
  if (input.budgets !== undefined) {
    if (!isPlainObject(input.budgets)) {
      throw invalidWorkflowInput('input.budgets', 'must be an object of table name to bytes, like { "events": 1e12 }');
    }
    for (const [table, bytes] of Object.entries(input.budgets)) {
      // __proto__ would set the object's prototype rather than a budget.
      if (!TABLE_NAME.test(table) || table === '__proto__') {
        throw invalidWorkflowInput(`input.budgets.${table}`, 'is not a table name');
      }
      budgets[table] = checkBytes(`input.budgets.${table}`, bytes);
    }
  }
  const defaultBudgetBytes =
    input.defaultBudgetBytes === undefined
      ? undefined
      : checkBytes('input.defaultBudgetBytes', input.defaultBudgetBytes);
  return { tables, dryRun, budgets, defaultBudgetBytes };
}

function checkBytes(field: string, bytes: unknown): number {
  if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 0) {
    throw invalidWorkflowInput(field, `must be a whole number of bytes, 0 or more (got ${describe(bytes)})`);
  }
  return bytes;
}

const BACKFILL_INPUT_FIELDS: readonly string[] = [
  'view',
  'from',
  'maxChunkRows',
  'chunksPerBatch',
  'cutoverLeadSeconds',
  'settleSeconds',
] satisfies (keyof BackfillInput)[];

/** The backfill input's numeric fields: default, least and greatest. */
export const BACKFILL_LIMITS = {
  maxChunkRows: { default: 500_000, min: 1, max: 10_000_000 },
  chunksPerBatch: { default: 20, min: 1, max: 1_000 },
  cutoverLeadSeconds: { default: 10, min: 3, max: 600 },
  settleSeconds: { default: 30, min: 0, max: 3_600 },
} as const;

/** A checked backfill input: `from` is null when absent, every number has its default. */
export type CheckedBackfillInput = Required<Omit<BackfillInput, 'from'>> & { from: string | null };

/**
 * Checks the backfill workflow's arguments (exactly one `{ view, from?, maxChunkRows?, chunksPerBatch?,
 * cutoverLeadSeconds?, settleSeconds? }`): the view an own key of BACKFILL_VIEWS, `from` a real
 * 'YYYY-MM-DD' date, each number a whole number within BACKFILL_LIMITS.
 */
export function validateBackfillInput(args: readonly unknown[]): CheckedBackfillInput {
  checkArgumentCount(args, 1);
  const input = args[0];
  if (!isPlainObject(input))
    throw invalidWorkflowInput('input', `must be an object like { view: 'engagement_minute_mv' }`);
  const unknown = Object.keys(input).filter((key) => !BACKFILL_INPUT_FIELDS.includes(key));
  if (unknown.length > 0) throw invalidWorkflowInput(`input.${unknown[0]}`, 'is not a known field');
  if (!isBackfillViewName(input.view)) {
    throw invalidWorkflowInput(
      'input.view',
      `must be one of: ${Object.keys(BACKFILL_VIEWS).join(', ')} (got ${describe(input.view)})`,
    );
  }
  const from = input.from === undefined ? null : input.from;
  if (from !== null && !isIsoDate(from)) {
    throw invalidWorkflowInput('input.from', `must be a date 'YYYY-MM-DD' (got ${describe(from)})`);
  }
  if (from === null && input.from !== undefined) throw invalidWorkflowInput('input.from', 'must be a date, not null');
  const number = (field: keyof typeof BACKFILL_LIMITS): number => {
    const { default: fallback, min, max } = BACKFILL_LIMITS[field];
    // Only absent (undefined) takes the default: null is refused, as JSON can send it.
    const value = input[field] === undefined ? fallback : input[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw invalidWorkflowInput(
        `input.${field}`,
        `must be a whole number from ${min} to ${max} (got ${describe(value)})`,
      );
    }
    return value;
  };
  return {
    view: input.view,
    from,
    maxChunkRows: number('maxChunkRows'),
    chunksPerBatch: number('chunksPerBatch'),
    cutoverLeadSeconds: number('cutoverLeadSeconds'),
    settleSeconds: number('settleSeconds'),
  };
}

/** A real calendar date written 'YYYY-MM-DD' (so '2026-02-30' is not one). */
function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00.000Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(value);
}

const ERASE_USER_FIELDS: readonly string[] = [
  'userId',
  'requestedBy',
  'reason',
  'anonymousIds',
] satisfies (keyof EraseUserInput)[];

/** The erase-user input's limits: lengths in characters, and linked anonymous ids named in the input. */
export const ERASE_USER_LIMITS = {
  idChars: 256,
  requestedByChars: 200,
  reasonChars: 2_000,
  anonymousIds: 1_000,
} as const;

/** A checked erase-user input: `reason` '' when absent, `anonymousIds` [] when absent. */
export type CheckedEraseUserInput = Required<EraseUserInput>;

/**
 * Checks the erase-user workflow's argument, `{ userId, requestedBy, reason?, anonymousIds? }`: the
 * ids non-empty strings without control characters (at most ERASE_USER_LIMITS.idChars), requestedBy
 * a non-empty name, reason text, anonymousIds a list of distinct ids.
 */
export function validateEraseUserInput(args: readonly unknown[]): CheckedEraseUserInput {
  checkArgumentCount(args, 1);
  const input = checkFields(args[0], ERASE_USER_FIELDS, `{ "userId": "u-123", "requestedBy": "dpo@example.com" }`);
  const text = (field: string, value: unknown, max: number, required: boolean): string => {
    if (value === undefined && !required) return '';
    if (value === undefined) throw invalidWorkflowInput(field, 'is required');
    if (typeof value !== 'string' || value.trim() === '' || value.length > max) {
      throw invalidWorkflowInput(
        field,
        `must be a non-empty string of at most ${max} characters (got ${describe(value)})`,
      );
    }
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(value) && field !== 'input.reason') {
      throw invalidWorkflowInput(field, 'must not hold control characters');
    }
    return value;
  };
  const userId = text('input.userId', input.userId, ERASE_USER_LIMITS.idChars, true);
  const requestedBy = text('input.requestedBy', input.requestedBy, ERASE_USER_LIMITS.requestedByChars, true);
  const reason = text('input.reason', input.reason, ERASE_USER_LIMITS.reasonChars, false);
  let anonymousIds: string[] = [];
  if (input.anonymousIds !== undefined) {
    const list = input.anonymousIds;
    if (!Array.isArray(list) || list.length > ERASE_USER_LIMITS.anonymousIds) {
      throw invalidWorkflowInput(
        'input.anonymousIds',
        `must be a list of at most ${ERASE_USER_LIMITS.anonymousIds} anonymous ids (leave it out to use those found)`,
      );
    }
    anonymousIds = list.map((id: unknown, i) => {
      const checked = text(`input.anonymousIds[${i}]`, id, ERASE_USER_LIMITS.idChars, true);
      if (list.indexOf(id) !== i) throw invalidWorkflowInput(`input.anonymousIds[${i}]`, `repeats ${describe(id)}`);
      return checked;
    });
  }
  return { userId, requestedBy, reason, anonymousIds };
}

/** A whole number from `min` to `max`; absent (undefined) is `fallback`, null and anything else are refused. */
function wholeNumber(field: string, value: unknown, fallback: number, min: number, max: number): number {
  const checked = value === undefined ? fallback : value;
  if (typeof checked !== 'number' || !Number.isInteger(checked) || checked < min || checked > max) {
    throw invalidWorkflowInput(field, `must be a whole number from ${min} to ${max} (got ${describe(checked)})`);
  }
  return checked;
}

/** A list of distinct FLINK_JOBS keys; null when absent (every job). */
function checkJobList(field: string, jobs: unknown): FlinkJobKey[] | null {
  if (jobs === undefined) return null;
  if (!Array.isArray(jobs) || jobs.length === 0) {
    throw invalidWorkflowInput(
      field,
      `must be a non-empty list of jobs (leave it out for all): ${DEPLOYABLE_JOBS.join(', ')}`,
    );
  }
  jobs.forEach((job: unknown, i) => {
    if (!isFlinkJobKey(job)) {
      throw invalidWorkflowInput(
        `${field}[${i}]`,
        `must be one of: ${DEPLOYABLE_JOBS.join(', ')} (got ${describe(job)})`,
      );
    }
    if (jobs.indexOf(job) !== i) throw invalidWorkflowInput(`${field}[${i}]`, `repeats ${job}`);
  });
  return jobs as FlinkJobKey[];
}

const SAVEPOINT_JOBS_FIELDS: readonly string[] = ['jobs', 'keep'] satisfies (keyof SavepointJobsInput)[];

/** The savepoint workflow's `keep`: how many savepoints per job stay (those in use stay besides). */
export const SAVEPOINT_KEEP = { default: 5, min: 1, max: 100 } as const;

/** Checks `{ jobs?, keep? }` (none is `{}`): `jobs` null for every job, `keep` SAVEPOINT_KEEP.default. */
export function validateSavepointJobsInput(args: readonly unknown[]): { jobs: FlinkJobKey[] | null; keep: number } {
  checkArgumentCount(args, 1);
  const input = checkFields(args[0] === undefined ? {} : args[0], SAVEPOINT_JOBS_FIELDS, `{ "keep": 5 }`);
  return {
    jobs: checkJobList('input.jobs', input.jobs),
    keep: wholeNumber('input.keep', input.keep, SAVEPOINT_KEEP.default, SAVEPOINT_KEEP.min, SAVEPOINT_KEEP.max),
  };
}

/**
 * The highest parallelism a rescale accepts: the jobs' max parallelism (their keyed state's key
 * groups, fixed in each job, e.g. EventArchiveJob.MAX_PARALLELISM). The rescale also checks the
 * running job's own and the cluster's free slots.
 */
export const MAX_JOB_PARALLELISM = 128;

const RESCALE_FIELDS: readonly string[] = ['job', 'parallelism'] satisfies (keyof RescaleInput)[];

/** Checks `{ job, parallelism }`: one of FLINK_JOBS' keys and a whole number from 1 to MAX_JOB_PARALLELISM. */
export function validateRescaleInput(args: readonly unknown[]): RescaleInput {
  checkArgumentCount(args, 1);
  const input = checkFields(args[0], RESCALE_FIELDS, `{ "job": "archive", "parallelism": 2 }`);
  if (!Object.hasOwn(input, 'job')) throw invalidWorkflowInput('input.job', 'is required');
  if (!isFlinkJobKey(input.job)) {
    throw invalidWorkflowInput(
      'input.job',
      `must be one of: ${DEPLOYABLE_JOBS.join(', ')} (got ${describe(input.job)})`,
    );
  }
  if (!Object.hasOwn(input, 'parallelism')) throw invalidWorkflowInput('input.parallelism', 'is required');
  return {
    job: input.job,
    parallelism: wholeNumber('input.parallelism', input.parallelism, 0, 1, MAX_JOB_PARALLELISM),
  };
}

const AUTOSCALE_FIELDS: readonly string[] = [
  'jobs',
  'apply',
  'targetUtilization',
  'minParallelism',
  'maxParallelism',
  'catchUpSeconds',
  'stabilizationSeconds',
  'scaleDownStableSeconds',
  'samples',
  'sampleIntervalSeconds',
] satisfies (keyof AutoscaleInput)[];

/** The autoscaling input's numbers: default, least and greatest. */
export const AUTOSCALE_LIMITS = {
  minParallelism: { default: 1, min: 1, max: MAX_JOB_PARALLELISM },
  maxParallelism: { default: 4, min: 1, max: MAX_JOB_PARALLELISM },
  catchUpSeconds: { default: 300, min: 10, max: 86_400 },
  stabilizationSeconds: { default: 300, min: 0, max: 86_400 },
  scaleDownStableSeconds: { default: 1_800, min: 0, max: 86_400 },
  samples: { default: 3, min: 1, max: 20 },
  sampleIntervalSeconds: { default: 10, min: 1, max: 300 },
} as const;

/** The target utilisation: the share of each second the busiest vertex should be busy (the operator's default, 0.7). */
export const TARGET_UTILIZATION = { default: 0.7, min: 0.1, max: 0.95 } as const;

/** A checked autoscaling input: `jobs` null for every job, every other field with its default. */
export type CheckedAutoscaleInput = Required<Omit<AutoscaleInput, 'jobs'>> & { jobs: FlinkJobKey[] | null };

/**
 * Checks the autoscaling workflow's argument (none is `{}`): `jobs` FLINK_JOBS keys, `apply` a
 * boolean (default false: recommend only), `targetUtilization` a number within TARGET_UTILIZATION,
 * the rest whole numbers within AUTOSCALE_LIMITS, and `minParallelism` not above `maxParallelism`.
 */
export function validateAutoscaleInput(args: readonly unknown[]): CheckedAutoscaleInput {
  checkArgumentCount(args, 1);
  const input = checkFields(args[0] === undefined ? {} : args[0], AUTOSCALE_FIELDS, `{ "apply": false }`);
  const apply = input.apply === undefined ? false : input.apply;
  if (typeof apply !== 'boolean')
    throw invalidWorkflowInput('input.apply', `must be true or false (got ${describe(apply)})`);
  const target = input.targetUtilization === undefined ? TARGET_UTILIZATION.default : input.targetUtilization;
  if (
    typeof target !== 'number' ||
    !Number.isFinite(target) ||
    target < TARGET_UTILIZATION.min ||
    target > TARGET_UTILIZATION.max
  ) {
    throw invalidWorkflowInput(
      'input.targetUtilization',
      `must be a number from ${TARGET_UTILIZATION.min} to ${TARGET_UTILIZATION.max} (got ${describe(target)})`,
    );
  }
  const number = (field: keyof typeof AUTOSCALE_LIMITS): number => {
    const { default: fallback, min, max } = AUTOSCALE_LIMITS[field];
    return wholeNumber(`input.${field}`, input[field], fallback, min, max);
  };
  const checked: CheckedAutoscaleInput = {
    jobs: checkJobList('input.jobs', input.jobs),
    apply,
    targetUtilization: target,
    minParallelism: number('minParallelism'),
    maxParallelism: number('maxParallelism'),
    catchUpSeconds: number('catchUpSeconds'),
    stabilizationSeconds: number('stabilizationSeconds'),
    scaleDownStableSeconds: number('scaleDownStableSeconds'),
    samples: number('samples'),
    sampleIntervalSeconds: number('sampleIntervalSeconds'),
  };
  if (checked.minParallelism > checked.maxParallelism) {
    throw invalidWorkflowInput(
      'input.minParallelism',
      `must not be above input.maxParallelism (${checked.minParallelism} > ${checked.maxParallelism})`,
    );
  }
  return checked;
}
