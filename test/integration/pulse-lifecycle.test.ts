import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive, readState } from '@social-pulse/pulse/testing';
import { freePlatformPorts, runPulse } from '@social-pulse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A second platform beside the shared one: its own state directory and free ports.
const home = mkdtempSync(join(tmpdir(), 'pulse-lifecycle-'));
let env: NodeJS.ProcessEnv = { PULSE_HOME: home };
const pulse = (...args: string[]) => runPulse(args, { env });

describe('pulse lifecycle', () => {
  beforeAll(async () => {
    env = { ...env, ...(await freePlatformPorts()) };
  });
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
