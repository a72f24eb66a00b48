import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@social-pulse/pulse/testing';
import { type ChdbServerProcess, startChdbServer, stopChdbServer } from '@social-pulse/testing';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request with exactly the headers given (fetch would add or refuse some). */
function send(
  base: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(options.path ?? '/', base),
      { method: options.method ?? 'POST', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const query = (base: string, sql: string) => send(base, { body: sql, headers: { 'Content-Type': 'text/plain' } });

async function inUse(base: string): Promise<number> {
  const { body } = await send(base, { method: 'GET', path: '/metrics' });
  const line = body.split('\n').find((l) => l.startsWith('chdb_pool_connections_in_use'));
  return Number(line?.split(' ').pop());
}

/** A raw client: sends the request head of a chunked POST, then whatever the test trickles. */
function openUpload(base: string, path: string): Promise<{ socket: Socket; closed: Promise<string> }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(`POST ${path} HTTP/1.1\r\nHost: ${url.host}\r\nTransfer-Encoding: chunked\r\n\r\n`);
      resolve({ socket, closed });
    });
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    const closed = new Promise<string>((done) => socket.on('close', () => done(received)));
    socket.once('error', reject);
  });
}

const chunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function expectClickHouseError(answer: Answer, status: number, code: number, text: RegExp): void {
  expect(answer.status).toBe(status);
  expect(answer.headers['x-clickhouse-exception-code']).toBe(String(code));
  expect(answer.body).toMatch(new RegExp(`^Code: ${code}\\. DB::Exception: `));
  expect(answer.body).toMatch(text);
}

describe('chdb-server request limits', () => {
  let server: ChdbServerProcess | undefined;

  beforeAll(async () => {
    server = await startChdbServer({
      env: {
        CHDB_MAX_QUERY_BYTES: String(64 * 1024),
        CHDB_BODY_IDLE_TIMEOUT_MS: '1000',
        CHDB_REQUEST_TIMEOUT_MS: '2500',
        CHDB_ALLOWED_ORIGINS: 'http://localhost:3000, https://dashboards.example/',
      },
    });
    await query(server.url, 'CREATE TABLE t (id UInt32) ENGINE = MergeTree ORDER BY id');
  }, 60_000);
  afterAll(() => stopChdbServer(server));

  const url = () => server!.url;

  describe('query size', () => {
    it('should refuse a query body over CHDB_MAX_QUERY_BYTES with Code 62 and stay healthy', async () => {
      const sql = `SELECT 1 /* ${'x'.repeat(200 * 1024)} */`;
      const answer = await query(url(), sql);
      expectClickHouseError(answer, 400, 62, /Max query size exceeded.*CHDB_MAX_QUERY_BYTES/);
      expect((await send(url(), { method: 'GET', path: '/ping' })).body).toBe('Ok.\n');
      expect((await query(url(), 'SELECT 1')).body).toBe('1\n');
    });

    it('should refuse a query in the URL plus body over the limit', async () => {
      const answer = await send(url(), {
        path: `/?query=${encodeURIComponent(`SELECT '${'y'.repeat(8 * 1024)}'`)}`,
        body: ` || '${'z'.repeat(60 * 1024)}'`,
      });
      expectClickHouseError(answer, 400, 62, /Max query size exceeded/);
    });

    it('should refuse a multipart form over the limit', async () => {
      const boundary = 'b0undary';
      const body =
        `--${boundary}\r\nContent-Disposition: form-data; name="query"\r\n\r\nSELECT '${'w'.repeat(100 * 1024)}'\r\n` +
        `--${boundary}--\r\n`;
      const answer = await send(url(), {
        headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
        body,
      });
      expectClickHouseError(answer, 400, 62, /Max query size exceeded/);
    });

    it('should still run a query just under the limit', async () => {
      const answer = await query(url(), `SELECT length('${'v'.repeat(60 * 1024)}')`);
      expect(answer.status).toBe(200);
      expect(answer.body).toBe(`${60 * 1024}\n`);
    });

    it('should let INSERT data go far past the query limit', async () => {
      const rows = Array.from({ length: 100_000 }, (_, i) => String(i)).join('\n');
      expect(Buffer.byteLength(rows)).toBeGreaterThan(64 * 1024 * 4);
      const answer = await send(url(), {
        path: `/?query=${encodeURIComponent('INSERT INTO t FORMAT TSV')}`,
        body: rows,
      });
      expect(answer.status).toBe(200);
      expect((await query(url(), 'SELECT count() FROM t')).body).toBe('100000\n');
      await query(url(), 'TRUNCATE TABLE t');
    });
  });

  describe('slow clients', () => {
    it('should disconnect an INSERT whose body stalls and give its engine connection back', async () => {
      const upload = await openUpload(url(), `/?query=${encodeURIComponent('INSERT INTO t FORMAT TSV')}`);
      upload.socket.write(chunk('1\n2\n'));
      // The INSERT runs and holds a connection while its data arrives.
      await expect.poll(() => inUse(url()), { timeout: 900, interval: 50 }).toBe(1);
      const started = Date.now();
      const received = await upload.closed;
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(received).toMatch(/Code: 209\. DB::Exception: Timeout exceeded while reading from socket/);
      await expect.poll(() => inUse(url()), { timeout: 2_000, interval: 50 }).toBe(0);
      // The rows that did arrive are not stored: the INSERT was stopped, not committed.
      expect((await query(url(), 'SELECT count() FROM t')).body).toBe('0\n');
    });

    it('should cut off a client trickling its body faster than the idle timeout but slower than the request timeout', async () => {
      const upload = await openUpload(url(), `/?query=${encodeURIComponent('INSERT INTO t FORMAT TSV')}`);
      const started = Date.now();
      let open = true;
      void upload.closed.then(() => (open = false));
      const trickle = (async () => {
        for (let i = 0; open && Date.now() - started < 15_000; i++) {
          upload.socket.write(chunk(`${i}\n`));
          // The slow client under test: a row every 300 ms, inside the idle timeout, past the request timeout.
          await sleep(300);
        }
      })();
      await expect.poll(() => inUse(url()), { timeout: 2_000, interval: 50 }).toBe(1);
      const received = await upload.closed;
      await trickle;
      expect(received).toMatch(/^HTTP\/1\.1 408 /);
      expect(received).toContain('X-ClickHouse-Exception-Code: 159');
      expect(received).toMatch(/Code: 159\. DB::Exception: Timeout exceeded: .*CHDB_REQUEST_TIMEOUT_MS/);
      // CHDB_REQUEST_TIMEOUT_MS=2500, checked every 625 ms.
      expect(Date.now() - started).toBeLessThan(6_000);
      await expect.poll(() => inUse(url()), { timeout: 2_000, interval: 50 }).toBe(0);
      // The rows that did arrive are not stored: the INSERT was stopped, not committed.
      expect((await query(url(), 'SELECT count() FROM t')).body).toBe('0\n');
    });

    it('should not hold an engine connection while a query text trickles in', async () => {
      const upload = await openUpload(url(), '/');
      upload.socket.write(chunk('SELECT '));
      // Sample the pool for as long as the text trickles in, until the idle timeout cuts the client off.
      let closed = false;
      const answer = upload.closed.finally(() => (closed = true));
      let mostInUse = 0;
      while (!closed) mostInUse = Math.max(mostInUse, await inUse(url()));
      expect(mostInUse).toBe(0);
      expect(await answer).toMatch(/Code: 209\./);
    });

    it('should cut off a client that never finishes its headers', async () => {
      const target = new URL(url());
      const socket = connect(Number(target.port), target.hostname);
      socket.on('error', () => undefined);
      let received = '';
      socket.on('data', (data: Buffer) => (received += data.toString('utf8')));
      const started = Date.now();
      socket.write(`POST / HTTP/1.1\r\nHost: ${target.host}\r\nX-Slow: `);
      const timer = setInterval(() => socket.write('a'), 300);
      await new Promise((resolve) => socket.on('close', resolve));
      clearInterval(timer);
      expect(Date.now() - started).toBeLessThan(6_000);
      expect(received).toMatch(/^HTTP\/1\.1 408 /);
      expect(received).toMatch(/Code: 159\. DB::Exception: Timeout exceeded/);
    });

    it('should not cut off a query that runs longer than the request timeout', async () => {
      const answer = await query(url(), 'SELECT sum(sleepEachRow(1)) FROM numbers(3)');
      expect(answer.status).toBe(200);
      expect(answer.body).toBe('0\n');
    }, 20_000);
  });

  describe('browser origins', () => {
    it('should refuse a cross-site text/plain POST from a page of another origin, running nothing', async () => {
      const answer = await send(url(), {
        headers: { Origin: 'https://evil.example', 'Content-Type': 'text/plain' },
        body: 'INSERT INTO t VALUES (42)',
      });
      expectClickHouseError(
        answer,
        403,
        497,
        /browser origin "https:\/\/evil\.example" are not allowed.*CHDB_ALLOWED_ORIGINS/,
      );
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
      expect((await query(url(), 'SELECT count() FROM t WHERE id = 42')).body).toBe('0\n');
    });

    it('should refuse SELECT 1 from https://evil.example, and a GET too', async () => {
      const post = await send(url(), {
        headers: { Origin: 'https://evil.example', 'Content-Type': 'text/plain' },
        body: 'SELECT 1',
      });
      expectClickHouseError(post, 403, 497, /not allowed/);
      const get = await send(url(), {
        method: 'GET',
        path: '/?query=SELECT%201',
        headers: { Origin: 'https://evil.example' },
      });
      expectClickHouseError(get, 403, 497, /not allowed/);
    });

    it('should refuse Origin: null (sandboxed frames, file pages)', async () => {
      const answer = await send(url(), { headers: { Origin: 'null' }, body: 'SELECT 1' });
      expectClickHouseError(answer, 403, 497, /not allowed/);
    });

    it('should run SELECT 1 from an allowed origin and let the page read it', async () => {
      const answer = await send(url(), {
        headers: { Origin: 'http://localhost:3000', 'Content-Type': 'text/plain', 'Sec-Fetch-Site': 'cross-site' },
        body: 'SELECT 1',
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toBe('1\n');
      expect(answer.headers['access-control-allow-origin']).toBe('http://localhost:3000');
      // Listed with a trailing slash, sent without one.
      const other = await send(url(), { headers: { Origin: 'https://dashboards.example' }, body: 'SELECT 2' });
      expect(other.body).toBe('2\n');
    });

    it('should refuse Sec-Fetch-Site: cross-site without an allowed origin', async () => {
      const get = await send(url(), {
        method: 'GET',
        path: '/?query=SELECT%201',
        headers: { 'Sec-Fetch-Site': 'cross-site' },
      });
      expectClickHouseError(get, 403, 497, /Sec-Fetch-Site: cross-site/);
      const same = await send(url(), {
        method: 'GET',
        path: '/?query=SELECT%201',
        headers: { 'Sec-Fetch-Site': 'none' },
      });
      expect(same.body).toBe('1\n');
    });

    it('should give a preflight from a disallowed origin no CORS headers, and one from an allowed origin its answer', async () => {
      const preflight = (origin: string) =>
        send(url(), {
          method: 'OPTIONS',
          headers: {
            Origin: origin,
            'Access-Control-Request-Method': 'POST',
            'Access-Control-Request-Headers': 'content-type',
          },
        });
      const evil = await preflight('https://evil.example');
      expect(evil.status).toBe(403);
      expect(Object.keys(evil.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
      const allowed = await preflight('http://localhost:3000');
      expect(allowed.status).toBe(204);
      expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:3000');
      expect(allowed.headers['access-control-allow-methods']).toContain('POST');
    });

    it('should leave clients that send no Origin alone', async () => {
      expect((await query(url(), 'SELECT 3')).body).toBe('3\n');
    });
  });
});

describe('chdb-server connection limit', () => {
  let server: ChdbServerProcess | undefined;
  beforeAll(async () => {
    server = await startChdbServer({ env: { CHDB_MAX_CONNECTIONS: '3' } });
  }, 60_000);
  afterAll(() => stopChdbServer(server));

  it('should drop connections over CHDB_MAX_CONNECTIONS and take new ones once some close', async () => {
    const target = new URL(server!.url);
    const open = () =>
      new Promise<Socket>((resolve, reject) => {
        const socket = connect(Number(target.port), target.hostname, () => resolve(socket));
        socket.on('error', reject);
      });
    // A connection counts once the server has taken it: proven by an answer on it.
    const answered = async (socket: Socket) => {
      const first = new Promise<string>((resolve) => {
        socket.once('data', (data: Buffer) => resolve(data.toString()));
        socket.once('close', () => resolve('closed without an answer'));
      });
      socket.write(`GET /ping HTTP/1.1\r\nHost: ${target.host}\r\n\r\n`);
      return first;
    };
    const held = [await open(), await open(), await open()];
    for (const socket of held) expect(await answered(socket)).toMatch(/^HTTP\/1\.1 200 /);
    const extra = await open();
    const dropped = await new Promise<boolean>((resolve) => {
      extra.on('close', () => resolve(true));
      extra.on('error', () => undefined);
      extra.write(`GET /ping HTTP/1.1\r\nHost: ${target.host}\r\n\r\n`);
      setTimeout(() => resolve(false), 2_000);
    });
    expect(dropped).toBe(true);
    for (const socket of held) socket.destroy();
    // The server counts a closed connection out when it sees the close; until then a new one may be dropped.
    await expect
      .poll(
        () =>
          query(server!.url, 'SELECT 1').then(
            (answer) => answer.body,
            () => 'dropped',
          ),
        {
          timeout: 5_000,
          interval: 50,
        },
      )
      .toBe('1\n');
  });
});

describe('chdb-server listen address', () => {
  it('should refuse to start on 0.0.0.0 without a users file, naming the variables', () => {
    const result = spawnSync(
      process.execPath,
      ['-r', '@swc-node/register', join(repoRoot, 'tools/chdb-server/src/main.ts')],
      {
        cwd: repoRoot,
        env: { ...process.env, CLICKHOUSE_HTTP_HOST: '0.0.0.0', CLICKHOUSE_USERS_FILE: '', CLICKHOUSE_HTTP_PORT: '1' },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(result.status).toBe(1);
    const output = result.stdout + result.stderr;
    expect(output).toContain('CLICKHOUSE_HTTP_HOST=\\"0.0.0.0\\"');
    expect(output).toContain('CLICKHOUSE_USERS_FILE');
    expect(output).toContain('not a loopback address');
  });

  it("should listen on 127.0.0.1 by default, not on the machine's other addresses", async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && address.family === 'IPv4' && !address.internal)?.address;
    let server: ChdbServerProcess | undefined;
    try {
      server = await startChdbServer({ env: { CLICKHOUSE_HTTP_HOST: '' } });
      expect((await query(server.url, 'SELECT 1')).body).toBe('1\n');
      if (external) {
        const port = Number(new URL(server.url).port);
        const reached = await new Promise<boolean>((resolve) => {
          const socket = connect(port, external, () => {
            socket.destroy();
            resolve(true);
          });
          socket.on('error', () => resolve(false));
        });
        expect(reached).toBe(false);
      }
    } finally {
      await stopChdbServer(server);
    }
  }, 60_000);
});
