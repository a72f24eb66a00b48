import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { isAbsolute, join } from 'node:path';
import { repoRoot } from '@social-pulse/pulse/testing';
import { freePort } from './ports';

export interface AppProcessOptions {
  /** For messages: "collector did not answer …". */
  name: string;
  /** The TypeScript entry, relative to the repository root (or absolute); run through SWC. */
  entry: string;
  /** The port to listen on; a free one when left out. */
  port?: number;
  /** How the app is told its port, e.g. `(port) => ({ COLLECTOR_PORT: String(port) })`. */
  portEnv: (port: number) => NodeJS.ProcessEnv;
  /** Over the test's own environment, with LOG_LEVEL=warn unless given. */
  env?: NodeJS.ProcessEnv;
  /** Polled until it answers 2xx; the app counts as started then. */
  healthPath: string;
  timeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL. */
  stopGraceMs?: number;
}

/** An app process of a test's (or a benchmark's) own, beside the platform's. */
export interface AppProcess {
  name: string;
  port: number;
  url: string;
  child: ChildProcess;
  /** The last 20 kB the process wrote, for failure messages. */
  output: () => string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  hasExited: () => boolean;
  /** Sends the signal (SIGTERM by default; SIGKILL after the grace period) and waits for the exit. */
  stop: (signal?: NodeJS.Signals) => Promise<void>;
}

/**
 * Whether `url` answers 2xx, on a connection closed right after (no keep-alive), so the health
 * check leaves no connection behind to count against the app's own connection limits.
 */
const ok = (url: string) =>
  new Promise<boolean>((resolve) => {
    const req = get(url, { agent: false, timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });

/**
 * Starts `node -r @swc-node/register <entry>` from the repository root on a port of its own and
 * resolves once `healthPath` answers; throws with the process's output when it exits first or
 * does not answer in time.
 */
export async function startAppProcess(options: AppProcessOptions): Promise<AppProcess> {
  const port = options.port ?? (await freePort());
  const timeoutMs = options.timeoutMs ?? 60_000;
  const entry = isAbsolute(options.entry) ? options.entry : join(repoRoot, options.entry);
  const child = spawn(process.execPath, ['-r', '@swc-node/register', entry], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', ...options.env, ...options.portEnv(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-20_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
  const hasExited = () => exitCode !== undefined;

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (hasExited()) throw new Error(`${options.name} on port ${port} exited with ${exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.name} did not answer ${options.healthPath} within ${timeoutMs} ms:\n${output}`);
    }
    if (await ok(`${url}${options.healthPath}`)) break;
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    name: options.name,
    port,
    url,
    child,
    output: () => output,
    exited,
    hasExited,
    stop: async (signal = 'SIGTERM') => {
      if (hasExited()) return;
      child.kill(signal);
      const killer = setTimeout(() => child.kill('SIGKILL'), options.stopGraceMs ?? 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Resolves once `url` answers 2xx; throws after the timeout. */
export async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await ok(url)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer 2xx within ${timeoutMs} ms`);
}
