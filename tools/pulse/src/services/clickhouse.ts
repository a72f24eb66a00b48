import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_PORTS } from '@social-pulse/shared';
import { repoRoot } from '../paths';
import { versions } from '../versions';
import { httpOk } from './health';
import type { ServiceSpec } from './service';

const execFileAsync = promisify(execFile);

/**
 * The local ClickHouse: tools/chdb-server serves ClickHouse's HTTP interface over the chDB
 * engine and owns the data directory, so every client shares one database. Started only
 * when CLICKHOUSE_URL does not point at another server.
 */
export function clickhouseService(stateDir: string, port: number = DEFAULT_PORTS.clickhouseHttp): ServiceSpec {
  const dataDir = join(stateDir, 'data', 'clickhouse');
  const url = `http://127.0.0.1:${port}`;
  const spec: ServiceSpec = {
    name: 'clickhouse',
    group: 'clickhouse',
    ports: [port],
    url,
    version: `chdb-${versions.chdb.version}`,
    prepare: async () => {
      mkdirSync(dataDir, { recursive: true });
      // Status shows the engine's own version, which only the engine knows; ask it once per start.
      spec.version = (await engineVersion()) ?? spec.version;
    },
    command: async () => ({
      command: process.execPath,
      args: ['--enable-source-maps', '-r', '@swc-node/register', join(repoRoot, 'tools/chdb-server/src/main.ts')],
      cwd: repoRoot,
      env: { ...process.env, CLICKHOUSE_HTTP_PORT: String(port), CHDB_DATA_DIR: dataDir },
    }),
    healthy: () => httpOk(`${url}/ping`),
    startTimeoutMs: 60_000,
    // Longer than the server's own shutdown timeout, so running queries get to finish.
    stopTimeoutMs: 15_000,
  };
  return spec;
}

async function engineVersion(): Promise<string | undefined> {
  try {
    const { stdout } = await execFileAsync(
      process.execPath,
      ['-e', "process.stdout.write(require('chdb').query('SELECT version()', 'TabSeparated').trim())"],
      { cwd: join(repoRoot, 'tools', 'chdb-server'), timeout: 30_000 },
    );
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}
