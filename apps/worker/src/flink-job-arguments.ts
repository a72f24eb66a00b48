import type { FlinkJobKey } from '@social-pulse/shared';
import type { WorkerConfig } from './config';

/**
 * Program arguments of each Flink job: where its inputs and outputs are, from the worker's config.
 * Addresses, and the checkpoint interval when an operator sets one for all (FLINK_CHECKPOINT_INTERVAL_MS,
 * the load test's tuning knob): the rest of a job's tuning (windows, lateness, idleness, flush interval,
 * damping) lives with the job as its defaults, and its horizons in packages/shared/trending-horizons.json.
 *
 * Never a secret: Flink shows program arguments in its UI and REST API and keeps them with the job.
 * The ClickHouse URL goes without its user info; the user name (not a secret) goes as a flag, and the
 * password stays out altogether: the job's writers read it on the TaskManagers, from their
 * CLICKHOUSE_PASSWORD (docker-compose.yml and pulse set it from the same source as CLICKHOUSE_URL).
 */
export function flinkJobArguments(job: FlinkJobKey, config: WorkerConfig): string[] {
  const clickhouse = new URL(config.CLICKHOUSE_URL);
  const user = clickhouse.username ? ['--clickhouse-user', decodeURIComponent(clickhouse.username)] : [];
  clickhouse.username = '';
  clickhouse.password = '';
  // Every job takes the same addresses; the topics are each job's defaults (packages/shared TOPICS).
  switch (job) {
    case 'trending':
    case 'archive':
    case 'sessions':
    case 'ads':
      return [
        '--bootstrap-servers',
        config.KAFKA_BROKERS.join(','),
        '--clickhouse-url',
        clickhouse.toString().replace(/\/$/, ''),
        ...user,
        ...(config.FLINK_CHECKPOINT_INTERVAL_MS > 0
          ? ['--checkpoint-interval-ms', String(config.FLINK_CHECKPOINT_INTERVAL_MS)]
          : []),
      ];
  }
}
