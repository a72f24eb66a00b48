import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One statement as the fake received it: its SQL (FORMAT clause included) and its bound parameters. */
export interface ReceivedQuery {
  sql: string;
  params: Record<string, string>;
}

type Behaviour =
  { kind: 'rows'; rows: unknown[] } | { kind: 'fail'; code: number; name: string; message: string } | { kind: 'hang' };

/**
 * ClickHouse's HTTP interface, as much as the real ClickHouseRepository uses of it: statements
 * POSTed with `param_*` parameters, answered as JSONEachRow, and GET /ping. For component tests of
 * the repository itself, below FakeClickHouseRepository: it answers every statement with the same
 * rows, fails every one with a ClickHouse exception, or holds every one (pings included) so that
 * the client's timeout is what ends them.
 */
export class FakeClickHouseServer {
  /** Every statement received, in order. */
  readonly queries: ReceivedQuery[] = [];
  private behaviour: Behaviour = { kind: 'rows', rows: [] };
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(): Promise<FakeClickHouseServer> {
    const server = createServer();
    const fake = new FakeClickHouseServer(server);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Every statement answers these rows. */
  answer(rows: unknown[]): this {
    this.behaviour = { kind: 'rows', rows };
    return this;
  }

  /** Every statement fails as ClickHouse does: HTTP 500, the exception code in a header and the body. */
  failWith(code = 241, name = 'MEMORY_LIMIT_EXCEEDED', message = 'Memory limit (total) exceeded'): this {
    this.behaviour = { kind: 'fail', code, name, message };
    return this;
  }

  /** Every request, pings included, waits and is never answered. */
  hang(): this {
    this.behaviour = { kind: 'hang' };
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (this.behaviour.kind === 'hang') return;
    if (url.pathname === '/ping') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('Ok.\n');
      return;
    }
    const params = Object.fromEntries(
      [...url.searchParams].filter(([key]) => key.startsWith('param_')).map(([key, value]) => [key.slice(6), value]),
    );
    this.queries.push({ sql: Buffer.concat(chunks).toString('utf8') || (url.searchParams.get('query') ?? ''), params });
    if (this.behaviour.kind === 'fail') {
      const { code, name, message } = this.behaviour;
      res
        .writeHead(500, { 'content-type': 'text/plain', 'x-clickhouse-exception-code': String(code) })
        .end(`Code: ${code}. DB::Exception: ${message}. (${name}) (version 26.7.2.1)\n`);
      return;
    }
    res
      .writeHead(200, { 'content-type': 'application/x-ndjson', 'x-clickhouse-format': 'JSONEachRow' })
      .end(this.behaviour.rows.map((row) => `${JSON.stringify(row)}\n`).join(''));
  }
}
