import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * Redis as much as the real RedisRepository uses of it, over RESP on a real socket: INFO (ioredis's
 * ready check), PING, GET, SET, PUBLISH, MULTI … EXEC. For component tests of the repository itself,
 * below FakeRedisRepository. It keeps the values SET, records every command, answers the data
 * commands with an error when told to (a read-only replica), and holds them unanswered when told to
 * (a Redis that accepts commands and never answers: the client's commandTimeout ends them).
 */
export class FakeRedisServer {
  /** Every command received, as its arguments, in order (the ready check's INFO included). */
  readonly commands: string[][] = [];
  readonly values = new Map<string, string>();
  private error: string | null = null;
  private holding = false;
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeRedisServer> {
    const server = createServer();
    const fake = new FakeRedisServer(server);
    server.on('connection', (socket) => fake.serve(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `redis://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** GET, SET and PUBLISH answer this error (EXEC then reports it in its place) until recover(). */
  failWith(error = "READONLY You can't write against a read only replica."): this {
    this.error = error;
    return this;
  }

  /** GET, EXEC and PING are never answered until recover() (those held stay unanswered). */
  hold(): this {
    this.holding = true;
    return this;
  }

  recover(): this {
    this.error = null;
    this.holding = false;
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    let buffer = '';
    let queued: string[][] | null = null;
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (let parsed = parseCommand(buffer); parsed; parsed = parseCommand(buffer)) {
        buffer = buffer.slice(parsed.length);
        const args = parsed.args;
        const name = args[0].toUpperCase();
        this.commands.push(args);
        if (this.holding && ['GET', 'EXEC', 'PING'].includes(name)) continue;
        if (name === 'MULTI') {
          queued = [];
          socket.write('+OK\r\n', 'latin1');
        } else if (name === 'EXEC') {
          const replies = (queued ?? []).map((command) => this.reply(command));
          queued = null;
          socket.write(`*${replies.length}\r\n${replies.join('')}`, 'latin1');
        } else if (queued && name !== 'INFO') {
          queued.push(args);
          socket.write('+QUEUED\r\n', 'latin1');
        } else {
          socket.write(this.reply(args), 'latin1');
        }
      }
    });
  }

  private reply([command, ...args]: string[]): string {
    const name = command.toUpperCase();
    if (name === 'INFO') return bulk('# Server\r\nredis_version:7.0.15\r\n# Persistence\r\nloading:0\r\n');
    if (name === 'PING') return '+PONG\r\n';
    if (['GET', 'SET', 'PUBLISH'].includes(name) && this.error) return `-${this.error}\r\n`;
    if (name === 'GET') {
      const value = this.values.get(args[0]);
      return value === undefined ? '$-1\r\n' : bulk(value);
    }
    if (name === 'SET') this.values.set(args[0], args[1]);
    if (name === 'PUBLISH') return ':0\r\n';
    return '+OK\r\n';
  }
}

const bulk = (text: string) => `$${Buffer.byteLength(text, 'latin1')}\r\n${text}\r\n`;

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
