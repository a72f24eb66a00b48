import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlinkRest } from '@social-pulse/activities';
import { createClickHouse } from '@social-pulse/clickhouse';
import { appEnvironment, isAlive, loadSettings, readState } from '@social-pulse/pulse/testing';
import { FLINK_JOBS } from '@social-pulse/shared';
import {
  adEvent,
  adsApiTotals,
  checkAdRollups,
  checkEngagementRollups,
  committedFunnelCounts,
  checkSessionRollups,
  contentEvent,
  freePlatformPorts,
  funnelCounts,
  postAdFunnel,
  runPulse,
  scriptedAdFunnel,
  userEvent,
  type EventFixture,
} from '@social-pulse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A platform of its own, beside the shared one: this test kills its TaskManager.
const home = mkdtempSync(join(tmpdir(), 'pulse-exactly-once-'));
let env: NodeJS.ProcessEnv = { PULSE_HOME: home };
const pulse = (...args: string[]) => runPulse(args, { env, timeoutMs: 300_000 });
const WAVE = 100;

/** What a session of the test's events must show: the journey of one (user, client session). */
interface ExpectedSession {
  user_id: string;
  client_session_id: string;
  events: number;
  page_views: number;
}

/** Sessions as a clean run makes them: every user's events lie minutes apart, one session per client session. */
function expectedSessions(events: EventFixture[]): ExpectedSession[] {
  const sessions = new Map<string, ExpectedSession>();
  for (const event of events) {
    if (event.event_type.startsWith('ad.')) continue;
    const clientSession = (event as { session_id?: string }).session_id ?? '';
    const key = `${event.user_id}|${clientSession}`;
    const session = sessions.get(key) ?? {
      user_id: event.user_id,
      client_session_id: clientSession,
      events: 0,
      page_views: 0,
    };
    session.events += 1;
    if (event.event_type === 'user.page_viewed') session.page_views += 1;
    sessions.set(key, session);
  }
  return [...sessions.values()].sort(bySession);
}

const bySession = (a: ExpectedSession, b: ExpectedSession) =>
  a.user_id.localeCompare(b.user_id) || a.client_session_id.localeCompare(b.client_session_id);

describe('event archive, sessions and ad performance, exactly once across redeploys and a killed TaskManager', () => {
  let collectorUrl: string;
  let apiUrl: string;
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
    apiUrl = `http://127.0.0.1:${settings.API_PORT}`;
    flink = new FlinkRest(addresses.FLINK_REST_URL!);
    clickhouseUrl = addresses.CLICKHOUSE_URL!;
    clickhouse = createClickHouse({ url: clickhouseUrl });
  }, 360_000);
  afterAll(async () => {
    await clickhouse?.close();
    pulse('down');
    rmSync(home, { recursive: true, force: true });
  });

  /**
   * One wave of events of the three families, each batch posted twice (a client resending), two
   * seconds apart in event time from `agoMs` before now. A third of the users send their SDK's
   * session id, alternating between two, so they have two sessions each.
   */
  async function sendWave(wave: number, agoMs = 0): Promise<EventFixture[]> {
    const start = Date.now() - agoMs;
    const events: EventFixture[] = Array.from({ length: WAVE }, (_, i) => {
      const user = i % 17;
      const fields = {
        user_id: `recovery-${wave}-${user}`,
        client_ts: new Date(start + i * 2_000).toISOString(),
        ...(user < 6 ? { session_id: `s-${wave}-${user}-${i % 2}` } : {}),
      };
      return i % 3 === 0 ? userEvent(fields) : i % 3 === 1 ? contentEvent(fields) : adEvent(fields);
    });
    await post(events);
    await post(events);
    return events;
  }

  /** Posts a batch; a connection lost without an answer is retried, as the SDK does (the ids make it safe). */
  async function post(events: unknown[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(`${collectorUrl}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-write-key': 'pulse-dev-write-key' },
        body: JSON.stringify({ sent_at: new Date().toISOString(), events }),
      }).catch((error: unknown) => {
        if (!(error instanceof TypeError) || attempt >= 5) throw error;
        console.warn(`batch of ${events.length} events: ${error.message} (${String(error.cause)}); retrying`);
        return null;
      });
      if (res) {
        expect(res.status).toBe(202);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }

  async function sessionsOf(events: EventFixture[]): Promise<(ExpectedSession & { status: string })[]> {
    const rows = await (
      await clickhouse.query({
        query: `SELECT user_id, client_session_id, events, page_views, status FROM sessions FINAL
                WHERE user_id IN {users:Array(String)}`,
        query_params: { users: [...new Set(events.map((e) => e.user_id))] },
        format: 'JSONEachRow',
      })
    ).json<ExpectedSession & { status: string }>();
    return rows.sort(bySession);
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

  it('should hold every acknowledged event exactly once, the sessions of a clean run and the ads truth', async () => {
    // Wave 1 happened two hours ago: its sessions are sealed once later waves move the watermarks.
    const events = await sendWave(1, 2 * 3_600_000);

    for (const job of ['archive', 'sessions', 'ads']) {
      const redeployed = pulse('deploy', job);
      expect(redeployed.code, redeployed.out).toBe(0);
      expect(redeployed.out).toContain('with a savepoint');
    }
    events.push(...(await sendWave(2)));

    // Killed right after wave 2, halfway through a scripted ad funnel: their events are being read,
    // held for a checkpoint or committed; the funnel's last batches arrive while the job is down.
    const funnel = scriptedAdFunnel(`recovery-${Date.now().toString(36)}`);
    let funnelBatchesPosted = 0;
    const funnelPosted = postAdFunnel(funnel, post, (batches) => (funnelBatchesPosted = batches));
    const before = await archiveJob();
    expect(before, 'the archive job runs after the redeploy').toBeDefined();
    const taskManager = readState(home)!.services['flink-taskmanager-1'];
    await expect.poll(() => funnelBatchesPosted, { timeout: 30_000, interval: 50 }).toBeGreaterThanOrEqual(3);
    process.kill(taskManager.pid, 'SIGKILL');
    events.push(...(await sendWave(3)));
    await funnelPosted;
    // The supervisor starts a new TaskManager; the job restarts from its last checkpoint.
    await expect
      .poll(async () => readState(home)!.services['flink-taskmanager-1']?.pid, { timeout: 60_000, interval: 500 })
      .not.toBe(taskManager.pid);
    // Recovered: a checkpoint completes after the kill.
    await expect
      .poll(async () => (await archiveJob())?.completed ?? -1, { timeout: 120_000, interval: 1_000 })
      .toBeGreaterThan(before!.completed);
    expect(isAlive(taskManager.pid)).toBe(false);
    events.push(...(await sendWave(4)));
    // The archive holds the funnel's events too (the sessions below are the waves' only).
    const ids = [...events, ...funnel.batches.flatMap((b) => b.events)].map((e) => e.event_id as string);

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

    // The sessions equal a clean run's: each event counted once, in the session it belongs to.
    const expected = expectedSessions(events);
    await expect
      .poll(async () => (await sessionsOf(events)).map(({ status: _, ...session }) => session), {
        timeout: 60_000,
        interval: 1_000,
      })
      .toEqual(expected);
    const wave1 = expected.filter((s) => s.user_id.startsWith('recovery-1-')).length;
    await expect
      .poll(async () => (await sessionsOf(events)).filter((s) => s.status === 'sealed').length, {
        timeout: 60_000,
        interval: 1_000,
      })
      .toBe(wave1);
    // Each sealed session reached each session rollup once.
    for (const { table, rolled, raw } of await checkSessionRollups(
      clickhouseUrl,
      new Date(Date.now() - 86_400_000),
      new Date(Date.now() + 86_400_000),
    )) {
      expect(rolled, table).toEqual(raw);
      expect(raw.sessions, table).toBe(wave1);
    }

    // The ads truth, per segment, through this platform's API; and each fact fed each change once.
    await expect
      .poll(() => committedFunnelCounts(clickhouseUrl, funnel), { timeout: 60_000, interval: 1_000 })
      .toEqual(funnelCounts(funnel));
    expect((await adsApiTotals(apiUrl, funnel)).totals).toEqual(funnel.expected);
    for (const { table, rolled, raw } of await checkAdRollups(
      clickhouseUrl,
      new Date(Date.now() - 86_400_000),
      new Date(Date.now() + 86_400_000),
    )) {
      expect(rolled, table).toEqual(raw);
    }
  }, 480_000);
});
