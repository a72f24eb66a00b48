import { join } from 'node:path';

export { createClickHouse, type ClickHouseSettings } from './create-clickhouse';
export {
  migrate,
  readMigrations,
  splitStatements,
  type MigrateOptions,
  type Migration,
  type MigrationReport,
} from './migrations';
export {
  LOCAL_SUFFIX,
  REPLICA_NAME,
  REPLICA_PATH,
  REPLICATED_SETTINGS,
  SHARDING_KEYS,
  STATEMENT_RULES,
  identifierProblem,
  renderForCluster,
  schemaMigrationsTable,
  statementRule,
  type ClusterTarget,
} from './cluster-migrations';

/** The project's migrations: clickhouse/migrations at the repo root. */
export const MIGRATIONS_DIR = join(__dirname, '..', '..', '..', 'clickhouse', 'migrations');
