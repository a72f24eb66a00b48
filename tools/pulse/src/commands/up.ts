import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, statSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { PulseError, say } from '../console';
import { installAll } from '../install';
import { repoRoot, stateDir } from '../paths';
import { savepointRunningJobs } from '../flink-savepoints';
import { migrationCluster } from '../migrations';
import { appEnvironment, flinkSavepointDir, platformLayers } from '../platform';
import { demoTrafficService } from '../services/apps';
import { codeIdentity } from '../code-identity';
import { buildDashboardPage, dashboardUrl } from '../dashboard';
import { isAlive, sleep, tailFile } from '../processes';
import { loadSettings, type Settings } from '../settings';
import { readState, writeState, type PlatformState } from '../state';
import { Supervisor } from '../supervisor';
import { bootstrap, notUpgradedJobs } from './bootstrap';
import { printStatus } from './status';
import { stopLeftovers } from './down';

/** `pulse up`: installs what is missing, starts every service, supervises until Ctrl-C. */
export async function up(options: { detach?: boolean; demo?: boolean }): Promise<void> {
  const dir = stateDir();
  const current = readState(dir);
  if (current && isAlive(current.supervisorPid)) {
    say.ok(`Social Pulse is already running (supervisor pid ${current.supervisorPid}).`);
    await printStatus();
    return;
  }
  await stopLeftovers(dir);
  if (options.detach) return upDetached(dir, options);
  await runSupervisor(dir, options);
}

async function runSupervisor(dir: string, options: { demo?: boolean }): Promise<void> {
  const settings = loadSettings();
  const install = await installAll();
  const state: PlatformState = {
    supervisorPid: process.pid,
    status: 'starting',
    startedAt: new Date().toISOString(),
    code: codeIdentity(),
    repoRoot,
    services: {},
  };
  const supervisor = new Supervisor(dir, () => {
    state.services = supervisor.snapshot();
    writeState(dir, state);
  });
  writeState(dir, state);

  let shuttingDown: Promise<void> | undefined;
  const shutdown = (reason: string, exitCode: number) => {
    shuttingDown ??= (async () => {
      say.step(`${reason}: stopping Social Pulse`);
      state.status = 'stopping';
      writeState(dir, state);
      // Jobs first, while Flink still runs: their savepoints let the next start resume exactly.
      await savepointRunningJobs(`http://127.0.0.1:${settings.FLINK_REST_PORT}`, flinkSavepointDir(dir));
      await supervisor.stopAll();
      writeState(dir, { ...state, status: exitCode === 0 ? 'stopping' : 'failed', services: {} });
      say.ok('all services stopped');
      process.exit(exitCode);
    })();
    return shuttingDown;
  };
  process.on('SIGINT', () => void shutdown('interrupted', 0));
  process.on('SIGTERM', () => void shutdown('asked to stop', 0));
  process.on('uncaughtException', (error) => {
    say.fail(`pulse crashed: ${error.stack ?? error.message}`);
    void shutdown('crash', 1);
  });

  const started = Date.now();
  let notUpgraded: { job: string; lines: string[] }[];
  try {
    // The worker reads CLICKHOUSE_CLUSTER too; a cluster the local server cannot be is refused before anything starts.
    migrationCluster(settings.CLICKHOUSE_CLUSTER);
    const [infrastructure, ...rest] = platformLayers(settings, install, dir, options);
    await supervisor.startTogether(infrastructure);
    await buildDashboardPage();
    // The apps report healthy without topics or tables (their /health is liveness; the collector
    // connects to Kafka in the background), so they start first and the worker runs the bootstrap.
    for (const layer of rest) await supervisor.startTogether(layer);
    notUpgraded = notUpgradedJobs(await bootstrap());
    if (options.demo) await supervisor.startTogether([demoTrafficService(settings, appEnvironment(settings, dir))]);
    if (process.env.CLICKHOUSE_URL) {
      say.ok(`ClickHouse: using the server at ${process.env.CLICKHOUSE_URL} (CLICKHOUSE_URL); no local one started`);
    }
  } catch (error) {
    state.message = (error as Error).message;
    say.fail(state.message);
    if (error instanceof PulseError && error.hint) say.plain(`  what to do: ${error.hint}`);
    await shutdown('start-up failed', 1);
    return;
  }
  // Before 'ready': a detached `pulse up` shows this log only until the state says ready.
  for (const { lines } of notUpgraded) for (const line of lines) say.warn(line);
  say.plain(`Dashboard: ${dashboardUrl(settings)}`);
  say.plain(monitoringUrls(settings));
  state.status = 'ready';
  writeState(dir, state);
  const previous = notUpgraded.map(({ job }) => job).join(', ');
  say.ok(
    `Social Pulse is up in ${((Date.now() - started) / 1000).toFixed(1)} s` +
      (previous ? `, running the previous version of ${previous} (see the warning above)` : ''),
  );
  await printStatus();
  say.plain(`Logs: ${join(dir, 'logs')}. Stop with Ctrl-C or \`npx pulse down\`.`);
  await new Promise(() => {
    /* supervise until a signal arrives */
  });
}

/** Where a person finds the metrics and the alerts. */
const monitoringUrls = (settings: Settings) =>
  `Monitoring: Prometheus http://127.0.0.1:${settings.PROMETHEUS_PORT} (alerts: /alerts), ` +
  `Alertmanager http://127.0.0.1:${settings.ALERTMANAGER_PORT}`;

/** Runs the supervisor in the background and follows its log until it is ready or failed. */
async function upDetached(dir: string, options: { demo?: boolean }): Promise<void> {
  const logDir = join(dir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, 'pulse.log');
  const fd = openSync(logFile, 'a');
  const offset = statSync(logFile).size;
  const child = spawn(
    process.execPath,
    [join(repoRoot, 'bin', 'pulse.js'), 'up', ...(options.demo ? ['--demo'] : [])],
    {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: { ...process.env, NO_COLOR: '1' },
    },
  );
  closeSync(fd);
  child.unref();
  const follow = logFollower(logFile, offset);
  while (true) {
    await sleep(500);
    follow();
    const state = readState(dir);
    if (state && state.supervisorPid === child.pid && state.status === 'ready') {
      // What the supervisor wrote just before 'ready' (a job left on its previous version) must show.
      follow();
      say.ok(`running in the background (supervisor pid ${child.pid}); stop with \`npx pulse down\``);
      return;
    }
    if (!isAlive(child.pid!) || state?.status === 'failed') {
      follow();
      throw new PulseError(`pulse up failed in the background. Last lines of ${logFile}:\n${tailFile(logFile, 15)}`);
    }
  }
}

/** Prints what a log file gained since the last call. */
function logFollower(file: string, start: number): () => void {
  let position = start;
  return () => {
    const size = statSync(file).size;
    if (size <= position) return;
    const buffer = Buffer.alloc(size - position);
    const fd = openSync(file, 'r');
    readSync(fd, buffer, 0, buffer.length, position);
    closeSync(fd);
    position = size;
    process.stdout.write(buffer.toString());
  };
}
