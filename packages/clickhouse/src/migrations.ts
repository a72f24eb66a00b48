import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { renderForCluster, schemaMigrationsTable } from './cluster-migrations';

export interface Migration {
  version: number;
  name: string;
  statements: string[];
  checksum: string;
}

const FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Reads `NNNN_name.sql` files in version order; each file may hold several `;`-ended statements. */
export function readMigrations(dir: string): Migration[] {
  return readdirSync(dir)
    .filter((file) => FILE.test(file))
    .sort()
    .map((file) => {
      const [, version, name] = FILE.exec(file)!;
      const sql = readFileSync(join(dir, file), 'utf8');
      return {
        version: Number(version),
        name,
        checksum: createHash('sha256').update(sql).digest('hex'),
        statements: splitStatements(sql),
      };
    });
}

/** Splits on a `;` that ends a line, after dropping `--` comment lines. */
export function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n')
    .split(/;\s*$/m)
    .map((statement) => statement.trim())
    .filter(Boolean);
}

export interface MigrationReport {
  applied: Migration[];
  alreadyApplied: number;
}

export interface MigrateOptions {
  /**
   * A ClickHouse cluster (as its servers' remote_servers name it) to migrate through the host the client
   * reaches: the statements are rendered for it (renderForCluster). Empty or absent: one server, the
   * files' statements as they are.
   */
  cluster?: string;
}

/** The runner's record of applied migrations on one server. */
const SCHEMA_MIGRATIONS = `CREATE TABLE IF NOT EXISTS schema_migrations (
      version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
    ) ENGINE = MergeTree ORDER BY version`;

/** The database the client's statements run in: the one a cluster's Distributed tables must name. */
async function currentDatabase(client: ClickHouseClient): Promise<string> {
  const result = await client.query({ query: 'SELECT currentDatabase() AS database', format: 'JSONEachRow' });
  const [row] = await result.json<{ database: string }>();
  return row.database;
}

/**
 * Applies the migrations not yet recorded in `schema_migrations`, once each and in order.
 * A recorded migration whose file changed stops the run: history is never rewritten silently.
 * For a cluster every migration is rendered first, so a statement no rule knows stops the run
 * before anything is applied.
 */
export async function migrate(
  client: ClickHouseClient,
  migrations: Migration[],
  onProgress: (message: string) => void = () => undefined,
  options: MigrateOptions = {},
): Promise<MigrationReport> {
  const cluster = options.cluster ?? '';
  const rendered = cluster
    ? renderForCluster(migrations, { cluster, database: await currentDatabase(client) })
    : migrations;
  await client.command({ query: cluster ? schemaMigrationsTable({ cluster }) : SCHEMA_MIGRATIONS });
  const rows = await (
    await client.query({
      query: 'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
      format: 'JSONEachRow',
    })
  ).json<{ version: number; name: string; checksum: string }>();
  const recorded = new Map(rows.map((row) => [Number(row.version), row]));

  const applied: Migration[] = [];
  for (const migration of rendered) {
    const previous = recorded.get(migration.version);
    if (previous) {
      if (previous.checksum !== migration.checksum) {
        throw new Error(`migration ${label(migration)} changed after it was applied; add a new migration instead`);
      }
      continue;
    }
    const where = cluster ? ` on cluster ${cluster}` : '';
    onProgress(`applying migration ${label(migration)}${where} (${migration.statements.length} statements)`);
    for (const statement of migration.statements) await client.command({ query: statement });
    await client.insert({
      table: 'schema_migrations',
      values: [{ version: migration.version, name: migration.name, checksum: migration.checksum }],
      format: 'JSONEachRow',
    });
    applied.push(migration);
  }
  return { applied, alreadyApplied: rendered.length - applied.length };
}

/** The migration as its file names it, e.g. 0001_trending_topics. */
const label = (migration: Migration) => `${String(migration.version).padStart(4, '0')}_${migration.name}`;
