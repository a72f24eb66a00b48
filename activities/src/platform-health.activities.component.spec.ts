import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPlatformHealthActivities } from './platform-health.activities';
import { runActivity as run } from './testing/activity-environment';
import { FakeFlinkRestServer } from './testing/fake-flink-rest-server';

// checkKafka is not covered here: kafkajs needs a real broker to talk to, and against an
// unreachable one it retries with back-off for many seconds before it gives up.

/** A port nothing listens on: taken from a server that is closed again at once. */
async function closedPort(): Promise<number> {
  const server = createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const health = (deps: { flinkRestUrl?: string; redisUrl?: string }) =>
  createPlatformHealthActivities({
    kafkaBrokers: ['127.0.0.1:1'],
    redisUrl: deps.redisUrl ?? 'redis://127.0.0.1:1',
    flinkRestUrl: deps.flinkRestUrl ?? 'http://127.0.0.1:1',
  });

describe('checkFlink', () => {
  let flink: FakeFlinkRestServer;

  beforeEach(async () => {
    flink = await FakeFlinkRestServer.start();
  });
  afterEach(() => flink.close());

  it("should be healthy with TaskManagers, and describe the cluster from Flink's overview", async () => {
    flink.cluster.taskmanagers = 2;
    flink.addJob({ name: 'trending-topics', state: 'RUNNING' });

    const result = await run(health({ flinkRestUrl: flink.url }).checkFlink);

    expect(result).toEqual({
      component: 'flink',
      healthy: true,
      detail: '2 taskmanagers, 3 free slots, 1 jobs running',
    });
    expect(flink.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /overview']);
  });

  it('should be unhealthy without a TaskManager, as no job can run', async () => {
    flink.cluster.taskmanagers = 0;

    const result = await run(health({ flinkRestUrl: flink.url }).checkFlink);

    expect(result).toEqual({
      component: 'flink',
      healthy: false,
      detail: '0 taskmanagers, 4 free slots, 0 jobs running',
    });
  });

  it('should be unhealthy with the HTTP status when the JobManager answers with an error', async () => {
    flink.failNext('GET', '/overview', { status: 503 });

    const result = await run(health({ flinkRestUrl: flink.url }).checkFlink);

    expect(result).toEqual({ component: 'flink', healthy: false, detail: 'HTTP 503' });
  });

  it('should be unhealthy, not throw, when nothing answers', async () => {
    const result = await run(health({ flinkRestUrl: `http://127.0.0.1:${await closedPort()}` }).checkFlink);

    expect(result).toEqual({ component: 'flink', healthy: false, detail: 'fetch failed' });
  });
});

/**
 * A Redis stand-in that speaks just enough RESP for a connection check: ioredis asks INFO once
 * connected (its ready check), then the activity sends PING. `reply` decides each answer.
 */
async function fakeRedis(reply: (command: string[]) => string) {
  const commands: string[][] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    let buffer = '';
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (let parsed = parseCommand(buffer); parsed; parsed = parseCommand(buffer)) {
        buffer = buffer.slice(parsed.length);
        commands.push(parsed.args);
        socket.write(reply(parsed.args));
      }
    });
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `redis://127.0.0.1:${(server.address() as AddressInfo).port}`,
    commands,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** One RESP command (an array of bulk strings) from the start of `text`, if it is all there. */
function parseCommand(text: string): { args: string[]; length: number } | undefined {
  if (!text.startsWith('*')) return undefined;
  let at = text.indexOf('\r\n');
  if (at < 0) return undefined;
  const count = Number(text.slice(1, at));
  at += 2;
  const args: string[] = [];
  for (let i = 0; i < count; i++) {
    const end = text.indexOf('\r\n', at);
    if (text[at] !== '$' || end < 0) return undefined;
    const length = Number(text.slice(at + 1, end));
    if (text.length < end + 2 + length + 2) return undefined;
    args.push(text.slice(end + 2, end + 2 + length));
    at = end + 2 + length + 2;
  }
  return { args, length: at };
}

const bulk = (text: string) => `$${Buffer.byteLength(text)}\r\n${text}\r\n`;
const redisReplies =
  (ping: string) =>
  ([command]: string[]): string => {
    const name = command.toUpperCase();
    if (name === 'PING') return ping;
    if (name === 'INFO') return bulk('# Server\r\nredis_version:7.2.0\r\n# Persistence\r\nloading:0\r\n');
    return '+OK\r\n';
  };

describe('checkRedis', () => {
  let redis: Awaited<ReturnType<typeof fakeRedis>> | undefined;
  afterEach(async () => {
    await redis?.close();
    redis = undefined;
  });

  it('should be healthy when Redis answers PING with PONG', async () => {
    redis = await fakeRedis(redisReplies('+PONG\r\n'));

    const result = await run(health({ redisUrl: redis.url }).checkRedis);

    expect(result).toEqual({ component: 'redis', healthy: true, detail: 'PONG' });
    expect(redis.commands.map(([name]) => name.toUpperCase())).toContain('PING');
  });

  it("should be unhealthy with Redis's error when it cannot serve yet", async () => {
    redis = await fakeRedis(redisReplies('-LOADING Redis is loading the dataset in memory\r\n'));

    const result = await run(health({ redisUrl: redis.url }).checkRedis);

    expect(result).toEqual({
      component: 'redis',
      healthy: false,
      detail: 'LOADING Redis is loading the dataset in memory',
    });
  });

  it('should be unhealthy, not throw, when nothing listens', async () => {
    const port = await closedPort();

    const result = await run(health({ redisUrl: `redis://127.0.0.1:${port}` }).checkRedis);

    // With retries off, ioredis reports the refused connection only as a closed one.
    expect(result).toEqual({ component: 'redis', healthy: false, detail: 'Connection is closed.' });
  });
});
