import { createClickHouse } from '@social-pulse/clickhouse';
import { TASK_QUEUES, deployWorkflowId } from '@social-pulse/shared';
import { BROWSER_USER_AGENT, contentEvent, platform } from '@social-pulse/testing';
import { Client, Connection } from '@temporalio/client';
import { deployFlinkJobWorkflow } from '@social-pulse/workflows';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const WRITE_KEY = 'pulse-dev-write-key';
const BATCHES = 12;
const PER_BATCH = 25;

/** Posts a batch whose events all carry the hashtag and a client time inside [from, from + 30 s). */
async function postBatch(hashtag: string, from: number, batch: number): Promise<void> {
  const events = Array.from({ length: PER_BATCH }, (_, i) =>
    contentEvent({
      user_id: `redeploy-user-${i % 7}`,
      client_ts: new Date(from + batch * 2_000 + i * 10).toISOString(),
      // A person's browser: bot-flagged events do not count in trending.
      context: { user_agent: BROWSER_USER_AGENT },
      properties: { content_id: `c-${batch}-${i}`, hashtags: [hashtag] },
    }),
  );
  const res = await fetch(`${platform.collectorUrl}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-write-key': WRITE_KEY },
    body: JSON.stringify({ events }),
  });
  expect(res.status).toBe(202);
  expect(((await res.json()) as { accepted: number }).accepted).toBe(PER_BATCH);
}

describe('trending job redeploy', () => {
  let connection: Connection;
  const clickhouse = createClickHouse({ url: platform.clickhouseUrl });

  beforeAll(async () => {
    connection = await Connection.connect({ address: platform.temporalAddress });
  });
  afterAll(async () => {
    await connection?.close();
    await clickhouse.close();
  });

  it('should count every event exactly once in windows that span a redeploy', async () => {
    const hashtag = `redeploy${Date.now().toString(36)}`;
    const from = Date.now();
    const client = new Client({ connection });

    // Events keep flowing while the deploy stops the job with a savepoint and starts it again.
    const deploy = client.workflow.execute(deployFlinkJobWorkflow, {
      taskQueue: TASK_QUEUES.operations,
      workflowId: deployWorkflowId('trending'),
      // Watched while events still flow: a healthy job passes its watch.
      args: [{ job: 'trending', watchSeconds: 10 }],
    });
    for (let batch = 0; batch < BATCHES; batch++) {
      await postBatch(hashtag, from, batch);
      // Load pacing, like live traffic, not synchronisation: the deploy is awaited below.
      await new Promise((r) => setTimeout(r, 2_000));
    }
    const result = await deploy;
    console.log(
      `redeploy paused processing for ${result.pausedMs} ms, first checkpoint after ${result.verifiedMs} ms (job ${result.jobId})`,
    );
    expect(result.rolledBack).toBe(false);
    expect(result.watch).toMatchObject({ healthy: true, verdict: null });
    expect(result.watch!.samples).toBeGreaterThanOrEqual(3);

    // Every 1-minute window that covers all the events must hold exactly their number, in the
    // window's newest generation (a replay after the restart rewrites a window's list).
    const lastEvent = from + (BATCHES - 1) * 2_000 + PER_BATCH * 10;
    const expected = BATCHES * PER_BATCH;
    const covering = async () => {
      const result = await clickhouse.query({
        query: `SELECT toUnixTimestamp64Milli(window_end) AS end, mentions FROM trending_topics FINAL
                WHERE window_size = '1m' AND topic = {topic:String}
                  AND window_start <= fromUnixTimestamp64Milli({from:Int64})
                  AND window_end > fromUnixTimestamp64Milli({last:Int64})
                  AND (window_end, computed_at) IN (
                    SELECT window_end, max(computed_at) FROM trending_topics
                    WHERE window_size = '1m' GROUP BY window_end)
                ORDER BY window_end`,
        query_params: { topic: hashtag, from, last: lastEvent },
        format: 'JSONEachRow',
      });
      return result.json<{ end: string; mentions: string }>();
    };
    await expect.poll(async () => (await covering()).length, { timeout: 90_000, interval: 1_000 }).toBeGreaterThan(0);
    const windows = await covering();
    expect(windows.map((w) => Number(w.mentions))).toEqual(windows.map(() => expected));
  });
});
