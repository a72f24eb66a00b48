import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComponentHealth, PlatformHealthActivities } from '@social-pulse/activities';
import { installTemporal } from '../../tools/pulse/src/install/temporal';
import { platformHealthWorkflow } from './platform-health.workflow';

const healthy = (component: string): ComponentHealth => ({ component, healthy: true, detail: 'fine' });

describe(platformHealthWorkflow.name, () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    // The time-skipping server cannot be downloaded here: run the project's own Temporal CLI.
    const { binary } = await installTemporal();
    env = await TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'existing-path', path: binary }, extraArgs: ['--log-level', 'error'] },
    });
  });
  afterAll(() => env?.teardown());

  const runWith = async (activities: PlatformHealthActivities) => {
    const taskQueue = `test-${Math.random()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: join(__dirname, 'index.ts'),
      activities,
    });
    return worker.runUntil(
      env.client.workflow.execute(platformHealthWorkflow, { taskQueue, workflowId: `health-${taskQueue}` }),
    );
  };

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
