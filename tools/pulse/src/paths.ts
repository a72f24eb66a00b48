import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root: tools/pulse/src is three levels below it. */
export const repoRoot = resolve(__dirname, '..', '..', '..');

/**
 * Where downloads and builds live: outside the repo and per user, so a fresh clone on the
 * same machine reuses them. PULSE_CACHE_DIR overrides it.
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PULSE_CACHE_DIR) return resolve(env.PULSE_CACHE_DIR);
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'social-pulse');
}

/** Data, pids and logs of one platform instance; ignored by git. PULSE_HOME overrides it. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.PULSE_HOME ? resolve(env.PULSE_HOME) : join(repoRoot, '.pulse');
}
