import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../../..');

export interface CollectorProcess {
  url: string;
  process: ChildProcess;
  /** Everything the process wrote, for failure messages. */
  output: () => string;
  exited: () => boolean;
  stop: () => Promise<void>;
}

/**
 * Starts a collector process of its own (for tests and benchmarks that need settings or a Kafka
 * other than the platform's), and resolves once it answers /health.
 */
export async function startCollector(
  port: number,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<CollectorProcess> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/collector/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, COLLECTOR_HOST: '127.0.0.1', COLLECTOR_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let exitCode: number | null | undefined;
  const keep = (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exit = new Promise<void>((resolve) => child.once('exit', (code) => ((exitCode = code), resolve())));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exitCode !== undefined) throw new Error(`collector exited with ${exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`collector did not answer /health within ${timeoutMs} ms:\n${output}`);
    }
    const ok = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    process: child,
    output: () => output,
    exited: () => exitCode !== undefined,
    stop: async () => {
      if (exitCode !== undefined) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(killer);
    },
  };
}

/** Resolves once the collector reports ready (Kafka connected). */
export async function waitReady(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await fetch(`${url}/ready`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`collector at ${url} was not ready within ${timeoutMs} ms`);
}
