import {
  createClickHouse,
  migrate,
  MIGRATIONS_DIR,
  readMigrations,
  type MigrationReport,
} from '@social-pulse/clickhouse';
import { say } from './console';

/** Applies clickhouse/migrations to the server at `url`, printing each one it applies. */
export async function applyMigrations(url: string): Promise<MigrationReport> {
  const client = createClickHouse({ url }, 'pulse');
  try {
    const report = await migrate(client, readMigrations(MIGRATIONS_DIR), (message) => say.step(message));
    say.ok(`ClickHouse schema up to date (${report.applied.length} applied, ${report.alreadyApplied} already there)`);
    return report;
  } finally {
    await client.close();
  }
}
