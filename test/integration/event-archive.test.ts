import { createClickHouse } from '@social-pulse/clickhouse';
import { FlinkRest } from '@social-pulse/activities';
import { FLINK_JOBS } from '@social-pulse/shared';
import {
  adEvent,
  checkEngagementRollups,
  contentEvent,
  platform,
  userEvent,
  type EventFixture,
} from '@social-pulse/testing';
import { afterAll, describe, expect, it } from 'vitest';

const WRITE_KEY = 'pulse-dev-write-key';
const post = (events: unknown[]) =>
  fetch(`${platform.collectorUrl}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-write-key': WRITE_KEY },
    body: JSON.stringify({ sent_at: new Date().toISOString(), events }),
  });

/** Completed checkpoints of the running archive job: its inserts happen when one completes. */
async function archiveCheckpoints(flink: FlinkRest): Promise<number> {
  const { jobs } = await flink.json<{ jobs: { jid: string; name: string; state: string }[] }>('GET', '/jobs/overview');
  const job = jobs.find((j) => j.name === FLINK_JOBS.archive.name && j.state === 'RUNNING');
  if (!job) throw new Error('the archive job is not running');
  const { counts } = await flink.json<{ counts: { completed: number } }>('GET', `/jobs/${job.jid}/checkpoints`);
  return counts.completed;
}

describe('event archive end to end', () => {
  const clickhouse = createClickHouse({ url: platform.clickhouseUrl });
  const flink = new FlinkRest(platform.flinkRestUrl);
  afterAll(() => clickhouse.close());

  const rowsOf = async (ids: string[]) =>
    (
      await (
        await clickhouse.query({
          query: 'SELECT event_id, family, event_type FROM events WHERE event_id IN {ids:Array(UUID)}',
          query_params: { ids },
          format: 'JSONEachRow',
        })
      ).json<{ event_id: string; family: string; event_type: string }>()
    ).sort((a, b) => a.event_id.localeCompare(b.event_id));

  it('should archive every accepted event of every family once, however often a client resends it', async () => {
    const run = Date.now().toString(36);
    const events: EventFixture[] = [
      ...Array.from({ length: 5 }, (_, i) => userEvent({ user_id: `archive-${run}-${i}` })),
      ...Array.from({ length: 5 }, (_, i) => contentEvent({ user_id: `archive-${run}-${i}` })),
      ...Array.from({ length: 5 }, (_, i) => adEvent({ user_id: `archive-${run}-${i}` })),
    ];
    // The client lost the first answer and resent the batch, twice.
    for (let attempt = 0; attempt < 3; attempt++) expect((await post(events)).status).toBe(202);
    const ids = events.map((e) => e.event_id);

    await expect.poll(async () => (await rowsOf(ids)).length, { timeout: 60_000, interval: 500 }).toBe(ids.length);
    // Two more checkpoints: anything still on its way has been inserted by then.
    const after = await archiveCheckpoints(flink);
    await expect
      .poll(() => archiveCheckpoints(flink), { timeout: 60_000, interval: 500 })
      .toBeGreaterThanOrEqual(after + 2);

    const rows = await rowsOf(ids);
    expect(rows.map((r) => r.event_id)).toEqual([...ids].sort());
    expect(new Set(rows.map((r) => r.family))).toEqual(new Set(['user', 'content', 'ad']));
  });

  it('should keep a rejected event in dead_letters with its reason code', async () => {
    const marker = `not-a-uuid-${Date.now().toString(36)}`;
    const res = await post([{ ...contentEvent(), event_id: marker }]);
    expect(res.status).toBe(202);

    const letters = async () =>
      await (
        await clickhouse.query({
          query: 'SELECT reason_code, reason FROM dead_letters WHERE event_id = {id:String}',
          query_params: { id: marker },
          format: 'JSONEachRow',
        })
      ).json<{ reason_code: string; reason: string }>();
    await expect.poll(async () => (await letters()).length, { timeout: 60_000, interval: 500 }).toBe(1);
    expect((await letters())[0]).toMatchObject({ reason_code: 'event_id', reason: expect.stringContaining('UUID v7') });
  });

  it('should roll events up by minute, hour and day exactly as the raw archive counts them', async () => {
    // A quiet past day of its own (the collector takes client_ts as the event time when the
    // client's clock agrees with its own), three days back at a random minute.
    const day = new Date(Date.now() - 3 * 86_400_000);
    day.setUTCHours(0, 0, 0, 0);
    const at = new Date(day.getTime() + Math.floor(Math.random() * 1_440) * 60_000 + 20_000).toISOString();
    const run = Date.now().toString(36);
    const events = Array.from({ length: 12 }, (_, i) =>
      userEvent({ user_id: `rollup-${run}-${i % 4}`, session_id: `rollup-${run}-s${i % 3}`, client_ts: at }),
    );
    expect((await post(events)).status).toBe(202);
    const ids = events.map((e) => e.event_id);
    await expect.poll(async () => (await rowsOf(ids)).length, { timeout: 60_000, interval: 500 }).toBe(ids.length);

    const checks = await checkEngagementRollups(platform.clickhouseUrl, day, new Date(day.getTime() + 86_400_000));
    for (const { table, rolled, raw } of checks) {
      expect(rolled, table).toEqual(raw);
      expect(raw.events, table).toBeGreaterThanOrEqual(12);
    }
  });
});
