import { createServer } from 'node:net';
import { isPortFree, loadSettings } from '@social-pulse/pulse/testing';

/**
 * A port nobody listens on, chosen by the OS (listen on port 0). For services a test starts of its
 * own; the platform's services are reached through `platform`, never through a port number.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
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
 * Free ports for every *_PORT setting of `pulse up`, as environment variables: a second platform
 * beside the shared one (give it its own PULSE_HOME too). Kafka gets a broker and controller
 * port for each of KAFKA_BROKER_COUNT brokers.
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
    ports[name] = String(await claim(name === 'KAFKA_PORT' ? 2 * settings.KAFKA_BROKER_COUNT : 1));
  return ports;
}
