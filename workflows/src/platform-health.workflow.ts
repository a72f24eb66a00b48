import { proxyActivities } from '@temporalio/workflow';
// Types only: workflow code must stay deterministic and never load activity implementations.
import type { ComponentHealth, PlatformHealthActivities } from '@social-pulse/activities';

const { checkKafka, checkRedis, checkFlink } = proxyActivities<PlatformHealthActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 2 },
});

export interface PlatformHealthReport {
  healthy: boolean;
  components: ComponentHealth[];
}

/** Checks Kafka, Redis and Flink in parallel and reports each one's health. */
export async function platformHealthWorkflow(): Promise<PlatformHealthReport> {
  const components = await Promise.all([checkKafka(), checkRedis(), checkFlink()]);
  return { healthy: components.every((c) => c.healthy), components };
}
