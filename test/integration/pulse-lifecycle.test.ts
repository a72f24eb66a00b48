import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../tools/pulse/src/paths';
import { isAlive } from '../../tools/pulse/src/processes';
import { readState } from '../../tools/pulse/src/state';

// A second platform beside the shared one: its own state directory and ports.
const home = mkdtempSync(join(tmpdir(), 'pulse-lifecycle-'));
const env = {
  ...process.env,
  NO_COLOR: '1',
  PULSE_HOME: home,
  KAFKA_PORT: '29092',
  FLINK_REST_PORT: '28081',
  FLINK_RPC_PORT: '26123',
  TEMPORAL_PORT: '27233',
  TEMPORAL_UI_PORT: '28233',
  REDIS_PORT: '26379',
  CLICKHOUSE_PORT: '28123',
  COLLECTOR_PORT: '28080',
  API_PORT: '23000',
  WORKER_PORT: '29464',
};
const pulse = (...args: string[]) => {
  const result = spawnSync(process.execPath, [join(repoRoot, 'bin', 'pulse.js'), ...args], { env, encoding: 'utf8' });
  return { code: result.status, out: result.stdout + result.stderr };
};

describe('pulse lifecycle', () => {
  afterAll(() => {
    pulse('down');
    rmSync(home, { recursive: true, force: true });
  });

  it('should leave no process behind after a killed supervisor and pulse down', () => {
    const started = pulse('up', '--detach');
    expect(started.code, started.out).toBe(0);
    const state = readState(home)!;
    const pids = Object.values(state.services).map((s) => s.pid);
    expect(pids.length).toBeGreaterThanOrEqual(8);
    expect(pids.every(isAlive)).toBe(true);

    // A supervisor that dies without cleaning up, as with kill -9 or an OOM kill.
    process.kill(state.supervisorPid, 'SIGKILL');
    const stopped = pulse('down');
    expect(stopped.code, stopped.out).toBe(0);
    expect(stopped.out).toContain('stopping leftover');
    expect(pids.filter(isAlive)).toEqual([]);
    expect(pulse('status').out).toContain('not running');
  });
});
