import { FLINK_JOBS, TASK_QUEUES, deployWorkflowId, type FlinkJobKey } from '@social-pulse/shared';
import { Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { deployFlinkJobWorkflow, deployProgressQuery, type DeployResult } from '@social-pulse/workflows';
import { PulseError, say } from '../console';
import { loadSettings } from '../settings';

/**
 * `pulse deploy <job>`: runs the deploy workflow on the worker and prints its steps as they
 * happen. A deploy of the same job already under way is followed rather than started twice.
 */
export async function deploy(job: string): Promise<DeployResult> {
  if (!Object.hasOwn(FLINK_JOBS, job)) {
    throw new PulseError(`unknown Flink job "${job}".`, `one of: ${Object.keys(FLINK_JOBS).join(', ')}`);
  }
  const settings = loadSettings();
  const connection = await Connection.connect({
    address: `127.0.0.1:${settings.TEMPORAL_PORT}`,
    connectTimeout: 10_000,
  }).catch((error: Error) => {
    throw new PulseError(
      `Temporal is not reachable: ${error.message}`,
      'start the platform with `npx pulse up --detach`',
    );
  });
  const client = new Client({ connection });
  const workflowId = deployWorkflowId(job as FlinkJobKey);
  let handle;
  try {
    handle = await client.workflow.start(deployFlinkJobWorkflow, {
      taskQueue: TASK_QUEUES.operations,
      workflowId,
      args: [{ job: job as FlinkJobKey }],
    });
    say.step(`deploying ${job} (workflow ${workflowId}, see the Temporal UI)`);
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    say.warn(`a deploy of ${job} is already running; following it`);
    handle = client.workflow.getHandle(workflowId);
  }

  let shown = 0;
  const follow = async () => {
    const progress = await handle.query(deployProgressQuery).catch(() => undefined);
    for (; progress && shown < progress.steps.length; shown++) say.step(`  ${progress.steps[shown].step}`);
  };
  const timer = setInterval(() => void follow(), 500);
  try {
    const result = (await handle.result()) as DeployResult;
    await follow();
    const pause = result.pausedMs === null ? '' : `, processing paused ${(result.pausedMs / 1000).toFixed(1)} s`;
    if (result.rolledBack)
      say.warn(`${job}: the new version failed and the previous one was restored (job ${result.jobId})`);
    else say.ok(`${job} deployed as job ${result.jobId}${pause}`);
    return result;
  } finally {
    clearInterval(timer);
    await connection.close();
  }
}
