import { ApplicationFailure } from '@temporalio/workflow';
import { FLINK_JOBS, type FlinkJobKey } from '@social-pulse/shared';
import type { DeployInput } from './flink-deploy.workflow';

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

const DEPLOY_INPUT_FIELDS: readonly string[] = ['job', 'allowNonRestoredState'] satisfies (keyof DeployInput)[];

/**
 * Checks the deploy workflow's arguments (exactly one `{ job, allowNonRestoredState? }`); returns
 * the input with its default filled in (`allowNonRestoredState: false`) or throws the failure.
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
  return { job, allowNonRestoredState };
}

/** The platform health workflow takes no input: nothing but missing (undefined) arguments passes. */
export function validatePlatformHealthInput(args: readonly unknown[]): void {
  checkArgumentCount(args, 0);
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
