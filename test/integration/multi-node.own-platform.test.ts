import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlinkRest } from '@social-pulse/activities';
import { createClickHouse } from '@social-pulse/clickhouse';
import { createKafka, sendVerified, TopicPartitionCounts } from '@social-pulse/kafka';
import {
  appEnvironment,
  collectorStatesAtLb,
  isAlive,
  loadSettings,
  readState,
  repoRoot,
  waitForLeaders,
  type Settings,
} from '@social-pulse/pulse/testing';
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
  reconcile,
  runPulse,
  runPulseAsync,
  scriptedAdFunnel,
  userEvent,
  type EventFixture,
} from '@social-pulse/testing';
import { logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHORT_RULES, checkCanaryAlertWiring } from './support/canary-wiring';

// A platform of its own in the production's shape: three Kafka brokers (topics replicated 3, min
// ISR 2), two TaskManagers and two collectors behind HAProxy, set only through pulse's settings.
// Its tests stop the trending job, kill a TaskManager, a collector, a broker and, last, the
// supervisor: one platform start for all of them. The test runner starts it after the shared
// platform has stopped. Sized for 2 cores: small broker heaps, TaskManagers of half the default
// (this platform holds only the tests' few thousand events), three slots each for the four jobs. Its Prometheus loads the
// short-window canary rules and scrapes and evaluates every 2 s; the canary sends every 2 s.
const MULTI_NODE = {
  PROMETHEUS_RULE_FILES: SHORT_RULES,
  PROMETHEUS_INTERVAL_SECONDS: '2',
  CANARY_INTERVAL_MS: '2000',
  KAFKA_BROKER_COUNT: '3',
  KAFKA_HEAP: '256m',
  FLINK_TASKMANAGERS: '2',
  FLINK_TASK_SLOTS: '3',
  FLINK_TASKMANAGER_MEMORY: '1536m',
  COLLECTOR_REPLICAS: '2',
};
const home = mkdtempSync(join(tmpdir(), 'pulse-multi-node-'));
let env: NodeJS.ProcessEnv = { PULSE_HOME: home, ...MULTI_NODE };
// Up to 8 minutes: a three-broker platform's start on a busy 2-core machine.
const pulse = (...args: string[]) => runPulse(args, { env, timeoutMs: 480_000 });
const WAVE = 100;
const WRITE_KEY = 'pulse-dev-write-key';
const started = Date.now();
/** How long each phase took, for keeping the file within its time. */
const phase = (name: string, since: number) =>
  console.log(`multi-node platform: ${name} in ${((Date.now() - since) / 1000).toFixed(1)} s`);

/**
 * A range holding the start of every rollup period (a day at most) of this platform's events, wave 1
 * two hours ago included: run just after midnight, that wave's day began more than 24 hours ago.
 */
const everyRollupPeriod = (): [Date, Date] => [
  new Date(Date.now() - 2 * 86_400_000),
  new Date(Date.now() + 86_400_000),
];

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

describe('a multi-node platform: three brokers, two TaskManagers, two collectors behind a load balancer', () => {
  let settings: Settings;
  let collectorUrl: string;
  let apiUrl: string;
  let flink: FlinkRest;
  let clickhouse: ReturnType<typeof createClickHouse>;
  let clickhouseUrl: string;

  beforeAll(async () => {
    execFileSync('promtool', ['check', 'rules', SHORT_RULES], { cwd: join(repoRoot, 'monitoring') });
    // The ports for this shape: each broker, TaskManager and collector replica its own.
    env = { ...env, ...(await freePlatformPorts({ ...process.env, ...env })) };
    const up = pulse('up', '--detach');
    expect(up.code, up.out).toBe(0);
    phase('pulse up', started);
    settings = loadSettings({ ...process.env, ...env });
    const addresses = appEnvironment(settings, home);
    collectorUrl = `http://127.0.0.1:${settings.COLLECTOR_PORT}`;
    apiUrl = `http://127.0.0.1:${settings.API_PORT}`;
    flink = new FlinkRest(addresses.FLINK_REST_URL!);
    clickhouseUrl = addresses.CLICKHOUSE_URL!;
    clickhouse = createClickHouse({ url: clickhouseUrl });
  }, 540_000);
  afterAll(async () => {
    await clickhouse?.close();
    pulse('down');
    rmSync(home, { recursive: true, force: true });
    phase('the whole file', started);
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

  /**
   * Posts a batch and resolves once it is acknowledged: a connection lost without an answer, a 5xx
   * or a 429 is retried with the same events after a pause, as the SDK does (the ids make it safe).
   * Each failure seen is added to `failures`.
   */
  async function post(events: unknown[], failures: string[] = []): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(`${collectorUrl}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-write-key': WRITE_KEY },
        body: JSON.stringify({ sent_at: new Date().toISOString(), events }),
      }).catch((error: unknown) => {
        if (!(error instanceof TypeError)) throw error;
        return `${error.message} (${String(error.cause)})`;
      });
      if (typeof res !== 'string' && res.status === 202) {
        expect(((await res.json()) as { rejected: unknown[] }).rejected).toEqual([]);
        return;
      }
      const failure = typeof res === 'string' ? res : `${res.status} ${await res.text()}`;
      if (typeof res !== 'string') expect(res.status === 429 || res.status >= 500, failure).toBe(true);
      failures.push(failure);
      console.warn(`batch of ${events.length} events: ${failure}; retrying`);
      expect(attempt, `not acknowledged after ${attempt} attempts`).toBeLessThan(8);
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
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

  /** The TaskManager (by pulse's service name, its resource id in Flink) that runs a job's first task. */
  async function taskManagerOf(jid: string): Promise<string> {
    const { vertices } = await flink.json<{ vertices: { id: string }[] }>('GET', `/jobs/${jid}`);
    const { taskmanagers } = await flink.json<{ taskmanagers: { 'taskmanager-id': string }[] }>(
      'GET',
      `/jobs/${jid}/vertices/${vertices[0].id}/taskmanagers`,
    );
    return taskmanagers[0]['taskmanager-id'];
  }

  /** How often each event of the users with this prefix is in the archive. */
  async function archivedCounts(userPrefix: string): Promise<Map<string, number>> {
    const rows = await (
      await clickhouse.query({
        query: `SELECT toString(event_id) AS id, count() AS n FROM events
                WHERE startsWith(user_id, {prefix:String}) GROUP BY id`,
        query_params: { prefix: userPrefix },
        format: 'JSONEachRow',
      })
    ).json<{ id: string; n: string | number }>();
    return new Map(rows.map((row) => [row.id, Number(row.n)]));
  }

  /** The load balancer's figures from its Prometheus exporter: metric{labels} -> value. */
  async function lbMetrics(): Promise<Map<string, number>> {
    const text = await (await fetch(`http://127.0.0.1:${settings.COLLECTOR_LB_METRICS_PORT}/metrics`)).text();
    return new Map(
      text
        .split('\n')
        .filter((line) => line.startsWith('haproxy_'))
        .map((line) => {
          const at = line.lastIndexOf(' ');
          return [line.slice(0, at), Number(line.slice(at + 1))];
        }),
    );
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

  it('should fire CanaryEventUnseen while the trending job is stopped, and resolve it once the job is back', async () => {
    const testStarted = Date.now();
    await checkCanaryAlertWiring({
      prometheusUrl: `http://127.0.0.1:${settings.PROMETHEUS_PORT}`,
      alertmanagerUrl: `http://127.0.0.1:${settings.ALERTMANAGER_PORT}`,
      flinkRestUrl: `http://127.0.0.1:${settings.FLINK_REST_PORT}`,
      apiUrl,
      pulse,
    });
    phase('the canary alert fired and resolved', testStarted);
  }, 300_000);

  it('should hold every acknowledged event exactly once, the sessions of a clean run and the ads truth, across redeploys and a killed TaskManager', async () => {
    const testStarted = Date.now();
    // Wave 1 happened two hours ago: its sessions are sealed once later waves move the watermarks.
    const events = await sendWave(1, 2 * 3_600_000);

    // Redeployed at once, as the bootstrap deploys them: the deploys share the jar's upload.
    const redeploys = await Promise.all(
      ['archive', 'sessions', 'ads'].map((job) => runPulseAsync(['deploy', job], { env, timeoutMs: 480_000 })),
    );
    for (const redeployed of redeploys) {
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
    // The one running the archive job: with two, the other may run none of the jobs checked below.
    const taskManagerName = await taskManagerOf(before!.jid);
    const taskManager = readState(home)!.services[taskManagerName];
    await expect.poll(() => funnelBatchesPosted, { timeout: 30_000, interval: 50 }).toBeGreaterThanOrEqual(3);
    process.kill(taskManager.pid, 'SIGKILL');
    events.push(...(await sendWave(3)));
    await funnelPosted;
    // The supervisor starts a new TaskManager; the job restarts from its last checkpoint.
    await expect
      .poll(async () => readState(home)!.services[taskManagerName]?.pid, { timeout: 60_000, interval: 500 })
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
    const checks = await checkEngagementRollups(clickhouseUrl, ...everyRollupPeriod());
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
    for (const { table, rolled, raw } of await checkSessionRollups(clickhouseUrl, ...everyRollupPeriod())) {
      expect(rolled, table).toEqual(raw);
      expect(raw.sessions, table).toBe(wave1);
    }

    // The ads truth, per segment, through this platform's API; and each fact fed each change once.
    await expect
      .poll(() => committedFunnelCounts(clickhouseUrl, funnel), { timeout: 60_000, interval: 1_000 })
      .toEqual(funnelCounts(funnel));
    expect((await adsApiTotals(apiUrl, funnel)).totals).toEqual(funnel.expected);
    for (const { table, rolled, raw } of await checkAdRollups(clickhouseUrl, ...everyRollupPeriod())) {
      expect(rolled, table).toEqual(raw);
    }
    phase('exactly once across redeploys and a killed TaskManager', testStarted);
  }, 480_000);

  it('should archive every event the load balancer acknowledged exactly once, with a collector killed under load', async () => {
    const testStarted = Date.now();
    const users = `lb-${Date.now().toString(36)}-`;
    // Four clients, each a batch of 20 every 100 ms or so: the load outlasts the kill and the
    // load balancer's finding out.
    const BATCHES = 150;
    const batches = Array.from({ length: BATCHES }, (_, b) =>
      Array.from({ length: 20 }, (_, i) => contentEvent({ user_id: `${users}${(b * 20 + i) % 101}` })),
    );
    const acknowledged: string[] = [];
    const failures: string[] = [];
    let next = 0;
    const client = async () => {
      for (let batch = batches[next++]; batch; batch = batches[next++]) {
        await post(batch, failures);
        acknowledged.push(...batch.map((event) => event.event_id));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const load = Promise.all(Array.from({ length: 4 }, client));
    const victim = readState(home)!.services['collector-1'];
    await expect.poll(() => acknowledged.length, { timeout: 30_000, interval: 20 }).toBeGreaterThanOrEqual(750);
    process.kill(victim.pid, 'SIGKILL');
    const ackedAtKill = acknowledged.length;
    await load;
    const lb = await lbMetrics();
    const served = (server: string) =>
      lb.get(`haproxy_server_http_responses_total{proxy="collectors",server="${server}",code="2xx"}`) ?? 0;
    console.log(
      `multi-node platform: ${acknowledged.length} events acknowledged through the load balancer, ` +
        `${acknowledged.length - ackedAtKill} after collector-1 was killed; the clients saw ${failures.length} failures ` +
        `(${failures.join('; ') || 'none'}); the load balancer retried ${lb.get('haproxy_backend_retry_warnings_total{proxy="collectors"}')} ` +
        `and redispatched ${lb.get('haproxy_backend_redispatch_warnings_total{proxy="collectors"}')} requests; ` +
        `2xx answers: collector-1 ${served('collector-1')}, collector-2 ${served('collector-2')}`,
    );
    expect(acknowledged.length).toBe(BATCHES * 20);
    // Round robin: both collectors took batches.
    expect(served('collector-1')).toBeGreaterThan(0);
    expect(served('collector-2')).toBeGreaterThan(0);

    await expect
      .poll(async () => reconcile(acknowledged, await archivedCounts(users)).missing.length, {
        timeout: 120_000,
        interval: 1_000,
      })
      .toBe(0);
    // Two more checkpoints: a batch written twice (by the killed collector and again) would have landed by then.
    const now = (await archiveJob())!.completed;
    await expect
      .poll(async () => (await archiveJob())?.completed ?? 0, { timeout: 60_000, interval: 500 })
      .toBeGreaterThanOrEqual(now + 2);
    const { missing, duplicated, unexpected } = reconcile(acknowledged, await archivedCounts(users));
    expect({ missing, duplicated, unexpected }).toEqual({ missing: [], duplicated: [], unexpected: [] });

    // The supervisor started collector-1 again, and the load balancer sends to it again.
    expect(isAlive(victim.pid)).toBe(false);
    await expect
      .poll(() => collectorStatesAtLb(settings.COLLECTOR_LB_METRICS_PORT), { timeout: 60_000, interval: 500 })
      .toEqual({ 'collector-1': 'UP', 'collector-2': 'UP' });
    phase('a collector killed under load', testStarted);
  }, 240_000);

  it('should keep acknowledging acks=all writes with one broker killed', async () => {
    const testStarted = Date.now();
    const topic = `replicated-${Date.now().toString(36)}`;
    // Retries span the ~9 s in which the controller notices a dead broker and moves its leaders.
    const kafka = createKafka('tests', appEnvironment(settings, home).KAFKA_BROKERS!.split(','), {
      logLevel: logLevel.NOTHING,
      retry: { retries: 12, initialRetryTime: 300, maxRetryTime: 5000 },
    });
    const admin = kafka.admin();
    const producer = kafka.producer({ idempotent: true });
    await Promise.all([admin.connect(), producer.connect()]);
    await admin.createTopics({
      waitForLeaders: false,
      topics: [
        { topic, numPartitions: 6, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] },
      ],
    });
    await waitForLeaders(admin, [topic]);
    const partitions = new TopicPartitionCounts(admin);
    const send = (from: number) =>
      sendVerified(producer, partitions, {
        topic,
        acks: -1,
        messages: Array.from({ length: 100 }, (_, i) => ({
          key: `user-${(from + i) % 7}`,
          value: `event-${from + i}`,
        })),
      });

    await send(0);
    const victim = readState(home)!.services['kafka-3'];
    process.kill(-victim.pid, 'SIGKILL');
    await expect.poll(() => isAlive(victim.pid), { timeout: 10_000 }).toBe(false);
    await send(100);
    await Promise.all([producer.disconnect(), admin.disconnect()]);

    const consumer = kafka.consumer({ groupId: `broker-kill-${Date.now()}` });
    const seen = new Set<string>();
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.add(message.value!.toString()) });
    await expect.poll(() => seen.size, { timeout: 60_000, interval: 250 }).toBe(200);
    await consumer.disconnect();
    expect([...seen].sort()).toEqual(Array.from({ length: 200 }, (_, i) => `event-${i}`).sort());
    phase('a broker killed under acks=all writes', testStarted);
  }, 120_000);

  // Last: it leaves the platform down.
  it('should leave no process behind after a killed supervisor and pulse down', () => {
    const testStarted = Date.now();
    const state = readState(home)!;
    const pids = Object.values(state.services).map((s) => s.pid);
    expect(Object.keys(state.services)).toEqual(expect.arrayContaining(['collector-1', 'collector-2', 'collector-lb']));
    expect(pids.every(isAlive)).toBe(true);

    // A supervisor that dies without cleaning up, as with kill -9 or an OOM kill.
    process.kill(state.supervisorPid, 'SIGKILL');
    const stopped = pulse('down');
    expect(stopped.code, stopped.out).toBe(0);
    expect(stopped.out).toContain('stopping leftover');
    expect(pids.filter(isAlive)).toEqual([]);
    expect(pulse('status').out).toContain('not running');
    phase('a killed supervisor and pulse down', testStarted);
  }, 120_000);
});
