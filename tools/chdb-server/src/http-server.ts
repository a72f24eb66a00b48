import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Duplex } from 'node:stream';
import { metricsRegistry } from '@social-pulse/observability';
import { ClickHouseError, httpStatusFor } from './clickhouse-error';
import { type HandlerContext, handleQuery } from './query-handler';

const NO_HANDLER = (path: string) =>
  `There is no handle ${path}\n\nUse / or /ping for health checks.\nOr /replicas_status for more sophisticated health checks.\n\nSend queries from your program with POST method or GET /?query=...\n`;

/** How the server guards its connections; each comes from a CHDB_* variable (see config.ts). */
export interface ConnectionLimits {
  headersTimeoutMs: number;
  /** Receiving the whole request; Node stops counting once the request is in, so responses are not cut off. */
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
  /** Browser origins allowed to send requests (lower case, no trailing slash); empty refuses every one. */
  allowedOrigins: ReadonlySet<string>;
}

/**
 * The longest request line and headers: ClickHouse's default `http_max_uri_size` (1 MiB), as
 * clients send query parameters in the URL (an `Array(UUID)` of 400 ids is 18 KB; Node's default of
 * 16 KiB answered it 431), plus room for the headers.
 */
export const MAX_HEADER_BYTES = 1024 * 1024 + 64 * 1024;

export const DEFAULT_LIMITS: ConnectionLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 300_000,
  keepAliveTimeoutMs: 10_000,
  maxConnections: 1024,
  allowedOrigins: new Set(),
};

/**
 * ClickHouse's HTTP interface: `/` for queries, `/ping` and `/replicas_status` for health,
 * plus `/metrics` for Prometheus.
 */
export function createHttpServer(ctx: HandlerContext, limits: ConnectionLimits = DEFAULT_LIMITS): Server {
  const server = createServer(
    {
      // Node refuses a headers timeout longer than the request timeout.
      headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
      // A client trickling its request is answered 408 and disconnected once this passes; a
      // long-running query is not, as the timer stops when the request has been received.
      requestTimeout: limits.requestTimeoutMs,
      // How often both timeouts are checked (Node's default, 30 s, would let short ones overrun).
      connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.floor(limits.requestTimeoutMs / 4))),
      // Clients keep connections open between queries; tell them how long (Keep-Alive: timeout=N).
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      maxHeaderSize: MAX_HEADER_BYTES,
    },
    (req, res) => {
      void route(ctx, limits, req, res).catch((error: unknown) => {
        ctx.logger.error({ err: error }, 'request failed outside the query handler');
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=UTF-8' });
        res.end();
      });
    },
  );
  server.maxConnections = limits.maxConnections;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) =>
    answerClientError(error, socket, ctx.pool.info.version, limits),
  );
  return server;
}

/**
 * What Node answers a client it gives up on (a request not received in time, a malformed one),
 * but with a timeout in ClickHouse's error shape, so clients see why.
 */
function answerClientError(
  error: NodeJS.ErrnoException,
  socket: Duplex,
  version: string,
  limits: ConnectionLimits,
): void {
  const started = (socket as { _httpMessage?: ServerResponse })._httpMessage?.headersSent ?? false;
  if (!socket.writable || started || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  let head: string;
  let body = '';
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    const timeout = ClickHouseError.of(
      'TIMEOUT_EXCEEDED',
      `Timeout exceeded: the request was not received within ${limits.headersTimeoutMs} ms for its headers ` +
        `(CHDB_HEADERS_TIMEOUT_MS) or ${limits.requestTimeoutMs} ms in all (CHDB_REQUEST_TIMEOUT_MS)`,
    );
    body = `${timeout.format(version)}\n`;
    head =
      `HTTP/1.1 ${httpStatusFor(timeout)} Request Timeout\r\nContent-Type: text/plain; charset=UTF-8\r\n` +
      `X-ClickHouse-Exception-Code: ${timeout.code}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`;
  } else if (error.code === 'HPE_HEADER_OVERFLOW') {
    head = 'HTTP/1.1 431 Request Header Fields Too Large\r\n';
  } else {
    head = 'HTTP/1.1 400 Bad Request\r\n';
  }
  socket.end(`${head}Connection: close\r\n\r\n${body}`, () => socket.destroy());
  // A client that does not read its answer either is not waited for.
  setTimeout(() => socket.destroy(), 1_000).unref();
}

/**
 * Why a request must be refused before anything runs, if it must: a browser page of an origin not
 * allowed (a cross-site POST with a text/plain body is a query), or a browser's own word that the
 * request is cross-site. Clients that are not browsers send neither header.
 */
export function browserRefusal(
  headers: IncomingHttpHeaders,
  allowedOrigins: ReadonlySet<string>,
): ClickHouseError | undefined {
  const origin = headers.origin;
  const allowed = origin !== undefined && allowedOrigins.has(normalizeOrigin(origin));
  if (origin !== undefined && !allowed) {
    return accessDenied(
      `Requests from browser origin ${JSON.stringify(origin)} are not allowed; add it to CHDB_ALLOWED_ORIGINS to allow it`,
    );
  }
  if (!allowed && String(headers['sec-fetch-site'] ?? '').toLowerCase() === 'cross-site') {
    return accessDenied(
      'Cross-site browser requests (Sec-Fetch-Site: cross-site) are not allowed; add the page origin to CHDB_ALLOWED_ORIGINS to allow it',
    );
  }
  return undefined;
}

function normalizeOrigin(origin: string): string {
  return origin.trim().replace(/\/+$/, '').toLowerCase();
}

function accessDenied(message: string): ClickHouseError {
  return new ClickHouseError(497, 'ACCESS_DENIED', message);
}

async function route(
  ctx: HandlerContext,
  limits: ConnectionLimits,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = req.method ?? 'GET';
  // Step 0: browsers. A refused one gets ClickHouse's error and no CORS headers, before anything runs.
  const refusal = browserRefusal(req.headers, limits.allowedOrigins);
  if (refusal) {
    const text = `${refusal.format(ctx.pool.info.version)}\n`;
    res.writeHead(httpStatusFor(refusal), {
      'Content-Type': 'text/plain; charset=UTF-8',
      'X-ClickHouse-Exception-Code': String(refusal.code),
      // The body (if any) is not read: do not take it for the next request.
      Connection: 'close',
    });
    res.end(text);
    return;
  }
  if (req.headers.origin !== undefined) {
    // An allowed origin: the page may read the answers (as ClickHouse's add_http_cors_header).
    res.setHeader('Access-Control-Allow-Origin', req.headers.origin);
    res.setHeader('Vary', 'Origin');
    if (method === 'OPTIONS') {
      res.writeHead(204, {
        'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
        'Access-Control-Allow-Headers': String(
          req.headers['access-control-request-headers'] ?? 'Authorization, Content-Type',
        ),
        'Access-Control-Max-Age': '86400',
      });
      res.end();
      return;
    }
  }
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
