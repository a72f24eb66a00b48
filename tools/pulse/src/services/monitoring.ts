import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { repoRoot } from '../paths';
import type { Settings } from '../settings';
import { collectorInstances } from './collector-lb';
import { commandVersion } from './command-version';
import { flinkMetricsPorts } from './flink';
import { httpGet, httpOk } from './health';
import { brokerMetricsPorts } from './kafka';
import type { ServiceSpec } from './service';

/** The repo's monitoring configuration: Prometheus, its rules, Alertmanager, the Kafka agent's rules. */
export const MONITORING_DIR = join(repoRoot, 'monitoring');

interface StaticConfig {
  targets: string[];
  labels?: Record<string, string>;
}

interface ScrapeConfig {
  job_name: string;
  static_configs?: StaticConfig[];
  dns_sd_configs?: unknown[];
  [key: string]: unknown;
}

interface AlertmanagerConfig {
  receivers?: { name: string; webhook_configs?: { url: string; [key: string]: unknown }[]; [key: string]: unknown }[];
  [key: string]: unknown;
}

/** The host that monitoring/alertmanager.yml's webhooks name: docker-compose.yml's alert receiver. */
const ALERT_RECEIVER_HOST = 'alert-receiver';

interface PrometheusConfig {
  global?: Record<string, unknown>;
  rule_files?: string[];
  alerting?: { alertmanagers: { static_configs: StaticConfig[] }[] };
  scrape_configs: ScrapeConfig[];
  [key: string]: unknown;
}

const local = (...ports: number[]) => ports.map((port) => `127.0.0.1:${port}`);

/**
 * Jobs pulse adds when monitoring/prometheus.yml has none: the collectors' load balancer runs
 * locally with COLLECTOR_REPLICAS > 1 (HAProxy's exporter). Should that file gain the job, its
 * targets are replaced like any other's.
 */
const LOCAL_ONLY_JOBS = ['collector-lb'];

/**
 * Where each job of monitoring/prometheus.yml is on this machine, from the settings. ClickHouse
 * is scraped only when pulse runs it (tools/chdb-server's /metrics on its HTTP port): a server
 * named by CLICKHOUSE_URL serves its metrics on a port of its own configuration.
 */
export function localScrapeTargets(
  settings: Settings,
  options: { localClickhouse: boolean },
): Record<string, StaticConfig[] | undefined> {
  const flink = flinkMetricsPorts(settings);
  return {
    // Each collector itself: through the load balancer a scrape would reach either one.
    collector: [{ targets: local(...collectorInstances(settings).map((c) => c.port)) }],
    'collector-lb':
      settings.COLLECTOR_REPLICAS > 1 ? [{ targets: local(settings.COLLECTOR_LB_METRICS_PORT) }] : undefined,
    api: [{ targets: local(settings.API_PORT) }],
    worker: [{ targets: local(settings.WORKER_PORT) }],
    clickhouse: options.localClickhouse ? [{ targets: local(settings.CLICKHOUSE_PORT) }] : undefined,
    flink: [
      { targets: local(flink.jobManager), labels: { component: 'jobmanager' } },
      { targets: local(...flink.taskManagers), labels: { component: 'taskmanager' } },
    ],
    kafka: [
      {
        targets: local(
          ...brokerMetricsPorts({
            brokerCount: settings.KAFKA_BROKER_COUNT,
            metricsBasePort: settings.KAFKA_METRICS_PORT,
          }),
        ),
      },
    ],
    prometheus: [{ targets: local(settings.PROMETHEUS_PORT) }],
    alertmanager: [{ targets: local(settings.ALERTMANAGER_PORT) }],
  };
}

/**
 * The Prometheus configuration pulse runs: monitoring/prometheus.yml (written for
 * docker-compose.yml's hosts) with every job's targets replaced by its local addresses, the rule
 * files by absolute paths and Alertmanager by the local one. A job without a local address, or
 * an address without a job (but LOCAL_ONLY_JOBS, added), is an error: the two lists must not drift apart.
 */
export function renderPrometheusConfig(
  settings: Settings,
  options: { localClickhouse: boolean; source?: string },
): string {
  const source = options.source ?? readFileSync(join(MONITORING_DIR, 'prometheus.yml'), 'utf8');
  const config = parse(source) as PrometheusConfig;
  const targets = localScrapeTargets(settings, options);
  const jobs = config.scrape_configs.map((job) => job.job_name);
  const unknown = jobs.filter((job) => !(job in targets));
  const missing = Object.keys(targets).filter((job) => !jobs.includes(job) && !LOCAL_ONLY_JOBS.includes(job));
  if (unknown.length > 0 || missing.length > 0) {
    throw new Error(
      `monitoring/prometheus.yml and pulse's local targets disagree: ` +
        [
          unknown.length ? `no local address for ${unknown.join(', ')}` : '',
          missing.length ? `no job for ${missing.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('; '),
    );
  }
  config.scrape_configs = config.scrape_configs.flatMap((job) => {
    const staticConfigs = targets[job.job_name];
    if (!staticConfigs) return [];
    const { dns_sd_configs: _discovered, ...rest } = job;
    return [{ ...rest, static_configs: staticConfigs }];
  });
  for (const job of LOCAL_ONLY_JOBS) {
    const staticConfigs = targets[job];
    if (staticConfigs && !jobs.includes(job))
      config.scrape_configs.push({ job_name: job, static_configs: staticConfigs });
  }
  const ruleFiles = settings.PROMETHEUS_RULE_FILES.length > 0 ? settings.PROMETHEUS_RULE_FILES : config.rule_files;
  config.rule_files = (ruleFiles ?? []).map((file) => resolve(MONITORING_DIR, file));
  const interval = settings.PROMETHEUS_INTERVAL_SECONDS && `${settings.PROMETHEUS_INTERVAL_SECONDS}s`;
  if (interval)
    config.global = {
      ...config.global,
      scrape_interval: interval,
      scrape_timeout: interval,
      evaluation_interval: interval,
    };
  config.alerting = { alertmanagers: [{ static_configs: [{ targets: local(settings.ALERTMANAGER_PORT) }] }] };
  return `# Written by pulse on each start from monitoring/prometheus.yml; edit that file or the environment.\n${stringify(config)}`;
}

/**
 * The Alertmanager configuration pulse runs: monitoring/alertmanager.yml with each webhook to
 * docker-compose.yml's alert receiver pointed at the local one (ALERT_RECEIVER_PORT). Webhooks
 * to other hosts (a deployment's pager) are left as they are.
 */
export function renderAlertmanagerConfig(settings: Settings, options: { source?: string } = {}): string {
  const source = options.source ?? readFileSync(join(MONITORING_DIR, 'alertmanager.yml'), 'utf8');
  const config = parse(source) as AlertmanagerConfig;
  for (const receiver of config.receivers ?? []) {
    for (const webhook of receiver.webhook_configs ?? []) {
      const url = new URL(webhook.url);
      if (url.hostname !== ALERT_RECEIVER_HOST) continue;
      url.host = `127.0.0.1:${settings.ALERT_RECEIVER_PORT}`;
      webhook.url = url.toString();
    }
  }
  return `# Written by pulse on each start from monitoring/alertmanager.yml; edit that file or the environment.\n${stringify(config)}`;
}

/** Prometheus from Debian's package, with the configuration above and its data in the state directory. */
export function prometheusService(
  settings: Settings,
  stateDir: string,
  binary: string,
  options: { localClickhouse: boolean },
): ServiceSpec {
  const dataDir = join(stateDir, 'data', 'prometheus');
  const configFile = join(stateDir, 'run', 'prometheus.yml');
  const url = `http://127.0.0.1:${settings.PROMETHEUS_PORT}`;
  return {
    name: 'prometheus',
    group: 'monitoring',
    ports: [settings.PROMETHEUS_PORT],
    url,
    version: commandVersion(binary, /version ([\d.]+)/),
    prepare: async () => {
      mkdirSync(dataDir, { recursive: true });
      mkdirSync(join(stateDir, 'run'), { recursive: true });
      writeFileSync(configFile, renderPrometheusConfig(settings, options));
    },
    command: async () => ({
      command: binary,
      args: [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${dataDir}`,
        // A development platform's history: two days is plenty and keeps the disk in check.
        '--storage.tsdb.retention.time=2d',
        `--web.listen-address=127.0.0.1:${settings.PROMETHEUS_PORT}`,
        '--log.level=warn',
      ],
    }),
    healthy: () => httpOk(`${url}/-/ready`),
    startTimeoutMs: 30_000,
    stopTimeoutMs: 10_000,
  };
}

/** Alertmanager from Debian's package, configured as above from monitoring/alertmanager.yml, as one node (no cluster port). */
export function alertmanagerService(settings: Settings, stateDir: string, binary: string): ServiceSpec {
  const dataDir = join(stateDir, 'data', 'alertmanager');
  const configFile = join(stateDir, 'run', 'alertmanager.yml');
  const url = `http://127.0.0.1:${settings.ALERTMANAGER_PORT}`;
  return {
    name: 'alertmanager',
    group: 'monitoring',
    ports: [settings.ALERTMANAGER_PORT],
    url,
    version: commandVersion(binary, /version ([\d.]+)/),
    prepare: async () => {
      mkdirSync(dataDir, { recursive: true });
      mkdirSync(join(stateDir, 'run'), { recursive: true });
      writeFileSync(configFile, renderAlertmanagerConfig(settings));
    },
    command: async () => ({
      command: binary,
      args: [
        `--config.file=${configFile}`,
        `--storage.path=${dataDir}`,
        `--web.listen-address=127.0.0.1:${settings.ALERTMANAGER_PORT}`,
        // Empty turns the gossip cluster off: it would listen on 9094, a Kafka port here.
        '--cluster.listen-address=',
        '--log.level=warn',
      ],
    }),
    healthy: () => httpOk(`${url}/-/ready`),
    startTimeoutMs: 30_000,
    stopTimeoutMs: 10_000,
  };
}

/**
 * The receiver of Alertmanager's webhooks (alert-receiver.ts): it keeps each notification in
 * .pulse/logs/alerts-<receiver>.jsonl and lists them on GET /alerts.
 */
export function alertReceiverService(settings: Settings, stateDir: string): ServiceSpec {
  const url = `http://127.0.0.1:${settings.ALERT_RECEIVER_PORT}`;
  return {
    name: 'alert-receiver',
    group: 'monitoring',
    ports: [settings.ALERT_RECEIVER_PORT],
    url: `${url}/alerts`,
    version: '0.1.0',
    command: async () => ({
      command: process.execPath,
      args: [
        '--enable-source-maps',
        '-r',
        '@swc-node/register',
        join(repoRoot, 'tools/pulse/src/services/alert-receiver.main.ts'),
      ],
      cwd: repoRoot,
      env: {
        ...process.env,
        ALERT_RECEIVER_HOST: '127.0.0.1',
        ALERT_RECEIVER_PORT: String(settings.ALERT_RECEIVER_PORT),
        ALERT_RECEIVER_DIR: join(stateDir, 'logs'),
      },
    }),
    healthy: () => httpOk(`${url}/-/healthy`),
    startTimeoutMs: 30_000,
    stopTimeoutMs: 5_000,
  };
}

export interface FiringAlert {
  name: string;
  severity: string;
  summary: string;
  since: string;
}

/** The alerts Prometheus fires now (not those still pending); undefined when it does not answer. */
export async function firingAlerts(prometheusUrl: string): Promise<FiringAlert[] | undefined> {
  const res = await httpGet(`${prometheusUrl}/api/v1/alerts`);
  return res?.status === 200 ? parseFiringAlerts(res.body) : undefined;
}

/** The firing alerts of a Prometheus /api/v1/alerts answer. */
export function parseFiringAlerts(body: string): FiringAlert[] {
  const { data } = JSON.parse(body) as {
    data: {
      alerts: {
        labels: Record<string, string>;
        annotations: Record<string, string>;
        state: string;
        activeAt: string;
      }[];
    };
  };
  return data.alerts
    .filter((alert) => alert.state === 'firing')
    .map((alert) => ({
      name: alert.labels.alertname,
      severity: alert.labels.severity ?? 'none',
      summary: alert.annotations.summary ?? '',
      since: alert.activeAt,
    }));
}
