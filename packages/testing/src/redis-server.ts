import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from './ports';

/** A Redis server of a test's own: in memory only, on a free port. */
export interface RedisServerProcess {
  port: number;
  url: string;
  /** Freezes it (SIGSTOP: connections are accepted and never answered) or thaws it (SIGCONT). */
  signal: (signal: 'SIGSTOP' | 'SIGCONT') => void;
  /** Stops it (SIGTERM, then SIGKILL after 5 s), frozen or not; harmless when it stopped already. */
  stop: () => Promise<void>;
}

/** Whether a Redis answers PING on the port. */
function pongs(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(1_000);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('timeout', () => socket.destroy());
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
  });
}

/**
 * Starts `redis-server` (Debian's, as `pulse up` installs it) on a free port (or `port`, to start
 * one again where a stopped one was), without persistence, for a test that must stop or freeze
 * Redis or keep its own keys apart from the platform's.
 */
export async function startRedisServer(
  options: { port?: number; timeoutMs?: number } = {},
): Promise<RedisServerProcess> {
  const port = options.port ?? (await freePort());
  const timeoutMs = options.timeoutMs ?? 10_000;
  const child = spawn(
    'redis-server',
    ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let running = true;
  void exited.then(() => (running = false));
  const deadline = Date.now() + timeoutMs;
  while (!(await pongs(port))) {
    if (!running) throw new Error(`redis-server on port ${port} exited:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    signal: (signal) => {
      if (running) child.kill(signal);
    },
    stop: async () => {
      if (!running) return;
      // A frozen process keeps a SIGTERM pending until it runs again.
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
