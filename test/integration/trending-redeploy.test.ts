import { createClickHouse } from '@social-pulse/clickhouse';
import { sleep } from '@social-pulse/pulse/testing';
import { TASK_QUEUES, deployWorkflowId } from '@social-pulse/shared';
import { contentEvent, platform } from '@social-pulse/testing';
import { Client, Connection } from '@temporalio/client';
import { deployFlinkJobWorkflow, deployProgressQuery } from '@social-pulse/workflows';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const WRITE_KEY = 'pulse-dev-write-key';
const PER_BATCH = 25;
/** Deploy stages in which the old job is gone and the new one not yet running and checkpointed. */
const BETWEEN_JOBS = ['start', 'verify'];

/** Posts a batch whose events all carry the hashtag; returns their event times (client time, now). */
async function postBatch(hashtag: string, batch: number): Promise<number[]> {
  const events = Array.from({ length: PER_BATCH }, (_, i) =>
    contentEvent({
      user_id: `redeploy-user-${i % 7}`,
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
  // No sent_at, so the collector corrects no clock: the event time is the client time.
  return events.map((event) => Date.parse(event.client_ts));
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

  it('should count every event exactly once in windows that span a redeploy', { timeout: 600_000 }, async () => {
    const hashtag = `redeploy${Date.now().toString(36)}`;
    const client = new Client({ connection });
    const deploy = await client.workflow.start(deployFlinkJobWorkflow, {
      taskQueue: TASK_QUEUES.operations,
      workflowId: deployWorkflowId('trending'),
      args: [{ job: 'trending' }],
    });
    let deployed = false;
    const finished = deploy.result().finally(() => (deployed = true));
    finished.catch(() => undefined); // awaited below; a failed deploy fails the test there

    // Events keep flowing while the deploy stops the job with a savepoint and starts it again: a
    // batch a second (load pacing, like live traffic, not synchronisation) from the deploy's start
    // until after it has finished, each batch filed under the stage the deploy was in.
    const eventTimes: number[] = [];
    const posted = { beforeStop: 0, betweenJobs: 0, afterDeploy: 0 };
    for (let batch = 0, after = 0; after < 2; batch++) {
      const done = deployed;
      const stage = done ? 'done' : (await deploy.query(deployProgressQuery).catch(() => undefined))?.stage;
      eventTimes.push(...(await postBatch(hashtag, batch)));
      if (done) {
        posted.afterDeploy++;
        after++;
      } else if (stage && BETWEEN_JOBS.includes(stage)) posted.betweenJobs++;
      else if (stage && ['starting', 'build', 'upload', 'savepoint'].includes(stage)) posted.beforeStop++;
      await sleep(1_000);
    }
    const result = await finished;
    console.log(
      `redeploy paused processing for ${result.pausedMs} ms, first checkpoint after ${result.verifiedMs} ms (job ${result.jobId}); batches posted: ${JSON.stringify(posted)}`,
    );
    expect(result.rolledBack).toBe(false);
    // The events did span the redeploy: some the old job had, some that came while no job ran.
    expect(posted.beforeStop, 'batches posted before the old job was stopped').toBeGreaterThan(0);
    expect(posted.betweenJobs, 'batches posted between the old job and the new').toBeGreaterThan(0);

    // Every 1-minute window the job wrote for the hashtag must hold exactly the events inside it.
    const windows = async () =>
      (
        await clickhouse.query({
          query: `SELECT toUnixTimestamp64Milli(window_start) AS start, toUnixTimestamp64Milli(window_end) AS end, mentions
                  FROM trending_topics FINAL
                  WHERE window_size = '1m' AND topic = {topic:String}
                  ORDER BY window_end`,
          query_params: { topic: hashtag },
          format: 'JSONEachRow',
        })
      )
        .json<{ start: string; end: string; mentions: string }>()
        .then((rows) =>
          rows.map((w) => ({ start: Number(w.start), end: Number(w.end), mentions: Number(w.mentions) })),
        );
    const inside = (w: { start: number; end: number }) => eventTimes.filter((t) => w.start <= t && t < w.end).length;
    // Wait until each event is in a window that has fired (its earliest ends at most a slide after it).
    await expect
      .poll(
        async () => {
          const written = await windows();
          return eventTimes.filter((t) => !written.some((w) => w.start <= t && t < w.end)).length;
        },
        { timeout: 120_000, interval: 1_000 },
      )
      .toBe(0);
    const written = await windows();
    const label = (w: { start: number; end: number }) =>
      `${new Date(w.start).toISOString()} to ${new Date(w.end).toISOString()}`;
    expect(written.map((w) => ({ window: label(w), mentions: w.mentions }))).toEqual(
      written.map((w) => ({ window: label(w), mentions: inside(w) })),
    );
  });
});
