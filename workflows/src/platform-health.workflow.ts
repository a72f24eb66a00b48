import { proxyActivities } from '@temporalio/workflow';
// Types only: workflow code must stay deterministic and never load activity implementations.
import type { ComponentHealth, PlatformHealthActivities } from '@social-pulse/activities';
import { validatePlatformHealthInput } from './workflow-inputs';

const { checkKafka, checkRedis, checkFlink } = proxyActivities<PlatformHealthActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 2 },
});

export interface PlatformHealthReport {
  healthy: boolean;
  components: ComponentHealth[];
}

/**
 * Checks Kafka, Redis and Flink in parallel and reports each one's health. It takes no input: any
 * argument fails the workflow with a non-retryable 'InvalidWorkflowInput' ApplicationFailure.
 */
export async function platformHealthWorkflow(...args: []): Promise<PlatformHealthReport> {
  validatePlatformHealthInput(args);
  const components = await Promise.all([checkKafka(), checkRedis(), checkFlink()]);
  return { healthy: components.every((c) => c.healthy), components };
}
