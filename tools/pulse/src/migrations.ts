import type { MigrationReport } from '@social-pulse/clickhouse';
import { applyClickHouseMigrations } from '@social-pulse/activities/clickhouse-migrations';
import { PulseError, say } from './console';
import { loadSettings } from './settings';

/**
 * The cluster to migrate (CLICKHOUSE_CLUSTER, or a command's --cluster): it takes a real ClickHouse
 * cluster, named by CLICKHOUSE_URL; the local chDB server is one node and has none.
 */
export function migrationCluster(cluster: string, externalUrl = process.env.CLICKHOUSE_URL): string {
  if (cluster && !externalUrl) {
    throw new PulseError(
      `ClickHouse cluster ${cluster} asked for, but no CLICKHOUSE_URL: the local ClickHouse is a single server`,
      'set CLICKHOUSE_URL to a host of the cluster, or unset CLICKHOUSE_CLUSTER (or pass --cluster "")',
    );
  }
  return cluster;
}

/**
 * `pulse migrations`: applies clickhouse/migrations to the server at `url`, printing each one it applies. With a cluster
 * they are rendered for it (ON CLUSTER, replicated and Distributed tables) and applied through that server.
 */
export async function applyMigrations(
  url: string,
  cluster = migrationCluster(loadSettings().CLICKHOUSE_CLUSTER),
): Promise<MigrationReport> {
  const report = await applyClickHouseMigrations({ url, cluster }, (message) => say.step(message));
  const where = cluster ? ` on cluster ${cluster}` : '';
  say.ok(
    `ClickHouse schema up to date${where} (${report.applied.length} applied, ${report.alreadyApplied} already there)`,
  );
  return report;
}
