import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive, waitUntil } from '../../tools/pulse/src/processes';
import { httpOk } from '../../tools/pulse/src/services/health';
import { repoRoot } from '../../tools/pulse/src/paths';

/** A chDB server of a test's own, on its own port and data directory, beside the platform's. */
export interface OwnServer {
  url: string;
  dataDir: string;
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  /** Whether the data directory was made here, to be removed with the server. */
  ownsDataDir: boolean;
}

export async function startOwnServer(port: number, env: NodeJS.ProcessEnv = {}, dataDir?: string): Promise<OwnServer> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'chdb-server-test-'));
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(repoRoot, 'apps/chdb-server/src/main.ts')], {
    cwd: repoRoot,
    env: {
      ...process.env,
      CLICKHOUSE_HTTP_PORT: String(port),
      CHDB_DATA_DIR: dir,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const up = await waitUntil(async () => child.exitCode !== null || (await httpOk(`${url}/ping`)), 60_000, 200);
  if (!up || child.exitCode !== null) {
    child.kill('SIGKILL');
    throw new Error(`chdb-server on port ${port} did not start:\n${output}`);
  }
  return {
    url,
    dataDir: dir,
    child,
    output: () => output,
    exited,
    ownsDataDir: dataDir === undefined,
  };
}

/** Stops a server started here, if it still runs, and removes the data directory it made. */
export async function stopOwnServer(server: OwnServer | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!server) return;
  if (server.child.pid && isAlive(server.child.pid) && server.child.exitCode === null) {
    server.child.kill(signal);
    await server.exited;
  }
  if (server.ownsDataDir) rmSync(server.dataDir, { recursive: true, force: true });
}
