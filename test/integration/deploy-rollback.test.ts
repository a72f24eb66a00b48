import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlinkRest } from '@social-pulse/activities';
import { createClickHouse } from '@social-pulse/clickhouse';
import { FLINK_JOBS } from '@social-pulse/shared';
import { platform, startWorker, userEvent, type AppProcess } from '@social-pulse/testing';
import { deployFlinkJobWorkflow, deployProgressQuery } from '@social-pulse/workflows';

const WRITE_KEY = 'pulse-dev-write-key';

/**
 * A deploy of the real archive job whose new jar cannot start (it holds no classes at all): the
 * workflow restores the previous jar from the savepoint it stopped the old job with, and every
 * event posted through the collector before, during and after lands in ClickHouse exactly once.
 * The worker is a process of the test's own, on a task queue of its own, whose jobs "project" is
 * a folder with only that broken jar (a deployed image ships only the jar, so it is not rebuilt).
 */
describe('a deploy whose new jar fails', () => {
  const taskQueue = `deploy-rollback-${Date.now()}`;
  const jobsDir = mkdtempSync(join(tmpdir(), 'pulse-broken-jobs-'));
  const clickhouse = createClickHouse({ url: platform.clickhouseUrl });
  const flink = new FlinkRest(platform.flinkRestUrl);
  let worker: AppProcess | undefined;
  let connection: Connection;

  beforeAll(async () => {
    const empty = join(jobsDir, 'empty');
    mkdirSync(empty);
    mkdirSync(join(jobsDir, 'target'));
    execFileSync('jar', ['--create', '--file', join(jobsDir, 'target', 'social-pulse-jobs.jar'), '-C', empty, '.']);
    worker = await startWorker(taskQueue, { FLINK_JOBS_DIR: jobsDir });
    connection = await Connection.connect({ address: platform.temporalAddress });
  });
  afterAll(async () => {
    await worker?.stop();
    await connection?.close();
    await clickhouse.close();
    rmSync(jobsDir, { recursive: true, force: true });
  });

  const post = async (events: unknown[]) => {
    const res = await fetch(`${platform.collectorUrl}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-write-key': WRITE_KEY },
      body: JSON.stringify({ sent_at: new Date().toISOString(), events }),
    });
    expect(res.status).toBe(202);
  };
  /** How many rows the archive holds per id. */
  const archived = async (ids: string[]) =>
    (
      await (
        await clickhouse.query({
          query: 'SELECT event_id, count() AS n FROM events WHERE event_id IN {ids:Array(UUID)} GROUP BY event_id',
          query_params: { ids },
          format: 'JSONEachRow',
        })
      ).json<{ event_id: string; n: string }>()
    ).map((row) => Number(row.n));

  it('should restore the previous jar from the same savepoint, losing and doubling nothing', async () => {
    const runningBefore = await archiveJob();
    const jarsBefore = await jarIds();
    const client = new Client({ connection });
    const handle = await client.workflow.start(deployFlinkJobWorkflow, {
      taskQueue,
      workflowId: taskQueue,
      args: [{ job: 'archive', watchSeconds: 0 }],
    });
    // Events flow through the whole deploy: the old job, the pause, and the restored job.
    const ids: string[] = [];
    let done = false;
    const result = handle.result().finally(() => (done = true));
    for (let batch = 0; !done || batch < 4; batch++) {
      const events = Array.from({ length: 20 }, (_, i) => userEvent({ user_id: `rollback-${batch}-${i}` }));
      await post(events);
      ids.push(...events.map((e) => e.event_id));
      // Load pacing, like live traffic, not synchronisation: the deploy is awaited through `done`.
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const outcome = await result;
    const { steps } = await handle.query(deployProgressQuery);

    expect(outcome).toMatchObject({ rolledBack: true, rollback: { cause: 'new-job-failed' } });
    expect(outcome.rollback?.error).toMatch(/EventArchiveJob|class/i);
    // Stopped with a savepoint, and the previous jar started from that same one.
    expect(outcome.savepoint).toMatch(/savepoint-/);
    expect(steps.map((s) => s.step)).toContain(`starting the new job from ${outcome.savepoint}`);
    expect(outcome.jobId).not.toBe(runningBefore);
    expect(await archiveJob()).toBe(outcome.jobId);
    // The broken jar is gone from Flink: no later rollback can pick it as the previous version.
    expect(await jarIds()).toEqual(jarsBefore);

    // Every event in the archive exactly once.
    await expect.poll(async () => (await archived(ids)).length, { timeout: 60_000, interval: 500 }).toBe(ids.length);
    expect(new Set(await archived(ids))).toEqual(new Set([1]));
    console.info(
      `new jar refused; previous jar restored as ${outcome.jobId} from ${outcome.savepoint}, ` +
        `processing paused ${outcome.pausedMs} ms; ${ids.length} events archived once each`,
    );
  }, 180_000);

  const jarIds = async () =>
    (await flink.json<{ files: { id: string }[] }>('GET', '/jars')).files.map((file) => file.id).sort();

  /** The running archive job's id. */
  async function archiveJob(): Promise<string | undefined> {
    const { jobs } = await flink.json<{ jobs: { jid: string; name: string; state: string }[] }>(
      'GET',
      '/jobs/overview',
    );
    return jobs.find((job) => job.name === FLINK_JOBS.archive.name && job.state === 'RUNNING')?.jid;
  }
});
