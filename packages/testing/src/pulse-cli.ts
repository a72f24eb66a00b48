import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '@social-pulse/pulse/testing';

export interface PulseRun {
  /** The exit code; null when the process was killed (by the timeout, for one). */
  code: number | null;
  /** stdout then stderr, as a person would read them. */
  out: string;
  stdout: string;
  stderr: string;
}

/**
 * Runs the `pulse` CLI (bin/pulse.js) to completion with the test's environment plus `env`
 * (NO_COLOR set, so output can be matched) and returns its exit code and output.
 */
export function runPulse(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): PulseRun {
  const result = spawnSync(process.execPath, [join(repoRoot, 'bin', 'pulse.js'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    encoding: 'utf8',
    timeout: options.timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error && result.status === null && !result.signal) throw result.error;
  const stdout = result.stdout ?? '';
  const stderr = result.stderr ?? '';
  return { code: result.status, out: stdout + stderr, stdout, stderr };
}
