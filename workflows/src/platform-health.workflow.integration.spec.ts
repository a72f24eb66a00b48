import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComponentHealth, PlatformHealthActivities } from '@social-pulse/activities';
import { runWorkflow, startWorkflowTestEnvironment } from '@social-pulse/testing/temporal';
import { platformHealthWorkflow } from './platform-health.workflow';

/** The worker bundles the workflows from the package's entry, as the real worker does. */
const workflowsPath = join(__dirname, 'index.ts');

const healthy = (component: string): ComponentHealth => ({ component, healthy: true, detail: 'fine' });

describe(platformHealthWorkflow.name, () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await startWorkflowTestEnvironment();
  });
  afterAll(() => env?.teardown());

  const runWith = (activities: PlatformHealthActivities) =>
    runWorkflow(env, platformHealthWorkflow, [], activities, { workflowsPath });

  it('should report healthy when every component is', async () => {
    const report = await runWith({
      checkKafka: async () => healthy('kafka'),
      checkRedis: async () => healthy('redis'),
      checkFlink: async () => healthy('flink'),
    });
    expect(report).toEqual({ healthy: true, components: [healthy('kafka'), healthy('redis'), healthy('flink')] });
  });

  it('should report unhealthy and keep the others when one component is down', async () => {
    const report = await runWith({
      checkKafka: async () => healthy('kafka'),
      checkRedis: async () => ({ component: 'redis', healthy: false, detail: 'ECONNREFUSED' }),
      checkFlink: async () => healthy('flink'),
    });
    expect(report.healthy).toBe(false);
    expect(report.components.find((c) => c.component === 'redis')?.detail).toBe('ECONNREFUSED');
  });
});
