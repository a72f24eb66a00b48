import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { codeIdentity, isAlive, readState, repoRoot, stateDir } from '@social-pulse/pulse/testing';

// The shared platform runs no canary unless asked: its polling of the API would only load the
// machine, and the multi-node file tests the canary on a platform of its own.
const pulse = (...args: string[]) =>
  spawnSync(process.execPath, [join(repoRoot, 'bin', 'pulse.js'), ...args], {
    stdio: 'inherit',
    env: { ...process.env, CANARY_INTERVAL_MS: process.env.CANARY_INTERVAL_MS ?? '0' },
  });

/**
 * Integration tests run against the real platform, started from this checkout's code. A platform
 * that is already up (a developer's `npm start`) is used only when it runs exactly this code;
 * one started from other code stops the run with a message rather than being tested by mistake.
 * Otherwise it is started here and stopped after the run.
 */
export default function setup(): () => void {
  // The test runner lists tests before running them: nothing needs starting for that.
  if (process.env.PULSE_TEST_LIST_ONLY) return () => undefined;
  const state = readState(stateDir());
  const here = codeIdentity();
  if (state?.status === 'ready' && isAlive(state.supervisorPid)) {
    if (state.code?.hash === here.hash) return () => undefined;
    const theirs = state.code ? `commit ${state.code.commit.slice(0, 12)}, code ${state.code.hash}` : 'unknown code';
    throw new Error(
      `the running platform (supervisor pid ${state.supervisorPid}) was started from ${theirs}; ` +
        `this checkout is commit ${here.commit.slice(0, 12)}, code ${here.hash}. ` +
        'The tests would test that code: stop it with `npx pulse down` (or restart it with `npx pulse up`) and run again.',
    );
  }
  const result = pulse('up', '--detach');
  if (result.status !== 0) throw new Error('pulse up failed; see the output above');
  return () => {
    pulse('down');
  };
}
