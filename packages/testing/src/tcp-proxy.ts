import { connect, createServer, type Socket } from 'node:net';

/** A TCP proxy in front of a service, which a test stops to take the service away from one client. */
export interface TcpProxy {
  port: number;
  /** `http://127.0.0.1:<port>`, for a client that takes the service's URL. */
  url: string;
  /** Drops every connection and refuses new ones, as a stopped server would; harmless twice. */
  stop: () => Promise<void>;
}

/**
 * Forwards connections on a free port to `target` (`http://host:port`). Stopping it makes the
 * service unreachable for whoever was given the proxy's URL (connections reset, then refused)
 * while the service itself, shared with other tests, keeps running.
 */
export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const { hostname, port: targetPort } = new URL(target);
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const server = createServer((client) => {
    const upstream = connect(Number(targetPort), hostname);
    track(client);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.once('error', () => upstream.destroy());
    upstream.once('error', () => client.destroy());
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  let stopped = false;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
