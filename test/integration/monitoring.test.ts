import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

describe('monitoring', () => {
  it('should run a valid configuration, and rules that pass their own tests', () => {
    const promtool = (...args: string[]) => execFileSync('promtool', args, { cwd: monitoring, encoding: 'utf8' });
    promtool('check', 'config', join(stateDir(), 'run', 'prometheus.yml'));
    promtool('check', 'config', 'prometheus.yml');
    promtool('test', 'rules', 'rules-test.yml');
    execFileSync('amtool', ['check-config', 'alertmanager.yml'], { cwd: monitoring });
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

  it("should evaluate the repo's alert rules", async () => {
    const file = parse(readFileSync(join(monitoring, 'rules', 'pulse.rules.yml'), 'utf8')) as {
      groups: { rules: { alert: string }[] }[];
    };
    const inRepo = file.groups.flatMap((g) => g.rules.map((r) => r.alert)).sort();
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
  });
});
