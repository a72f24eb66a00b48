import { join } from 'node:path';

export { createClickHouse, type ClickHouseSettings } from './create-clickhouse';
export { migrate, readMigrations, splitStatements, type Migration, type MigrationReport } from './migrations';

/** The project's migrations: clickhouse/migrations at the repo root. */
export const MIGRATIONS_DIR = join(__dirname, '..', '..', '..', 'clickhouse', 'migrations');
