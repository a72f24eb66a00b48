import { say } from '../console';
import { dashboardUrl } from '../dashboard';
import { stateDir } from '../paths';
import { expectedInstallation, platformLayers } from '../platform';
import { isAlive, residentMiB } from '../processes';
import { loadSettings } from '../settings';
import { collectorStatesAtLb } from '../services/collector-lb';
import { firingAlerts } from '../services/monitoring';
import { readState } from '../state';

/** `pulse status`: one line per service with its state, pid, ports, version and memory. */
export async function printStatus(): Promise<void> {
  const dir = stateDir();
  const state = readState(dir);
  if (!state || !isAlive(state.supervisorPid)) {
    say.plain('Social Pulse is not running. Start it with `npm start` or `npx pulse up --detach`.');
    return;
  }
  const specs = new Map(
    platformLayers(loadSettings(), expectedInstallation(), dir)
      .flat()
      .map((spec) => [spec.name, spec]),
  );
  const rows = [['SERVICE', 'STATE', 'PID', 'PORTS', 'VERSION', 'MEMORY', 'URL']];
  for (const [name, service] of Object.entries(state.services)) {
    const alive = isAlive(service.pid);
    const healthy = alive && (await specs.get(name)?.healthy());
    const memory = alive ? residentMiB(service.pid) : undefined;
    rows.push([
      name,
      !alive ? 'stopped' : healthy ? 'healthy' : 'unhealthy',
      alive ? String(service.pid) : '-',
      service.ports.join(',') || '-',
      service.version,
      memory !== undefined ? `${memory} MiB` : '-',
      service.url ?? '',
    ]);
  }
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
  for (const row of rows)
    say.plain(
      row
        .map((cell, col) => cell.padEnd(widths[col]))
        .join('  ')
        .trimEnd(),
    );
  if (state.services['collector-lb']) await printCollectorStates(loadSettings().COLLECTOR_LB_METRICS_PORT);
  say.plain(`dashboard: ${dashboardUrl(loadSettings())}`);
  say.plain(`supervisor pid ${state.supervisorPid}, ${state.status} since ${state.startedAt}`);
  if (state.code) say.plain(`code: commit ${state.code.commit.slice(0, 12)}, platform code hash ${state.code.hash}`);
  await printFiringAlerts(`http://127.0.0.1:${loadSettings().PROMETHEUS_PORT}`);
}

/** Which collectors the load balancer sends to: a replica can run and still be out of its rotation. */
async function printCollectorStates(metricsPort: number): Promise<void> {
  const states = await collectorStatesAtLb(metricsPort);
  const listed = states && Object.entries(states).map(([name, status]) => `${name} ${status}`);
  say.plain(`load balancer: ${listed ? listed.join(', ') : `its stats on port ${metricsPort} do not answer`}`);
}

/** The alerts firing now, most severe first, as Prometheus evaluates monitoring/rules. */
async function printFiringAlerts(prometheusUrl: string): Promise<void> {
  const alerts = await firingAlerts(prometheusUrl);
  if (!alerts) {
    say.plain(`alerts: Prometheus at ${prometheusUrl} does not answer`);
    return;
  }
  if (alerts.length === 0) {
    say.plain('alerts: none firing');
    return;
  }
  const rank = (severity: string) => (severity === 'critical' ? 0 : severity === 'warning' ? 1 : 2);
  say.plain(`alerts firing (${alerts.length}):`);
  for (const alert of [...alerts].sort((a, b) => rank(a.severity) - rank(b.severity)))
    say.plain(`  ${alert.severity.padEnd(8)}  ${alert.name}  ${alert.summary} (since ${alert.since})`);
}
