import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FLINK_JOBS } from '@social-pulse/shared';
import { platform, startWorker, type AppProcess } from '@social-pulse/testing';
import { deployFlinkJobWorkflow, deployProgressQuery } from '@social-pulse/workflows';

// A deploy of the real trending job whose worker is killed (SIGKILL) while it stops the job with a
// savepoint: the step is retried on the next worker within the heartbeat timeout and resumes the
// same savepoint, so the job is not left stopped for long. Workers and task queue of the test's own.
// The next worker is started after the kill (it would otherwise take the step), so the pause
// includes its start, which a loaded machine stretches (5 s to 10 s): the test bounds what the
// deploy adds to that.
describe('a deploy whose worker is killed mid-savepoint', () => {
  const taskQueue = `deploy-kill-${Date.now()}`;
  const workers: AppProcess[] = [];
  let connection: Connection;
  let client: Client;

  beforeAll(async () => {
    connection = await Connection.connect({ address: platform.temporalAddress });
    client = new Client({ connection });
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await connection?.close();
  });

  it('should complete on the next worker, the job running again within 5 s of that worker’s start', async () => {
    const first = await startWorker(taskQueue);
    workers.push(first);
    const handle = await client.workflow.start(deployFlinkJobWorkflow, {
      taskQueue,
      workflowId: taskQueue,
      // The pause is what this test measures; the watch after it is the rollback tests' concern.
      args: [{ job: 'trending', watchSeconds: 0 }],
    });
    await vi.waitFor(async () => expect((await handle.query(deployProgressQuery)).stage).toBe('savepoint'), {
      timeout: 60_000,
      interval: 20,
    });
    // The step names the job it stops; the worker dies once Flink has that job's savepoint under way.
    const { steps } = await handle.query(deployProgressQuery);
    const stopping = /stopping job ([0-9a-f]{32})/.exec(steps.at(-1)!.step)![1];
    await vi.waitFor(
      async () => {
        const history = (await (await fetch(`${platform.flinkRestUrl}/jobs/${stopping}/checkpoints`)).json()) as {
          counts?: { in_progress: number };
          latest?: { savepoint?: unknown };
        };
        expect(history.counts?.in_progress || history.latest?.savepoint).toBeTruthy();
      },
      { timeout: 30_000, interval: 10 },
    );
    const killedAt = Date.now();
    await first.stop('SIGKILL');
    workers.push(await startWorker(taskQueue));
    const workerReadyMs = Date.now() - killedAt;
    const result = await handle.result();

    expect(result.rolledBack).toBe(false);
    expect(result.savepoint).not.toBeNull();
    console.log(`worker killed mid-savepoint: next worker ready in ${workerReadyMs} ms, paused ${result.pausedMs} ms`);
    expect((result.pausedMs ?? Infinity) - workerReadyMs).toBeLessThan(5_000);
    const overview = (await (await fetch(`${platform.flinkRestUrl}/jobs/overview`)).json()) as {
      jobs: { jid: string; name: string; state: string }[];
    };
    const running = overview.jobs.filter((job) => job.name === FLINK_JOBS.trending.name && job.state === 'RUNNING');
    expect(running.map((job) => job.jid)).toEqual([result.jobId]);
  }, 180_000);
});
