import { invalidWorkflowInput } from './workflow-inputs';
import type { BootstrapInput } from './bootstrap-platform.workflow';

const BOOTSTRAP_INPUT_FIELDS: readonly string[] = ['redeployJobs'] satisfies (keyof BootstrapInput)[];

/**
 * Checks the bootstrap workflow's argument: none (or `{}`), else `{ redeployJobs? }` with a boolean;
 * returns it with `redeployJobs` false when absent. Anything else fails the workflow with a
 * non-retryable 'InvalidWorkflowInput' ApplicationFailure naming the field, as every workflow's input does.
 */
export function validateBootstrapInput(args: readonly unknown[]): Required<BootstrapInput> {
  const extra = args.findIndex((arg, index) => index >= 1 && arg !== undefined);
  if (extra >= 0) throw invalidWorkflowInput(`args[${extra}]`, 'is not expected (the workflow takes 1)');
  const input = args[0] === undefined ? {} : args[0];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalidWorkflowInput('input', 'must be an object like {} or { "redeployJobs": true }');
  }
  const unknown = Object.keys(input).filter((key) => !BOOTSTRAP_INPUT_FIELDS.includes(key));
  if (unknown.length > 0) throw invalidWorkflowInput(`input.${unknown[0]}`, 'is not a known field');
  // Only absent takes the default: null is refused, as JSON can send it.
  const given = (input as Record<string, unknown>).redeployJobs;
  const redeployJobs = given === undefined ? false : given;
  if (typeof redeployJobs !== 'boolean') {
    throw invalidWorkflowInput(
      'input.redeployJobs',
      `must be true or false (got ${redeployJobs === null ? 'null' : `a ${typeof redeployJobs}`})`,
    );
  }
  return { redeployJobs };
}
