import { spawn, spawnSync } from 'node:child_process';
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

interface PulseOptions {
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

const command = (args: string[]) => [join(repoRoot, 'bin', 'pulse.js'), ...args];
const spawnOptions = (options: PulseOptions) => ({
  cwd: repoRoot,
  env: { ...process.env, NO_COLOR: '1', ...options.env },
  timeout: options.timeoutMs,
});

/**
 * Runs the `pulse` CLI (bin/pulse.js) to completion with the test's environment plus `env`
 * (NO_COLOR set, so output can be matched) and returns its exit code and output.
 */
export function runPulse(args: string[], options: PulseOptions = {}): PulseRun {
  const result = spawnSync(process.execPath, command(args), {
    ...spawnOptions(options),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error && result.status === null && !result.signal) throw result.error;
  const stdout = result.stdout ?? '';
  const stderr = result.stderr ?? '';
  return { code: result.status, out: stdout + stderr, stdout, stderr };
}

/** runPulse without blocking: for commands that run side by side, such as deploys of several jobs. */
export function runPulseAsync(args: string[], options: PulseOptions = {}): Promise<PulseRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, command(args), spawnOptions(options));
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out: stdout + stderr, stdout, stderr }));
  });
}
