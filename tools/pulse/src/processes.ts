import { spawn, type SpawnOptions } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { PulseError } from './console';

/** Runs a command to completion; on failure the error carries the tail of its output. */
export function run(command: string, args: string[], options: SpawnOptions & { label?: string } = {}): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-64_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        new PulseError(
          `${options.label ?? command} could not start: ${error.message}`,
          error.code === 'ENOENT' ? `install ${command} and make sure it is on PATH` : undefined,
        ),
      ),
    );
    child.on('close', (code) => {
      if (code === 0) resolvePromise(output);
      else
        reject(
          new PulseError(
            `${options.label ?? `${command} ${args.join(' ')}`} failed (exit ${code}):\n${tail(output, 25)}`,
          ),
        );
    });
  });
}

export function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export function tailFile(path: string, lines = 30): string {
  if (!existsSync(path)) return '(no log yet)';
  return tail(readFileSync(path, 'utf8'), lines);
}

/** True when something accepts TCP connections on the port. */
export function isListening(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = createConnection({ port, host });
    const done = (result: boolean) => {
      socket.destroy();
      resolvePromise(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** True when this process could bind the port, i.e. nobody else holds it. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.once('error', () => resolvePromise(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolvePromise(true)));
  });
}

/** Fields of /proc/<pid>/stat after the command name, which may itself hold spaces. */
function procStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** True for a running process; a zombie (exited, not yet reaped) counts as gone. */
export function isAlive(pid: number): boolean {
  const stat = procStat(pid);
  return stat !== undefined && stat[0] !== 'Z';
}

/**
 * When the process started, in clock ticks since boot. Recorded at spawn, it tells our process
 * from another that later got the same pid (command lines don't: Redis rewrites its own).
 */
export function startTicks(pid: number): number | undefined {
  const stat = procStat(pid);
  return stat ? Number(stat[19]) : undefined;
}

/** Resident memory of a process and its children, in MiB (Linux /proc). */
export function residentMiB(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Math.round(Number(match[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until the check passes or the deadline passes; returns whether it passed. */
export async function waitUntil(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  intervalMs = 250,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(intervalMs);
  }
  return false;
}

/** Stops a process group: SIGTERM, then SIGKILL once the grace period is over. */
export async function stopProcessGroup(pid: number, graceMs: number): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* already gone */
      }
    }
  };
  if (!isAlive(pid)) return;
  signal('SIGTERM');
  if (await waitUntil(() => !isAlive(pid), graceMs, 100)) return;
  signal('SIGKILL');
  await waitUntil(() => !isAlive(pid), 5000, 100);
}
