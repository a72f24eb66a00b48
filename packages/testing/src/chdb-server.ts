import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAppProcess, type AppProcess } from './app-process';

/** A chDB server (tools/chdb-server) of a test's own, on its own port and data directory. */
export interface ChdbServerProcess extends AppProcess {
  dataDir: string;
  /** Whether the data directory was made here, to be removed with the server. */
  ownsDataDir: boolean;
}

/**
 * Starts a chDB server on a free port (or `port`) and resolves once it answers /ping. Without
 * `dataDir` it gets a temporary one, removed by `stopChdbServer`; a given one is kept, so a test
 * can restart a server on the same data.
 */
export async function startChdbServer(
  options: { env?: NodeJS.ProcessEnv; dataDir?: string; port?: number; timeoutMs?: number } = {},
): Promise<ChdbServerProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'chdb-server-test-'));
  try {
    const server = await startAppProcess({
      name: 'chdb-server',
      entry: 'tools/chdb-server/src/main.ts',
      port: options.port,
      timeoutMs: options.timeoutMs,
      env: { CHDB_DATA_DIR: dataDir, ...options.env },
      portEnv: (port) => ({ CLICKHOUSE_HTTP_PORT: String(port) }),
      healthPath: '/ping',
      // Longer than the server's own shutdown timeout (10 s), so running queries get to finish.
      stopGraceMs: 15_000,
    });
    return { ...server, dataDir, ownsDataDir: options.dataDir === undefined };
  } catch (error) {
    if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** Stops a server started here, if it still runs, and removes the data directory it made. */
export async function stopChdbServer(
  server: ChdbServerProcess | undefined,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  if (!server) return;
  await server.stop(signal);
  if (server.ownsDataDir) rmSync(server.dataDir, { recursive: true, force: true });
}
