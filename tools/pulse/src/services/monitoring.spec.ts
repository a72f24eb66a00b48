import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PORTS } from '@social-pulse/shared';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { expectedInstallation, platformLayers } from '../platform';
import { loadSettings } from '../settings';
import { ALERT_RECEIVER_DEFAULT_PORT } from './alert-receiver';
import {
  MONITORING_DIR,
  alertReceiverService,
  alertmanagerService,
  parseFiringAlerts,
  renderAlertmanagerConfig,
  renderPrometheusConfig,
} from './monitoring';

interface Rendered {
  rule_files: string[];
  alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
  scrape_configs: {
    job_name: string;
    static_configs: { targets: string[]; labels?: Record<string, string> }[];
    dns_sd_configs?: unknown;
  }[];
}

const render = (env: NodeJS.ProcessEnv, options: { localClickhouse: boolean; source?: string }) =>
  parse(renderPrometheusConfig(loadSettings(env), options)) as Rendered;

const targetsOf = (config: Rendered, job: string) =>
  config.scrape_configs.find((c) => c.job_name === job)?.static_configs.flatMap((s) => s.targets);

describe(renderPrometheusConfig.name, () => {
  it("should point every job of monitoring/prometheus.yml at the settings' local ports", () => {
    const config = render(
      { COLLECTOR_PORT: '18080', API_PORT: '13000', WORKER_PORT: '19464', CLICKHOUSE_PORT: '18123' },
      { localClickhouse: true },
    );
    expect(targetsOf(config, 'collector')).toEqual(['127.0.0.1:18080']);
    expect(targetsOf(config, 'api')).toEqual(['127.0.0.1:13000']);
    expect(targetsOf(config, 'worker')).toEqual(['127.0.0.1:19464']);
    expect(targetsOf(config, 'clickhouse')).toEqual(['127.0.0.1:18123']);
    expect(targetsOf(config, 'prometheus')).toEqual([`127.0.0.1:${DEFAULT_PORTS.prometheus}`]);
    expect(config.alerting.alertmanagers[0].static_configs[0].targets).toEqual([
      `127.0.0.1:${DEFAULT_PORTS.alertmanager}`,
    ]);
    expect(config.scrape_configs.some((c) => c.dns_sd_configs)).toBe(false);
  });

  it('should scrape each broker and each Flink process on its own metrics port', () => {
    const config = render(
      { KAFKA_BROKER_COUNT: '3', KAFKA_METRICS_PORT: '17071', FLINK_TASKMANAGERS: '2', FLINK_METRICS_PORT: '19249' },
      { localClickhouse: true },
    );
    expect(targetsOf(config, 'kafka')).toEqual(['127.0.0.1:17071', '127.0.0.1:17072', '127.0.0.1:17073']);
    expect(config.scrape_configs.find((c) => c.job_name === 'flink')?.static_configs).toEqual([
      { targets: ['127.0.0.1:19249'], labels: { component: 'jobmanager' } },
      { targets: ['127.0.0.1:19250', '127.0.0.1:19251'], labels: { component: 'taskmanager' } },
    ]);
  });

  it('should scrape each collector replica on its own port, and the load balancer they sit behind', () => {
    const config = render(
      { COLLECTOR_REPLICAS: '2', COLLECTOR_REPLICA_PORT: '18090', COLLECTOR_LB_METRICS_PORT: '18404' },
      { localClickhouse: true },
    );
    expect(targetsOf(config, 'collector')).toEqual(['127.0.0.1:18090', '127.0.0.1:18091']);
    expect(targetsOf(config, 'collector-lb')).toEqual(['127.0.0.1:18404']);
    expect(targetsOf(render({}, { localClickhouse: true }), 'collector-lb')).toBeUndefined();
  });

  it('should not scrape a ClickHouse server that CLICKHOUSE_URL names', () => {
    expect(render({}, { localClickhouse: false }).scrape_configs.map((c) => c.job_name)).not.toContain('clickhouse');
  });

  it("should load the repo's rule files by absolute path", () => {
    expect(render({}, { localClickhouse: true }).rule_files).toEqual([join(MONITORING_DIR, 'rules', '*.yml')]);
  });

  it('should load the rule files and use the interval a test platform asks for', () => {
    const config = render(
      { PROMETHEUS_RULE_FILES: 'test-rules/canary-short.rules.yml', PROMETHEUS_INTERVAL_SECONDS: '2' },
      { localClickhouse: true },
    ) as Rendered & { global: Record<string, string> };
    expect(config.rule_files).toEqual([join(MONITORING_DIR, 'test-rules', 'canary-short.rules.yml')]);
    expect(config.global).toMatchObject({ scrape_interval: '2s', scrape_timeout: '2s', evaluation_interval: '2s' });
  });

  it('should refuse a job it has no local address for, and a local address without a job', () => {
    const source = readFileSync(join(MONITORING_DIR, 'prometheus.yml'), 'utf8');
    const extra = `${source}\n  - job_name: nginx\n    static_configs: [{ targets: ['nginx:80'] }]\n`;
    expect(() => render({}, { localClickhouse: true, source: extra })).toThrow(/no local address for nginx/);
    const withoutApi = source.replace(/ {2}- job_name: api\n.*\n.*\n/, '');
    expect(() => render({}, { localClickhouse: true, source: withoutApi })).toThrow(/no job for api/);
  });
});

describe(renderAlertmanagerConfig.name, () => {
  const webhooks = (yaml: string) =>
    Object.fromEntries(
      (parse(yaml) as { receivers: { name: string; webhook_configs?: { url: string }[] }[] }).receivers.map((r) => [
        r.name,
        r.webhook_configs?.map((w) => w.url),
      ]),
    );

  it("should point the page and ticket webhooks at the local alert receiver's port", () => {
    expect(webhooks(renderAlertmanagerConfig(loadSettings({ ALERT_RECEIVER_PORT: '19194' })))).toEqual({
      page: ['http://127.0.0.1:19194/alerts/page'],
      ticket: ['http://127.0.0.1:19194/alerts/ticket'],
    });
  });

  it("should leave a deployment's own receivers alone", () => {
    const source = [
      'route: { receiver: page }',
      'receivers:',
      '  - name: page',
      '    webhook_configs: [{ url: "https://pager.example.com/hook" }, { url: "http://alert-receiver:9194/alerts/page" }]',
    ].join('\n');
    expect(webhooks(renderAlertmanagerConfig(loadSettings({}), { source }))).toEqual({
      page: ['https://pager.example.com/hook', `http://127.0.0.1:${ALERT_RECEIVER_DEFAULT_PORT}/alerts/page`],
    });
  });
});

describe(alertReceiverService.name, () => {
  it("should record into the platform's log directory, on loopback", async () => {
    const spec = alertReceiverService(loadSettings({ ALERT_RECEIVER_PORT: '19194' }), '/tmp/pulse-spec');
    const { env } = await spec.command();
    expect(spec.ports).toEqual([19194]);
    expect(env).toMatchObject({
      ALERT_RECEIVER_HOST: '127.0.0.1',
      ALERT_RECEIVER_PORT: '19194',
      ALERT_RECEIVER_DIR: join('/tmp/pulse-spec', 'logs'),
    });
  });
});

describe('monitoring ports', () => {
  it('should clash with no other port of the platform, with three brokers, two TaskManagers and two collectors', () => {
    const settings = loadSettings({ KAFKA_BROKER_COUNT: '3', FLINK_TASKMANAGERS: '2', COLLECTOR_REPLICAS: '2' });
    const ports = platformLayers(settings, expectedInstallation(), '/tmp/pulse-spec')
      .flat()
      .flatMap((spec) => spec.ports.map((port) => ({ port, service: spec.name })));
    const seen = new Map<number, string>();
    for (const { port, service } of ports) {
      expect(seen.get(port), `port ${port} of ${service}`).toBeUndefined();
      seen.set(port, service);
    }
    expect(seen.get(DEFAULT_PORTS.prometheus)).toBe('prometheus');
    expect(seen.get(DEFAULT_PORTS.alertmanager)).toBe('alertmanager');
    expect(seen.get(ALERT_RECEIVER_DEFAULT_PORT)).toBe('alert-receiver');
    expect(seen.get(DEFAULT_PORTS.collector)).toBe('collector-lb');
  });

  it("should turn Alertmanager's cluster listener off: its default, 9094, is a Kafka port", async () => {
    const { args } = await alertmanagerService(loadSettings({}), '/tmp/pulse-spec', 'alertmanager').command();
    expect(args).toContain('--cluster.listen-address=');
  });
});

describe(parseFiringAlerts.name, () => {
  it('should keep the firing alerts and leave the pending ones out', () => {
    const alert = (alertname: string, state: string) => ({
      labels: { alertname, severity: 'critical' },
      annotations: { summary: `${alertname} summary` },
      state,
      activeAt: '2026-11-27T10:00:00Z',
    });
    const body = JSON.stringify({ data: { alerts: [alert('ApiDown', 'firing'), alert('CollectorDown', 'pending')] } });
    expect(parseFiringAlerts(body)).toEqual([
      { name: 'ApiDown', severity: 'critical', summary: 'ApiDown summary', since: '2026-11-27T10:00:00Z' },
    ]);
  });
});
