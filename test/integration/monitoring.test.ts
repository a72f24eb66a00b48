import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, stateDir, waitUntil } from '@social-pulse/pulse/testing';
import { platform, runPulse } from '@social-pulse/testing';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const monitoring = join(repoRoot, 'monitoring');
const { settings } = platform;

interface Target {
  labels: Record<string, string>;
  health: string;
  lastError: string;
}

async function prometheus<T>(path: string): Promise<T> {
  const res = await fetch(`${platform.prometheusUrl}${path}`);
  expect(res.status, path).toBe(200);
  return ((await res.json()) as { data: T }).data;
}

const query = (promql: string) =>
  prometheus<{ result: { metric: Record<string, string>; value: [number, string] }[] }>(
    `/api/v1/query?query=${encodeURIComponent(promql)}`,
  ).then((data) => data.result);

/** Every scrape target pulse configures, by job (and Flink component), as many as there are processes. */
const expectedTargets = [
  'collector',
  'api',
  'worker',
  ...(platform.localClickhouse ? ['clickhouse'] : []),
  'flink/jobmanager',
  ...Array.from({ length: settings.FLINK_TASKMANAGERS }, () => 'flink/taskmanager'),
  ...Array.from({ length: settings.KAFKA_BROKER_COUNT }, () => 'kafka'),
  'prometheus',
  'alertmanager',
].sort();

const targetName = (t: Target) => (t.labels.component ? `${t.labels.job}/${t.labels.component}` : t.labels.job);

const promtool = (...args: string[]) => execFileSync('promtool', args, { cwd: monitoring, encoding: 'utf8' });
const amtool = (...args: string[]) => execFileSync('amtool', args, { cwd: monitoring, encoding: 'utf8' });

/** The rules of every file Prometheus loads (rules/*.yml): alerts by `alert`, recording rules by `record`. */
const rulesInRepo = () =>
  readdirSync(join(monitoring, 'rules'))
    .filter((file) => file.endsWith('.yml'))
    .flatMap(
      (file) =>
        parse(readFileSync(join(monitoring, 'rules', file), 'utf8')) as {
          groups: { rules: { alert?: string; record?: string }[] }[];
        },
    )
    .flatMap((file) => file.groups.flatMap((g) => g.rules.map((r) => r.alert ?? r.record ?? '')));

const receiverUrl = `http://127.0.0.1:${settings.ALERT_RECEIVER_PORT}`;

interface Notification {
  receiver: string;
  alerts: { status: string; labels: Record<string, string> }[];
}

/** The alert receiver's notifications of one receiver that carry the alert. */
async function notificationsOf(receiver: string, alertname: string): Promise<Notification[]> {
  const res = await fetch(`${receiverUrl}/alerts?receiver=${receiver}`);
  expect(res.status).toBe(200);
  const { notifications } = (await res.json()) as { notifications: Notification[] };
  return notifications.filter((n) => n.alerts.some((a) => a.labels.alertname === alertname));
}

describe('monitoring', () => {
  it('should run a valid configuration, and rules that pass their own tests', () => {
    promtool('check', 'config', join(stateDir(), 'run', 'prometheus.yml'));
    promtool('check', 'config', 'prometheus.yml');
    promtool('check', 'rules', ...readdirSync(join(monitoring, 'rules')).map((file) => join('rules', file)));
    // Every alert fires when it should and stays quiet when it should not (alert-rules.spec.ts
    // checks that each has both cases, and its severity, annotations and runbook section).
    promtool('test', 'rules', 'rules-test.yml');
    amtool('check-config', 'alertmanager.yml');
    amtool('check-config', join(stateDir(), 'run', 'alertmanager.yml'));
  });

  it('should route critical alerts to the page receiver, warnings and the rest to the ticket receiver', () => {
    const routes = (expected: string, ...labels: string[]) =>
      amtool('config', 'routes', 'test', '--config.file=alertmanager.yml', `--verify.receivers=${expected}`, ...labels);
    expect(routes('page', 'alertname=ApiDown', 'severity=critical').trim()).toBe('page');
    expect(routes('ticket', 'alertname=WorkerDown', 'severity=warning').trim()).toBe('ticket');
    expect(routes('ticket', 'alertname=Unclassified').trim()).toBe('ticket');
    // A wrong expectation fails: the check above is not vacuous.
    expect(() => routes('ticket', 'alertname=ApiDown', 'severity=critical')).toThrow();
  });

  it("should deliver an alert through Alertmanager to its severity's receiver, which records it", async () => {
    const run = Date.now().toString(36);
    const alert = (severity: string, endsAt?: string) => ({
      labels: { alertname: `MonitoringTest_${severity}_${run}`, severity, job: 'monitoring-test' },
      annotations: { summary: `monitoring.test.ts checks the ${severity} route` },
      ...(endsAt && { endsAt }),
    });
    const post = (alerts: unknown[]) =>
      fetch(`${platform.alertmanagerUrl}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alerts),
      });
    expect((await post([alert('critical'), alert('warning')])).status).toBe(200);
    try {
      // Alertmanager waits group_wait (10 s) before a new group's first notification.
      const delivered = await waitUntil(
        async () =>
          (await notificationsOf('page', `MonitoringTest_critical_${run}`)).length > 0 &&
          (await notificationsOf('ticket', `MonitoringTest_warning_${run}`)).length > 0,
        30_000,
        1_000,
      );
      expect(delivered).toBe(true);
      expect(await notificationsOf('ticket', `MonitoringTest_critical_${run}`)).toEqual([]);
      expect(await notificationsOf('page', `MonitoringTest_warning_${run}`)).toEqual([]);
    } finally {
      const now = new Date().toISOString();
      await post([alert('critical', now), alert('warning', now)]);
    }
  });

  it('should scrape every app, ClickHouse, each Flink process and each Kafka broker', async () => {
    let targets: Target[] = [];
    const allUp = await waitUntil(
      async () => {
        targets = (await prometheus<{ activeTargets: Target[] }>('/api/v1/targets')).activeTargets;
        return targets.length === expectedTargets.length && targets.every((t) => t.health === 'up');
      },
      40_000,
      1_000,
    );
    const seen = targets.map((t) => `${targetName(t)} ${t.health} ${t.lastError}`.trim());
    expect(allUp, seen.join('\n')).toBe(true);
    expect(targets.map(targetName).sort()).toEqual(expectedTargets);
  });

  it("should hold Flink's and Kafka's own metrics", async () => {
    let taskManagers: Awaited<ReturnType<typeof query>> = [];
    let leaders: Awaited<ReturnType<typeof query>> = [];
    await waitUntil(
      async () => {
        taskManagers = await query('flink_jobmanager_numRegisteredTaskManagers');
        leaders = await query('sum(kafka_server_replicamanager_leadercount)');
        return taskManagers.length > 0 && leaders.length > 0;
      },
      30_000,
      1_000,
    );
    expect(Number(taskManagers[0]?.value[1])).toBe(settings.FLINK_TASKMANAGERS);
    // The platform's topics have partitions, and each has a leader.
    expect(Number(leaders[0]?.value[1])).toBeGreaterThan(0);
  });

  it("should evaluate the repo's alert and recording rules", async () => {
    const inRepo = rulesInRepo().sort();
    const loaded = await prometheus<{ groups: { rules: { name: string; health: string }[] }[] }>('/api/v1/rules');
    const rules = loaded.groups.flatMap((g) => g.rules);
    expect(rules.map((r) => r.name).sort()).toEqual(inRepo);
    expect(rules.filter((r) => r.health === 'err')).toEqual([]);
  });

  it('should send its alerts to the Alertmanager, which answers', async () => {
    const status = await fetch(`${platform.alertmanagerUrl}/api/v2/status`);
    expect(status.status).toBe(200);
    expect(((await status.json()) as { cluster: { status: string } }).cluster.status).toBe('disabled');
    const connected = await waitUntil(
      async () =>
        (
          await prometheus<{ activeAlertmanagers: { url: string }[] }>('/api/v1/alertmanagers')
        ).activeAlertmanagers.some((am) => am.url.startsWith(platform.alertmanagerUrl)),
      20_000,
      1_000,
    );
    expect(connected).toBe(true);
  });

  it('should list the firing alerts in pulse status', () => {
    const status = runPulse(['status'], { timeoutMs: 60_000 });
    expect(status.code, status.out).toBe(0);
    expect(status.out).toMatch(/^(alerts: none firing|alerts firing \(\d+\):)$/m);
    expect(status.out).toMatch(/^prometheus +healthy/m);
    expect(status.out).toMatch(/^alertmanager +healthy/m);
    expect(status.out).toMatch(/^alert-receiver +healthy/m);
  });
});
