import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { DEBIAN_COMMANDS, type Installation } from './install';
import { kafkaMetricsAgentJar } from './install/kafka-metrics-agent';
import { cacheDir } from './paths';
import { appServices, collectorEnvironment } from './services/apps';
import { clickhouseService } from './services/clickhouse';
import { collectorLbServices, trustsLoopback } from './services/collector-lb';
import { flinkServices } from './services/flink';
import { bootstrapServers, kafkaServices } from './services/kafka';
import { MONITORING_DIR, alertReceiverService, alertmanagerService, prometheusService } from './services/monitoring';
import { redisService } from './services/redis';
import type { ServiceSpec } from './services/service';
import { temporalService } from './services/temporal';
import type { Settings } from './settings';
import { versions } from './versions';

/** Where an installation lives when it is complete; status uses it without installing. */
export function expectedInstallation(): Installation {
  const cache = cacheDir();
  return {
    kafkaLibDir: join(cache, `kafka-${versions.kafka.version}`, 'libs'),
    kafkaMetricsAgentJar: kafkaMetricsAgentJar(),
    flinkHome: join(cache, `flink-${versions.flink.version}`),
    temporalBinary: join(cache, `temporal-${versions.temporal.cli}`, 'temporal'),
    redisBinary: DEBIAN_COMMANDS.redis.command,
    prometheusBinary: DEBIAN_COMMANDS.prometheus.command,
    alertmanagerBinary: DEBIAN_COMMANDS.alertmanager.command,
    haproxyBinary: DEBIAN_COMMANDS.haproxy.command,
  };
}

/** The environment the apps get: the same variable names as in docker-compose.yml. */
export function appEnvironment(settings: Settings, stateDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    KAFKA_BROKERS: kafkaBrokers(settings).join(','),
    REDIS_URL: `redis://127.0.0.1:${settings.REDIS_PORT}`,
    TEMPORAL_ADDRESS: `127.0.0.1:${settings.TEMPORAL_PORT}`,
    FLINK_REST_URL: `http://127.0.0.1:${settings.FLINK_REST_PORT}`,
    CLICKHOUSE_URL: clickhouseUrl(settings),
    COLLECTOR_PORT: String(settings.COLLECTOR_PORT),
    API_PORT: String(settings.API_PORT),
    WORKER_PORT: String(settings.WORKER_PORT),
    // Where the worker's canary sends its events and looks for them.
    COLLECTOR_URL: `http://127.0.0.1:${settings.COLLECTOR_PORT}`,
    API_URL: `http://127.0.0.1:${settings.API_PORT}`,
    // The worker's deploys and pulse down's savepoints meet in the same folder.
    FLINK_SAVEPOINT_DIR: flinkSavepointDir(stateDir),
  };
}

export const flinkSavepointDir = (stateDir: string) => join(stateDir, 'data', 'flink', 'savepoints');

/** CLICKHOUSE_URL names an external server; without it the local one on CLICKHOUSE_PORT. */
export const clickhouseUrl = (settings: Settings) =>
  process.env.CLICKHOUSE_URL ?? `http://127.0.0.1:${settings.CLICKHOUSE_PORT}`;

export const kafkaBrokers = (settings: Settings) =>
  bootstrapServers({ brokerCount: settings.KAFKA_BROKER_COUNT, basePort: settings.KAFKA_PORT });

/**
 * The services in start order. Each inner list starts together: infrastructure first,
 * then what needs it (TaskManagers need their JobManager; apps need all of it).
 */
export function platformLayers(
  settings: Settings,
  install: Installation,
  stateDir: string,
  options: { demo?: boolean } = {},
): ServiceSpec[][] {
  const kafka = kafkaServices({
    brokerCount: settings.KAFKA_BROKER_COUNT,
    basePort: settings.KAFKA_PORT,
    dir: join(stateDir, 'data', 'kafka'),
    libDir: install.kafkaLibDir,
    version: versions.kafka.version,
    heap: settings.KAFKA_HEAP,
    metrics: {
      basePort: settings.KAFKA_METRICS_PORT,
      agentJar: install.kafkaMetricsAgentJar,
      rulesFile: join(MONITORING_DIR, 'kafka-jmx.yml'),
    },
  });
  const [jobManager, ...taskManagers] = flinkServices(settings, stateDir, install.flinkHome, versions.flink.version);
  // With CLICKHOUSE_URL set the platform uses that server; otherwise it runs its own over chDB.
  const localClickhouse = !process.env.CLICKHOUSE_URL;
  const env = appEnvironment(settings, stateDir);
  const clickhouse = localClickhouse ? [clickhouseService(stateDir, settings.CLICKHOUSE_PORT)] : [];
  return [
    [
      redisService(settings, stateDir, install.redisBinary, redisVersion(install.redisBinary)),
      ...clickhouse,
      ...kafka,
      temporalService(settings, stateDir, install.temporalBinary, versions.temporal.cli.replace(/^v/, '')),
      jobManager,
      // From the start, so a service that fails to come up is already on record.
      prometheusService(settings, stateDir, install.prometheusBinary, { localClickhouse }),
      alertmanagerService(settings, stateDir, install.alertmanagerBinary),
      alertReceiverService(settings, stateDir),
    ],
    taskManagers,
    [
      ...appServices(settings, env, options),
      // With the collectors: it answers once one of them does.
      ...collectorLbServices(settings, stateDir, install.haproxyBinary, {
        forwardFor: trustsLoopback(collectorEnvironment(env, options).TRUSTED_PROXIES),
      }),
    ],
  ];
}

function redisVersion(binary: string): string {
  try {
    return /v=([\d.]+)/.exec(execFileSync(binary, ['--version'], { encoding: 'utf8' }))?.[1] ?? 'unknown';
  } catch {
    return 'not installed';
  }
}
