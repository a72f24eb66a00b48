import type { FlinkJobKey } from '@social-pulse/shared';
import type { WorkerConfig } from './config';

/** Program arguments of each Flink job: where its inputs and outputs are, from the worker's config. */
export function flinkJobArguments(job: FlinkJobKey, config: WorkerConfig): string[] {
  const clickhouse = new URL(config.CLICKHOUSE_URL);
  const credentials = clickhouse.username
    ? ['--clickhouse-user', decodeURIComponent(clickhouse.username), '--clickhouse-password', decodeURIComponent(clickhouse.password)]
    : [];
  clickhouse.username = '';
  clickhouse.password = '';
  switch (job) {
    case 'trending':
      return [
        '--bootstrap-servers', config.KAFKA_BROKERS.join(','),
        '--clickhouse-url', clickhouse.toString().replace(/\/$/, ''),
        // A partition quiet for 1 s lets its watermark follow the wall clock: trends show within
        // seconds even in quiet periods (event times are collector-stamped, never ahead of it).
        '--idleness-ms', '1000',
        ...credentials,
      ];
  }
}
