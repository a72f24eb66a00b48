import type { FlinkJobKey } from '@social-pulse/shared';
import type { WorkerConfig } from './config';

/**
 * Program arguments of each Flink job: where its inputs and outputs are, from the worker's config.
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
  switch (job) {
    case 'trending':
      return [
        '--bootstrap-servers',
        config.KAFKA_BROKERS.join(','),
        '--clickhouse-url',
        clickhouse.toString().replace(/\/$/, ''),
        // Tuned for seconds from event to dashboard: a 2 s slide, 1 s of out-of-orderness, and a
        // partition quiet for 0.5 s lets its watermark follow the wall clock (event times are
        // collector-stamped, never ahead of it). An event later than that misses only the
        // earliest of its 30 windows; the newest windows, which the dashboard shows, count it.
        '--window-slide-seconds',
        '2',
        '--out-of-orderness-ms',
        '1000',
        '--idleness-ms',
        '500',
        '--flush-interval-ms',
        '500',
        ...user,
      ];
  }
}
