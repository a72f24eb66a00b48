import {
  createClickHouse,
  migrate,
  MIGRATIONS_DIR,
  readMigrations,
  type MigrationReport,
} from '@social-pulse/clickhouse';

export interface MigrationTarget {
  /** The server the migrations are applied through. */
  url: string;
  /** A ClickHouse cluster (as its servers' remote_servers name it) to render them for; '' for one server. */
  cluster: string;
}

/**
 * Applies clickhouse/migrations to the server at `url` (each once, recorded in schema_migrations),
 * rendered for the cluster when one is named. `pulse migrations` and the bootstrap workflow both
 * apply them through this.
 */
export async function applyClickHouseMigrations(
  target: MigrationTarget,
  onProgress: (message: string) => void = () => undefined,
  migrationsDir = MIGRATIONS_DIR,
): Promise<MigrationReport> {
  const client = createClickHouse({ url: target.url }, 'migrations');
  try {
    return await migrate(client, readMigrations(migrationsDir), onProgress, { cluster: target.cluster });
  } finally {
    await client.close();
  }
}
