import { InvalidArgumentError } from 'commander';
import {
  identifierProblem,
  MIGRATIONS_DIR,
  readMigrations,
  renderForCluster,
  type Migration,
} from '@social-pulse/clickhouse';
import { PulseError } from '../console';
import { applyMigrations, migrationCluster } from '../migrations';
import { clickhouseUrl } from '../platform';
import { loadSettings } from '../settings';

export interface MigrationsOptions {
  /** Print the SQL instead of applying it. */
  print?: boolean;
  /** The cluster to render for; default CLICKHOUSE_CLUSTER, '' for one server. */
  cluster?: string;
  /** With --print: the database the Distributed tables name (applying, the server's current one). */
  database?: string;
}

/** What `pulse migrations` does, for `pulse migrations --help`. */
export const MIGRATIONS_HELP =
  'apply the ClickHouse migrations (clickhouse/migrations) not applied yet, or print them with --print; for a ' +
  'cluster (--cluster, or CLICKHOUSE_CLUSTER) they are rendered ON CLUSTER, with replicated local tables and ' +
  'Distributed tables under the names the apps use';

/** Commander's parser of a --cluster or --database value: a plain identifier ('' allowed for --cluster). */
export function parseIdentifier(value: string): string {
  const problem = value === '' ? undefined : identifierProblem(value);
  if (problem) throw new InvalidArgumentError(problem);
  return value;
}

/**
 * The migrations as one SQL script, for reading or for a ClickHouse client: a heading, then each
 * migration under a comment with its file name, each statement ended by `;`.
 */
export function migrationsScript(migrations: Migration[], cluster: string, database: string): string {
  const rendered = cluster ? renderForCluster(migrations, { cluster, database }) : migrations;
  const heading = [
    cluster
      ? `-- clickhouse/migrations rendered for ClickHouse cluster ${cluster} (Distributed tables over database ${database}).`
      : '-- clickhouse/migrations for a single ClickHouse server.',
    '-- Printed by `pulse migrations --print`. `pulse migrations` applies them once each and records them in',
    '-- schema_migrations; this script records nothing.',
  ];
  const bodies = rendered.map((migration) => {
    const file = `${String(migration.version).padStart(4, '0')}_${migration.name}.sql`;
    return [`-- ${file}`, ...migration.statements.map((statement) => `${statement};`)].join('\n\n');
  });
  return `${[heading.join('\n'), ...bodies].join('\n\n')}\n`;
}

/**
 * `pulse migrations`: applies the migrations not applied yet to the platform's ClickHouse (CLICKHOUSE_URL,
 * or the local server), or with --print writes them to stdout as SQL, for one server or a cluster.
 */
export async function migrations(options: MigrationsOptions = {}): Promise<void> {
  const settings = loadSettings();
  const cluster = options.cluster ?? settings.CLICKHOUSE_CLUSTER;
  if (options.print) {
    process.stdout.write(migrationsScript(readMigrations(MIGRATIONS_DIR), cluster, options.database ?? 'default'));
    return;
  }
  if (options.database !== undefined) {
    throw new PulseError('--database goes with --print', 'applying, the tables go to the database CLICKHOUSE_URL uses');
  }
  await applyMigrations(clickhouseUrl(settings), migrationCluster(cluster));
}
