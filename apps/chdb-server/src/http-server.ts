import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { metricsRegistry } from '@social-pulse/observability';
import { type HandlerContext, handleQuery } from './query-handler';

const NO_HANDLER = (path: string) =>
  `There is no handle ${path}\n\nUse / or /ping for health checks.\nOr /replicas_status for more sophisticated health checks.\n\nSend queries from your program with POST method or GET /?query=...\n`;

/**
 * ClickHouse's HTTP interface: `/` for queries, `/ping` and `/replicas_status` for health,
 * plus `/metrics` for Prometheus.
 */
export function createHttpServer(ctx: HandlerContext): Server {
  const server = createServer((req, res) => {
    void route(ctx, req, res).catch((error: unknown) => {
      ctx.logger.error({ err: error }, 'request failed outside the query handler');
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=UTF-8' });
      res.end();
    });
  });
  // Clients keep connections open between queries; tell them how long (Keep-Alive: timeout=10).
  server.keepAliveTimeout = 10_000;
  // Long INSERT uploads and long-running queries are normal: no request timeout.
  server.requestTimeout = 0;
  return server;
}

async function route(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = req.method ?? 'GET';
  const ok = () => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=UTF-8' });
    res.end(method === 'HEAD' ? undefined : 'Ok.\n');
  };
  if (url.pathname === '/ping' || url.pathname === '/replicas_status') return ok();
  if (url.pathname === '/metrics' && method === 'GET') {
    const body = await metricsRegistry.metrics();
    res.writeHead(200, { 'Content-Type': metricsRegistry.contentType });
    res.end(body);
    return;
  }
  if (url.pathname === '/' && (method === 'GET' || method === 'POST')) {
    // A bare GET / answers like the server's default root handler.
    if (
      method === 'GET' &&
      !url.searchParams.has('query') &&
      !req.headers['content-length'] &&
      !req.headers['transfer-encoding']
    )
      return ok();
    return handleQuery(ctx, req, res, url);
  }
  if (url.pathname === '/' && method === 'HEAD') return ok();
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=UTF-8' });
  res.end(NO_HANDLER(url.pathname));
}
