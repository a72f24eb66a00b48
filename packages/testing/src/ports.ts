import { readFileSync } from 'node:fs';
import { isPortFree, loadSettings } from '@social-pulse/pulse/testing';

/** Listening ports are drawn from here up to the ephemeral range. */
const LOWEST_PORT = 20_000;

/**
 * Where the OS takes the local ports of outgoing connections (Linux's ip_local_port_range). A port
 * from that range that is free now may be taken by a client's connection before a service that
 * starts seconds later listens on it (seen: a private platform's worker port, taken while Kafka and
 * Flink started), so listening ports come from below it.
 */
export function ephemeralPortStart(
  read: () => string = () => readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8'),
): number {
  try {
    const start = Number(read().trim().split(/\s+/)[0]);
    return Number.isInteger(start) && start > LOWEST_PORT + 1_000 ? start : 32_768;
  } catch {
    return 32_768;
  }
}

/**
 * A port nobody listens on, below the ephemeral range (see ephemeralPortStart). For services a test
 * starts of its own; the platform's services are reached through `platform`, never through a port
 * number.
 */
export async function freePort(host = '127.0.0.1', random: () => number = Math.random): Promise<number> {
  const span = ephemeralPortStart() - LOWEST_PORT;
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOWEST_PORT + Math.floor(random() * span);
    if (await isPortFree(port, host)) return port;
  }
  throw new Error(`found no free port between ${LOWEST_PORT} and ${LOWEST_PORT + span}`);
}

/**
 * The first of `count` consecutive free ports, for services that take a base port and count up
 * from it (a Kafka cluster: broker i on base + 2(i-1), its controller on the port after).
 */
export async function freePortRange(count: number, host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = await freePort(host);
    if (base + count - 1 > 65_535) continue;
    let free = true;
    for (let port = base + 1; free && port < base + count; port++) free = await isPortFree(port, host);
    if (free) return base;
  }
  throw new Error(`found no ${count} consecutive free ports`);
}

/**
 * How many consecutive ports each *_PORT setting stands for: Kafka a broker and a controller port
 * for each of KAFKA_BROKER_COUNT brokers and a metrics port each; Flink's reporter one for the
 * JobManager and one per TaskManager; the collector replicas one each; every other setting one.
 */
export function portRunLength(name: string, settings: ReturnType<typeof loadSettings>): number {
  if (name === 'KAFKA_PORT') return 2 * settings.KAFKA_BROKER_COUNT;
  if (name === 'KAFKA_METRICS_PORT') return settings.KAFKA_BROKER_COUNT;
  if (name === 'FLINK_METRICS_PORT') return 1 + settings.FLINK_TASKMANAGERS;
  if (name === 'COLLECTOR_REPLICA_PORT') return settings.COLLECTOR_REPLICAS;
  return 1;
}

/**
 * Free ports for every *_PORT setting of `pulse up`, as environment variables: a second platform
 * beside the shared one (give it its own PULSE_HOME too), each setting with its run of ports
 * (portRunLength).
 */
export async function freePlatformPorts(source: NodeJS.ProcessEnv = process.env): Promise<Record<string, string>> {
  const settings = loadSettings(source);
  const taken = new Set<number>();
  const claim = async (count: number) => {
    for (let attempt = 0; attempt < 100; attempt++) {
      const base = count === 1 ? await freePort() : await freePortRange(count);
      const range = Array.from({ length: count }, (_, i) => base + i);
      if (range.some((port) => taken.has(port))) continue;
      for (const port of range) taken.add(port);
      return base;
    }
    throw new Error(`found no ${count} free ports apart from the ones already chosen`);
  };
  const ports: Record<string, string> = {};
  for (const name of Object.keys(settings).filter((key) => key.endsWith('_PORT')))
    ports[name] = String(await claim(portRunLength(name, settings)));
  return ports;
}
