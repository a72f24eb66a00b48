import { say } from '../console';
import { loadSettings, type Settings } from '../settings';
import { versions } from '../versions';
import { installDebianPackages } from './debian';
import { installFlink } from './flink';
import { installKafka } from './kafka';
import { installKafkaMetricsAgent } from './kafka-metrics-agent';
import { installTemporal } from './temporal';

export interface Installation {
  kafkaLibDir: string;
  /** The JMX Prometheus agent jar each broker loads. */
  kafkaMetricsAgentJar: string;
  flinkHome: string;
  temporalBinary: string;
  redisBinary: string;
  prometheusBinary: string;
  alertmanagerBinary: string;
  /** The collectors' load balancer, with COLLECTOR_REPLICAS > 1. */
  haproxyBinary: string;
}

/** The commands Debian's packages install (on PATH), with the package that brings each. */
export const DEBIAN_COMMANDS = {
  redis: { name: versions.redis.debianPackage, command: 'redis-server' },
  prometheus: { name: versions.prometheus.debianPackage, command: 'prometheus' },
  promtool: { name: versions.prometheus.debianPackage, command: 'promtool' },
  alertmanager: { name: versions.alertmanager.debianPackage, command: 'prometheus-alertmanager' },
  haproxy: { name: versions.haproxy.debianPackage, command: 'haproxy' },
} as const;

/**
 * Installs every external component the settings need once, in parallel, into the per-user cache
 * (Debian's packages system-wide, in one apt-get run). Already installed ones cost a file check.
 */
export async function installAll(settings: Settings = loadSettings()): Promise<Installation> {
  const started = Date.now();
  const timed = async <T extends { fresh: boolean }>(label: string, work: Promise<T>) => {
    const result = await work;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.fresh) say.ok(`installed ${label} (${seconds} s)`);
    return result;
  };
  say.step('checking installed components (first run downloads and builds them)…');
  // HAProxy only for a platform that runs it: a single collector needs no load balancer.
  const { haproxy, ...always } = DEBIAN_COMMANDS;
  const debian = [...Object.values(always), ...(settings.COLLECTOR_REPLICAS > 1 ? [haproxy] : [])];
  const [kafka, agent, flink, temporal] = await Promise.all([
    timed(`Kafka ${versions.kafka.version}`, installKafka()),
    timed(`JMX Prometheus agent ${versions.jmxPrometheusAgent.version}`, installKafkaMetricsAgent()),
    timed(`Flink ${versions.flink.version}`, installFlink()),
    timed(`Temporal CLI ${versions.temporal.cli}`, installTemporal()),
    timed([...new Set(debian.map((pkg) => pkg.name))].join(', '), installDebianPackages(debian)),
  ]);
  return {
    kafkaLibDir: kafka.libDir,
    kafkaMetricsAgentJar: agent.jar,
    flinkHome: flink.home,
    temporalBinary: temporal.binary,
    redisBinary: DEBIAN_COMMANDS.redis.command,
    prometheusBinary: DEBIAN_COMMANDS.prometheus.command,
    alertmanagerBinary: DEBIAN_COMMANDS.alertmanager.command,
    haproxyBinary: DEBIAN_COMMANDS.haproxy.command,
  };
}
