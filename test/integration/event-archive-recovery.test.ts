import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlinkRest } from '@social-pulse/activities';
import { createClickHouse } from '@social-pulse/clickhouse';
import { appEnvironment, isAlive, loadSettings, readState } from '@social-pulse/pulse/testing';
import { FLINK_JOBS } from '@social-pulse/shared';
import {
  adEvent,
  checkEngagementRollups,
  contentEvent,
  freePlatformPorts,
  runPulse,
  userEvent,
  type EventFixture,
} from '@social-pulse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A platform of its own, beside the shared one: this test kills its TaskManager.
const home = mkdtempSync(join(tmpdir(), 'pulse-archive-recovery-'));
let env: NodeJS.ProcessEnv = { PULSE_HOME: home };
const pulse = (...args: string[]) => runPulse(args, { env, timeoutMs: 300_000 });
const WAVE = 100;

describe('event archive, exactly once across a redeploy and a killed TaskManager', () => {
  let collectorUrl: string;
  let flink: FlinkRest;
  let clickhouse: ReturnType<typeof createClickHouse>;
  let clickhouseUrl: string;

  beforeAll(async () => {
    env = { ...env, ...(await freePlatformPorts()) };
    const started = pulse('up', '--detach');
    expect(started.code, started.out).toBe(0);
    const settings = loadSettings({ ...process.env, ...env });
    const addresses = appEnvironment(settings, home);
    collectorUrl = `http://127.0.0.1:${settings.COLLECTOR_PORT}`;
    flink = new FlinkRest(addresses.FLINK_REST_URL!);
    clickhouseUrl = addresses.CLICKHOUSE_URL!;
    clickhouse = createClickHouse({ url: clickhouseUrl });
  }, 360_000);
  afterAll(async () => {
    await clickhouse?.close();
    pulse('down');
    rmSync(home, { recursive: true, force: true });
  });

  /** One wave of events of the three families, each batch posted twice (a client resending). */
  async function sendWave(wave: number): Promise<string[]> {
    const events: EventFixture[] = Array.from({ length: WAVE }, (_, i) => {
      const user_id = `recovery-${wave}-${i % 17}`;
      return i % 3 === 0 ? userEvent({ user_id }) : i % 3 === 1 ? contentEvent({ user_id }) : adEvent({ user_id });
    });
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await fetch(`${collectorUrl}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-write-key': 'pulse-dev-write-key' },
        body: JSON.stringify({ sent_at: new Date().toISOString(), events }),
      });
      expect(res.status).toBe(202);
    }
    return events.map((e) => e.event_id);
  }

  async function archiveJob(): Promise<{ jid: string; completed: number } | undefined> {
    const { jobs } = await flink.json<{ jobs: { jid: string; name: string; state: string }[] }>(
      'GET',
      '/jobs/overview',
    );
    const job = jobs.find((j) => j.name === FLINK_JOBS.archive.name && j.state === 'RUNNING');
    if (!job) return undefined;
    const { counts } = await flink.json<{ counts: { completed: number } }>('GET', `/jobs/${job.jid}/checkpoints`);
    return { jid: job.jid, completed: counts.completed };
  }

  async function archived(ids: string[]): Promise<{ rows: number; ids: string[] }> {
    const rows = await (
      await clickhouse.query({
        query: 'SELECT event_id FROM events WHERE event_id IN {ids:Array(UUID)}',
        query_params: { ids },
        format: 'JSONEachRow',
      })
    ).json<{ event_id: string }>();
    return { rows: rows.length, ids: [...new Set(rows.map((r) => r.event_id))].sort() };
  }

  it('should hold every acknowledged event exactly once', async () => {
    const ids = await sendWave(1);

    const redeployed = pulse('deploy', 'archive');
    expect(redeployed.code, redeployed.out).toBe(0);
    expect(redeployed.out).toContain('with a savepoint');
    ids.push(...(await sendWave(2)));

    // Killed right after wave 2: its events are being read, held for a checkpoint or committed.
    const before = await archiveJob();
    expect(before, 'the archive job runs after the redeploy').toBeDefined();
    const taskManager = readState(home)!.services['flink-taskmanager-1'];
    process.kill(taskManager.pid, 'SIGKILL');
    ids.push(...(await sendWave(3)));
    // The supervisor starts a new TaskManager; the job restarts from its last checkpoint.
    await expect
      .poll(async () => readState(home)!.services['flink-taskmanager-1']?.pid, { timeout: 60_000, interval: 500 })
      .not.toBe(taskManager.pid);
    // Recovered: a checkpoint completes after the kill.
    await expect
      .poll(async () => (await archiveJob())?.completed ?? -1, { timeout: 120_000, interval: 1_000 })
      .toBeGreaterThan(before!.completed);
    expect(isAlive(taskManager.pid)).toBe(false);
    ids.push(...(await sendWave(4)));

    await expect
      .poll(async () => (await archived(ids)).ids.length, { timeout: 120_000, interval: 1_000 })
      .toBe(ids.length);
    // Two more checkpoints: a repeated insert would have landed by then.
    const now = (await archiveJob())!.completed;
    await expect
      .poll(async () => (await archiveJob())?.completed ?? 0, { timeout: 60_000, interval: 500 })
      .toBeGreaterThanOrEqual(now + 2);
    const result = await archived(ids);
    expect(result.ids).toEqual([...ids].sort());
    expect(result.rows).toBe(ids.length);
    // Every view fed each block once, too: this platform holds only these events.
    const checks = await checkEngagementRollups(
      clickhouseUrl,
      new Date(Date.now() - 86_400_000),
      new Date(Date.now() + 86_400_000),
    );
    for (const { table, rolled, raw } of checks) {
      expect(raw.events, table).toBe(ids.length);
      expect(rolled, table).toEqual(raw);
    }
  }, 420_000);
});
