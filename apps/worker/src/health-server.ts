import { createServer, type Server } from 'node:http';
import { metricsRegistry } from '@social-pulse/observability';

/** GET /health (200 while the worker polls its task queue) and GET /metrics. */
export function startHealthServer(host: string, port: number, isRunning: () => boolean): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === '/health') {
      const running = isRunning();
      res.writeHead(running ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: running ? 'ok' : 'starting', service: 'worker' }));
    } else if (req.url === '/metrics') {
      void metricsRegistry.metrics().then((body) => {
        res.writeHead(200, { 'content-type': metricsRegistry.contentType });
        res.end(body);
      });
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'not found' }));
    }
  });
  return new Promise((resolvePromise) => server.listen(port, host, () => resolvePromise(server)));
}
