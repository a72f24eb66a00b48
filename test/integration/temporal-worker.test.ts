import { TASK_QUEUES } from '@social-pulse/shared';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformHealthReport } from '@social-pulse/workflows';
import { platform } from '@social-pulse/testing';

describe('Temporal worker', () => {
  let connection: Connection;
  let client: Client;

  beforeAll(async () => {
    connection = await Connection.connect({ address: platform.temporalAddress });
    client = new Client({ connection });
  });
  afterAll(() => connection?.close());

  it('should execute the platform health workflow against the real services', async () => {
    const report = await client.workflow.execute<() => Promise<PlatformHealthReport>>('platformHealthWorkflow', {
      taskQueue: TASK_QUEUES.operations,
      workflowId: `platform-health-test-${Date.now()}`,
      workflowExecutionTimeout: '60 seconds',
    });
    expect(report.components.map((c) => c.component).sort()).toEqual(['flink', 'kafka', 'redis']);
    expect(report.components.filter((c) => !c.healthy)).toEqual([]);
    expect(report.healthy).toBe(true);
  });
});
