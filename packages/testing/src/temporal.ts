import { installTemporal } from '@social-pulse/pulse/testing';
import type { WorkflowStartOptions } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Workflow } from '@temporalio/workflow';

/**
 * A local Temporal server for workflow tests. The time-skipping server cannot be downloaded
 * here, so this runs the project's own Temporal CLI (the one pulse installs).
 */
export async function startWorkflowTestEnvironment(): Promise<TestWorkflowEnvironment> {
  const { binary } = await installTemporal();
  return TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: binary }, extraArgs: ['--log-level', 'error'] },
  });
}

const bundles = new Map<string, Promise<WorkflowBundleWithSourceMap>>();

/**
 * The workflows of `workflowsPath` bundled once per test file: every worker of a file runs the same
 * code, and each bundling takes seconds (a worker given `workflowsPath` bundles again).
 */
export function testWorkflowBundle(workflowsPath: string): Promise<WorkflowBundleWithSourceMap> {
  let bundle = bundles.get(workflowsPath);
  if (!bundle) bundles.set(workflowsPath, (bundle = bundleWorkflowCode({ workflowsPath })));
  return bundle;
}

/**
 * Runs one workflow to its result on a fresh task queue, with the given activities. The worker
 * bundles the workflows from `workflowsPath` (the module that exports them, e.g. workflows/src/index.ts).
 */
export async function runWorkflow<W extends Workflow>(
  env: TestWorkflowEnvironment,
  workflow: W,
  args: Parameters<W>,
  activities: object,
  options: { workflowsPath: string },
): Promise<Awaited<ReturnType<W>>> {
  const taskQueue = `test-${Math.random().toString(36).slice(2)}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await testWorkflowBundle(options.workflowsPath),
    activities,
  });
  // The generic W hides which arguments the workflow takes, so the options go in untyped.
  const start = { taskQueue, workflowId: taskQueue, args } as unknown as WorkflowStartOptions<W>;
  return worker.runUntil(env.client.workflow.execute(workflow, start)) as Promise<Awaited<ReturnType<W>>>;
}
