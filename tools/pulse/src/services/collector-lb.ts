import { mkdirSync, writeFileSync } from 'node:fs';
import { BlockList, isIPv6 } from 'node:net';
import { join } from 'node:path';
import type { Settings } from '../settings';
import { commandVersion } from './command-version';
import { httpGet, httpOk } from './health';
import type { ServiceSpec } from './service';

/** Where replica i listens when COLLECTOR_REPLICAS > 1: COLLECTOR_REPLICA_PORT + i - 1. */
export const COLLECTOR_REPLICA_DEFAULT_PORT = 8090;
/** HAProxy's Prometheus exporter (/metrics) and its stats page (/stats); 8404 is HAProxy's usual one. */
export const COLLECTOR_LB_METRICS_DEFAULT_PORT = 8404;

type CollectorSettings = Pick<Settings, 'COLLECTOR_PORT' | 'COLLECTOR_REPLICAS' | 'COLLECTOR_REPLICA_PORT'>;

export interface CollectorInstance {
  name: string;
  port: number;
}

/**
 * Where each collector listens: one collector on COLLECTOR_PORT; with COLLECTOR_REPLICAS > 1,
 * `collector-i` on COLLECTOR_REPLICA_PORT + i - 1, and the load balancer takes COLLECTOR_PORT, so
 * clients keep the one address.
 */
export function collectorInstances(settings: CollectorSettings): CollectorInstance[] {
  if (settings.COLLECTOR_REPLICAS === 1) return [{ name: 'collector', port: settings.COLLECTOR_PORT }];
  return Array.from({ length: settings.COLLECTOR_REPLICAS }, (_, i) => ({
    name: `collector-${i + 1}`,
    port: settings.COLLECTOR_REPLICA_PORT + i,
  }));
}

/**
 * Whether TRUSTED_PROXIES (addresses and CIDRs, as the collector reads them) names 127.0.0.1, the
 * address the load balancer reaches the collectors from: only then is its X-Forwarded-For believed.
 * An entry that is not an address is left to the collector's own config check, which refuses it.
 */
export function trustsLoopback(trustedProxies: string | undefined): boolean {
  const list = new BlockList();
  for (const entry of (trustedProxies ?? '').split(',').map((e) => e.trim())) {
    const [address, prefix] = entry.split('/');
    const family = isIPv6(address) ? 'ipv6' : 'ipv4';
    try {
      if (prefix === undefined) list.addAddress(address, family);
      else list.addSubnet(address, Number(prefix), family);
    } catch {
      continue;
    }
  }
  return list.check('127.0.0.1', 'ipv4');
}

export interface HaproxyOptions {
  port: number;
  metricsPort: number;
  collectors: CollectorInstance[];
  /** Add X-Forwarded-For: the collectors trust the load balancer's address (see trustsLoopback). */
  forwardFor: boolean;
}

/**
 * The load balancer's configuration: round robin over the collectors, each health-checked on
 * /health, and a request that a collector dropped without an answer (killed, restarting) sent to
 * another one. That retry is safe although a POST is not idempotent in general: the dead collector
 * may have written the batch to Kafka before dying, but every event carries its event_id and the
 * jobs drop an id they have seen, so the copy is archived once; without the retry the client gets
 * a 502 and resends the same batch anyway (the SDK does), only later.
 */
export function renderHaproxyConfig(options: HaproxyOptions): string {
  const servers = options.collectors.map((c) => `  server ${c.name} 127.0.0.1:${c.port}`).join('\n');
  return `# Written by pulse on each start; change the environment (COLLECTOR_*) instead.
global
  log stdout format raw local0 info
  maxconn 2000
  # A request is retried only when it is held whole in one buffer: room for the SDK's largest
  # batch (256 KiB) and its headers. A larger body is passed on, and not retried.
  tune.bufsize 327680

defaults
  mode http
  log global
  option httplog
  # Errors, retries and redispatches only: a line per batch would outgrow the collectors' logs.
  option dontlog-normal
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  timeout http-request 10s
  # Idle client connections kept as long as the collector keeps its own (Fastify's 72 s): a client
  # that reused one after 10 s, HAProxy's default, would find it closed (seen: EPIPE).
  timeout http-keep-alive 72s

frontend collector
  bind 127.0.0.1:${options.port}
${options.forwardFor ? '  option forwardfor\n' : ''}  default_backend collectors

backend collectors
  balance roundrobin
  option httpchk
  http-check send meth GET uri /health
  http-check expect status 200
  # The whole body before a collector is chosen, so that a retry can send it again.
  option http-buffer-request
  # Not on a timeout or a 5xx: the collector answered or may still write; the client decides.
  retry-on conn-failure empty-response junk-response
  retries 3
  # Each retry to another collector than the one that failed.
  option redispatch 1
  default-server check inter 1s fastinter 250ms downinter 1s fall 2 rise 2
${servers}

frontend metrics
  bind 127.0.0.1:${options.metricsPort}
  http-request use-service prometheus-exporter if { path /metrics }
  stats enable
  stats uri /stats
  stats refresh 5s
`;
}

/**
 * HAProxy from Debian's package in front of the collectors on COLLECTOR_PORT, with its
 * configuration in the state directory; only when COLLECTOR_REPLICAS > 1. Healthy once a collector
 * answers through it.
 */
export function collectorLbServices(
  settings: Settings,
  stateDir: string,
  binary: string,
  options: { forwardFor: boolean },
): ServiceSpec[] {
  if (settings.COLLECTOR_REPLICAS === 1) return [];
  const configFile = join(stateDir, 'run', 'haproxy.cfg');
  const url = `http://127.0.0.1:${settings.COLLECTOR_PORT}`;
  return [
    {
      name: 'collector-lb',
      group: 'collector',
      ports: [settings.COLLECTOR_PORT, settings.COLLECTOR_LB_METRICS_PORT],
      url,
      version: commandVersion(binary, /version ([\d.]+)/i, '-v'),
      prepare: async () => {
        mkdirSync(join(stateDir, 'run'), { recursive: true });
        const config = renderHaproxyConfig({
          port: settings.COLLECTOR_PORT,
          metricsPort: settings.COLLECTOR_LB_METRICS_PORT,
          collectors: collectorInstances(settings),
          forwardFor: options.forwardFor,
        });
        writeFileSync(configFile, config);
      },
      // -db: in the foreground, so the supervisor owns the process and its log.
      command: async () => ({ command: binary, args: ['-db', '-f', configFile] }),
      healthy: () => httpOk(`${url}/health`),
      startTimeoutMs: 60_000,
      stopTimeoutMs: 5_000,
    },
  ];
}

/**
 * Each collector's state as the load balancer sees it (UP, DOWN, or a transition such as
 * "UP 1/2"), from its stats page; undefined when it does not answer.
 */
export async function collectorStatesAtLb(metricsPort: number): Promise<Record<string, string> | undefined> {
  const res = await httpGet(`http://127.0.0.1:${metricsPort}/stats;csv`);
  return res?.status === 200 ? parseCollectorStates(res.body) : undefined;
}

/** The collectors' rows of HAProxy's CSV statistics (header line "# pxname,svname,...,status,..."). */
export function parseCollectorStates(csv: string): Record<string, string> {
  const [header, ...rows] = csv
    .replace(/^# /, '')
    .trim()
    .split('\n')
    .map((line) => line.split(','));
  const [proxy, server, status] = ['pxname', 'svname', 'status'].map((column) => header.indexOf(column));
  return Object.fromEntries(
    rows
      .filter((row) => row[proxy] === 'collectors' && !['FRONTEND', 'BACKEND'].includes(row[server]))
      .map((row) => [row[server], row[status]]),
  );
}
