import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isListening, run } from '../processes';
import type { ServiceSpec } from './service';

export interface KafkaClusterOptions {
  brokerCount: number;
  /** Broker i listens on basePort + 2(i-1) and its controller on the port after it. */
  basePort: number;
  /** Holds each broker's data and config; one cluster per directory. */
  dir: string;
  libDir: string;
  version: string;
  heap: string;
  /** The JMX Prometheus agent each broker loads: broker i serves metrics on basePort + i - 1. */
  metrics?: { basePort: number; agentJar: string; rulesFile: string };
}

export function brokerPorts(options: Pick<KafkaClusterOptions, 'brokerCount' | 'basePort'>) {
  return Array.from({ length: options.brokerCount }, (_, i) => ({
    nodeId: i + 1,
    port: options.basePort + 2 * i,
    controllerPort: options.basePort + 2 * i + 1,
  }));
}

/** Where each broker's JMX Prometheus agent serves its metrics. */
export const brokerMetricsPorts = (options: Pick<KafkaClusterOptions, 'brokerCount'> & { metricsBasePort: number }) =>
  Array.from({ length: options.brokerCount }, (_, i) => options.metricsBasePort + i);

export const bootstrapServers = (options: Pick<KafkaClusterOptions, 'brokerCount' | 'basePort'>) =>
  brokerPorts(options).map((b) => `127.0.0.1:${b.port}`);

/**
 * A Kafka cluster in KRaft mode: every node is broker and controller at once, so one
 * process is a whole cluster and three give a quorum that survives one loss.
 */
export function kafkaServices(options: KafkaClusterOptions): ServiceSpec[] {
  const nodes = brokerPorts(options);
  const voters = nodes.map((n) => `${n.nodeId}@127.0.0.1:${n.controllerPort}`).join(',');
  const replication = Math.min(3, options.brokerCount);
  const classpath = `${options.libDir}/*`;
  const log4j = join(options.dir, 'log4j.properties');

  return nodes.map((node) => {
    const nodeDir = join(options.dir, `broker-${node.nodeId}`);
    const properties = join(nodeDir, 'server.properties');
    const metricsPort = options.metrics && options.metrics.basePort + node.nodeId - 1;
    // The agent serves the MBeans its rules file picks, on loopback, from inside the broker's JVM.
    const agent = options.metrics
      ? [`-javaagent:${options.metrics.agentJar}=127.0.0.1:${metricsPort}:${options.metrics.rulesFile}`]
      : [];
    return {
      name: options.brokerCount === 1 ? 'kafka' : `kafka-${node.nodeId}`,
      group: 'kafka',
      ports: [node.port, node.controllerPort, ...(metricsPort ? [metricsPort] : [])],
      url: `127.0.0.1:${node.port}`,
      version: options.version,
      prepare: async () => {
        mkdirSync(join(nodeDir, 'data'), { recursive: true });
        writeFileSync(log4j, LOG4J);
        writeFileSync(properties, serverProperties({ ...node, voters, nodeDir, replication }));
        if (!existsSync(join(nodeDir, 'data', 'meta.properties'))) {
          await run(
            'java',
            [
              '-cp',
              classpath,
              `-Dlog4j.configuration=file:${log4j}`,
              'kafka.tools.StorageTool',
              'format',
              '--ignore-formatted',
              '-t',
              clusterId(options.dir),
              '-c',
              properties,
            ],
            { label: `formatting Kafka storage of broker ${node.nodeId}` },
          );
        }
      },
      command: async () => ({
        command: 'java',
        args: [
          `-Xms256m`,
          `-Xmx${options.heap}`,
          '-XX:+UseG1GC',
          '-Djava.awt.headless=true',
          `-Dlog4j.configuration=file:${log4j}`,
          ...agent,
          '-cp',
          classpath,
          'kafka.Kafka',
          properties,
        ],
      }),
      healthy: () => isListening(node.port),
      startTimeoutMs: 60_000,
      // Flushing and closing the logs (no controlled shutdown: see serverProperties).
      stopTimeoutMs: 30_000,
    } satisfies ServiceSpec;
  });
}

/** The cluster id is made once per directory, as `kafka-storage random-uuid` would. */
function clusterId(dir: string): string {
  const file = join(dir, 'cluster.id');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, randomClusterId());
  }
  return readFileSync(file, 'utf8').trim();
}

/**
 * 16 random bytes in URL-safe base64, never starting with '-': kafka-storage would read such an id
 * as an option and fail with "--cluster-id expected one argument" (Kafka's own Uuid.randomUuid
 * redraws for the same reason). One id in 64 started with it.
 */
export function randomClusterId(random: () => Buffer = () => randomBytes(16)): string {
  for (;;) {
    const id = random().toString('base64url').slice(0, 22);
    if (!id.startsWith('-')) return id;
  }
}

function serverProperties(p: {
  nodeId: number;
  port: number;
  controllerPort: number;
  voters: string;
  nodeDir: string;
  replication: number;
}): string {
  const minIsr = p.replication >= 3 ? 2 : 1;
  return `# Written by pulse on each start; edit versions.json or the environment instead.
process.roles=broker,controller
node.id=${p.nodeId}
controller.quorum.voters=${p.voters}
listeners=PLAINTEXT://127.0.0.1:${p.port},CONTROLLER://127.0.0.1:${p.controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${p.port}
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=${join(p.nodeDir, 'data')}
num.partitions=1
default.replication.factor=${p.replication}
min.insync.replicas=${minIsr}
offsets.topic.replication.factor=${p.replication}
transaction.state.log.replication.factor=${p.replication}
transaction.state.log.min.isr=${minIsr}
auto.create.topics.enable=false
# pulse stops a cluster whole, after everything that uses it: a controlled shutdown has nobody to hand
# leadership to, and the last node of a quorum of three would wait for an approval that its lost
# quorum cannot give (measured: 30 s each pulse down, then SIGKILL). Logs are still closed cleanly.
controlled.shutdown.enable=false
group.initial.rebalance.delay.ms=0
log.retention.hours=168
log.segment.bytes=268435456
`;
}

const LOG4J = `log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.org.apache.kafka.controller=INFO
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.log.LogCleaner=WARN
`;
