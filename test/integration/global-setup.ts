import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot, stateDir } from '../../tools/pulse/src/paths';
import { isAlive } from '../../tools/pulse/src/processes';
import { readState } from '../../tools/pulse/src/state';

const pulse = (...args: string[]) =>
  spawnSync(process.execPath, [join(repoRoot, 'bin', 'pulse.js'), ...args], { stdio: 'inherit' });

/**
 * Integration tests run against the real platform. A platform that is already up (a developer's
 * `npm start`) is used as it is; otherwise it is started here and stopped after the run.
 */
export default function setup(): () => void {
  const state = readState(stateDir());
  if (state?.status === 'ready' && isAlive(state.supervisorPid)) return () => undefined;
  const result = pulse('up', '--detach');
  if (result.status !== 0) throw new Error('pulse up failed; see the output above');
  return () => {
    pulse('down');
  };
}
