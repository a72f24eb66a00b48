import { say } from '../console';
import { stateDir } from '../paths';
import { isAlive, startTicks, stopProcessGroup, waitUntil } from '../processes';
import { clearState, readState } from '../state';

/** `pulse down`: stops the supervisor, which stops its services; then anything left over. */
export async function down(): Promise<void> {
  const dir = stateDir();
  const state = readState(dir);
  if (!state) {
    say.ok('Social Pulse is not running.');
    return;
  }
  if (isAlive(state.supervisorPid)) {
    say.step(`stopping the supervisor (pid ${state.supervisorPid}) and its services`);
    process.kill(state.supervisorPid, 'SIGTERM');
    if (!(await waitUntil(() => !isAlive(state.supervisorPid), 120_000, 200))) {
      say.warn('the supervisor did not stop in 120 s; stopping services directly');
      process.kill(state.supervisorPid, 'SIGKILL');
    }
  }
  await stopLeftovers(dir);
  clearState(dir);
  say.ok('Social Pulse is stopped.');
}

/**
 * Stops services that a crashed or killed supervisor left behind. A pid is only touched when
 * its start time matches the one recorded at spawn, so a reused pid is left alone.
 */
export async function stopLeftovers(dir: string): Promise<void> {
  const state = readState(dir);
  if (!state) return;
  const services = Object.entries(state.services).reverse();
  for (const [name, service] of services) {
    if (!isAlive(service.pid)) continue;
    if (service.startTicks === undefined || startTicks(service.pid) !== service.startTicks) continue;
    say.step(`stopping leftover ${name} (pid ${service.pid})`);
    await stopProcessGroup(service.pid, 30_000);
  }
  clearState(dir);
}
