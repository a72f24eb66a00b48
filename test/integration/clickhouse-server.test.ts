import { createHash, randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@clickhouse/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseService, repoRoot, Supervisor } from '@social-pulse/pulse/testing';
import {
  type ChdbServerProcess,
  countRunningQueries,
  freePort,
  startChdbServer,
  stopChdbServer,
} from '@social-pulse/testing';

// Servers of the tests' own beside the platform's, each on a free port with its own data directory.

const query = (url: string, sql: string, init: RequestInit = {}) =>
  fetch(`${url}/?query=${encodeURIComponent(sql)}`, { method: 'POST', ...init });

describe('chdb-server with a users file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chdb-users-'));
  let server: ChdbServerProcess;

  beforeAll(async () => {
    const usersFile = join(dir, 'users.json');
    writeFileSync(
      usersFile,
      JSON.stringify({
        users: {
          default: { password: 'admin-secret' },
          analyst: {
            password_sha256_hex: createHash('sha256').update('look-only').digest('hex'),
            profile: 'readonly',
          },
        },
      }),
    );
    server = await startChdbServer({ env: { CLICKHOUSE_USERS_FILE: usersFile } });
    await query(server.url, 'CREATE TABLE t (x UInt8) ENGINE = MergeTree ORDER BY x', {
      headers: { 'X-ClickHouse-Key': 'admin-secret' },
    });
  });
  afterAll(async () => {
    await stopChdbServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('should refuse a missing or wrong password and an unknown user', async () => {
    for (const auth of [{}, { username: 'default', password: 'nope' }, { username: 'mallory', password: 'x' }]) {
      const client = createClient({ url: server.url, ...auth });
      await expect(client.query({ query: 'SELECT 1' })).rejects.toMatchObject({
        code: '516',
        type: 'AUTHENTICATION_FAILED',
      });
      await client.close();
    }
    const res = await query(server.url, 'SELECT 1', {
      headers: { Authorization: `Basic ${Buffer.from('default:nope').toString('base64')}` },
    });
    expect(res.status).toBe(403);
  });

  it('should let a user in with Basic auth, X-ClickHouse headers or URL parameters', async () => {
    const basic = createClient({ url: server.url, username: 'default', password: 'admin-secret' });
    await basic.insert({ table: 't', values: [{ x: 1 }], format: 'JSONEachRow' });
    expect(await (await basic.query({ query: 'SELECT count() AS c FROM t', format: 'JSONEachRow' })).json()).toEqual([
      { c: 1 },
    ]);
    await basic.close();
    const headers = await query(server.url, 'SELECT currentDatabase()', {
      headers: { 'X-ClickHouse-User': 'analyst', 'X-ClickHouse-Key': 'look-only' },
    });
    expect(headers.status).toBe(200);
    const params = await fetch(`${server.url}/?query=SELECT%201&user=analyst&password=look-only`);
    expect(await params.text()).toBe('1\n');
  });

  it('should hold a readonly-profile user to reading', async () => {
    const analyst = createClient({ url: server.url, username: 'analyst', password: 'look-only' });
    expect(await (await analyst.query({ query: 'SELECT count() AS c FROM t', format: 'JSONEachRow' })).json()).toEqual([
      { c: 1 },
    ]);
    await expect(analyst.insert({ table: 't', values: [{ x: 2 }], format: 'JSONEachRow' })).rejects.toMatchObject({
      code: '164',
      type: 'READONLY',
    });
    await expect(analyst.command({ query: 'DROP TABLE t' })).rejects.toMatchObject({ code: '164' });
    await expect(analyst.query({ query: 'SELECT 1', clickhouse_settings: { max_threads: 1 } })).rejects.toMatchObject({
      code: '164',
    });
    await analyst.close();
  });
});

describe('chdb-server limits and malformed requests', () => {
  let server: ChdbServerProcess;
  beforeAll(async () => {
    server = await startChdbServer({ env: { CHDB_MAX_BODY_BYTES: '4096', CHDB_POOL_SIZE: '2' } });
    await query(server.url, 'CREATE TABLE t (s String) ENGINE = MergeTree ORDER BY s');
  });
  afterAll(() => stopChdbServer(server));

  it('should refuse a body over the limit, declared or streamed, and keep serving', async () => {
    const big = 'x'.repeat(10_000);
    const declared = await query(server.url, 'INSERT INTO t FORMAT TSV', { body: `${big}\n` });
    expect(declared.status).toBe(413);
    expect(await declared.text()).toMatch(/^Code: 229\. DB::Exception: Request body is larger than 4096 bytes/);
    const streamed = await query(server.url, 'INSERT INTO t FORMAT TSV', {
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode(`${'y'.repeat(999)}\n`));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await (await query(server.url, 'SELECT count() FROM t')).text()).toBe('0\n');
    expect(await (await query(server.url, 'SELECT 1')).text()).toBe('1\n');
  });

  it('should answer malformed HTTP, unknown paths and broken insert data, and keep serving', async () => {
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(server.port, '127.0.0.1', () => socket.write('THIS IS NOT HTTP\r\n\r\n'));
      let data = '';
      socket.on('data', (c) => (data += c.toString()));
      socket.on('close', () => resolve(data));
      socket.on('error', () => resolve(data));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    const unknown = await fetch(`${server.url}/nowhere`);
    expect(unknown.status).toBe(404);
    const broken = await query(server.url, 'INSERT INTO t FORMAT JSONEachRow', {
      body: '{"s": "ok"}\n{"s": unterminated\n',
    });
    expect(broken.status).toBe(400);
    expect(broken.headers.get('x-clickhouse-exception-code')).toMatch(/^\d+$/);
    const badGzip = await query(server.url, 'SELECT 1', {
      body: 'not gzip',
      headers: { 'Content-Encoding': 'gzip' },
    });
    expect(badGzip.headers.get('x-clickhouse-exception-code')).toBe('271');
    expect(await (await query(server.url, 'SELECT count() FROM t')).text()).toBe('0\n');
  });

  it('should queue requests beyond the pool size rather than refuse them', async () => {
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 4 }, () => query(server.url, 'SELECT sleep(0.3)').then((r) => r.status)),
    );
    expect(results).toEqual([200, 200, 200, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(550); // two at a time on a pool of 2
  });
});

describe('chdb-server configuration', () => {
  it('should stop start-up with a message naming a bad variable', () => {
    const result = spawnSync(
      process.execPath,
      ['-r', '@swc-node/register', join(repoRoot, 'tools/chdb-server/src/main.ts')],
      {
        cwd: repoRoot,
        env: { ...process.env, CHDB_POOL_SIZE: 'many', CLICKHOUSE_HTTP_PORT: '99999' },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(result.status).toBe(1);
    expect(result.stdout + result.stderr).toContain('CHDB_POOL_SIZE=\\"many\\"');
    expect(result.stdout + result.stderr).toContain('CLICKHOUSE_HTTP_PORT=\\"99999\\"');
  });
});

describe('chdb-server durability and shutdown', () => {
  let server: ChdbServerProcess | undefined;
  afterEach(() => stopChdbServer(server, 'SIGKILL'));

  it('should keep every acknowledged insert across a kill -9', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'chdb-durability-'));
    server = await startChdbServer({ dataDir });
    const client = createClient({ url: server.url });
    await client.command({ query: 'CREATE TABLE kept (id UInt32) ENGINE = MergeTree ORDER BY id' });
    for (let batch = 0; batch < 5; batch++) {
      await client.insert({
        table: 'kept',
        values: Array.from({ length: 1000 }, (_, i) => ({ id: batch * 1000 + i })),
        format: 'JSONEachRow',
      });
    }
    await client.close();
    server.child.kill('SIGKILL');
    await server.exited;

    server = await startChdbServer({ dataDir, port: server.port });
    const again = createClient({ url: server.url });
    expect(
      await (
        await again.query({
          query: 'SELECT count() AS c, uniqExact(id) AS u FROM kept',
          format: 'JSONEachRow',
        })
      ).json(),
    ).toEqual([{ c: 5000, u: 5000 }]);
    await again.close();
    await stopChdbServer(server);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const closed = (what: string) => (e: Error & { cause?: { code?: string } }) =>
    `${what} (${e.cause?.code ?? e.message})`;

  /** Resolves once the server runs the statement holding `marker` (seen in its system.processes). */
  const started = (url: string, marker: string) =>
    expect.poll(() => countRunningQueries(url, marker), { timeout: 10_000, interval: 20 }).toBe(1);

  it('should let a running query finish on SIGTERM, then exit 0', async () => {
    const own = (server = await startChdbServer());
    const marker = randomUUID();
    const running = query(own.url, `SELECT sleep(1), '${marker}'`);
    await started(own.url, marker);
    own.child.kill('SIGTERM');
    const res = await running;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(`0\t${marker}\n`);
    expect(await own.exited).toBe(0);
  });

  it('should cancel queries still running when the shutdown timeout passes', async () => {
    const own = (server = await startChdbServer({ env: { CHDB_SHUTDOWN_TIMEOUT_MS: '300' } }));
    const marker = randomUUID();
    // What the client gets: the cancellation, as an error response or as the connection closed
    // under it (the server closes what is still open right after cancelling). Never a result.
    const outcome = query(own.url, `SELECT count(), '${marker}' FROM numbers_mt(1e13)`).then(
      async (r) =>
        `${r.status} ${r.headers.get('x-clickhouse-exception-code')}: ${await r.text().catch(closed('body cut off'))}`,
      closed('connection closed'),
    );
    await started(own.url, marker);
    const stopAt = Date.now();
    own.child.kill('SIGTERM');
    expect(await own.exited).toBe(0);
    expect(Date.now() - stopAt).toBeLessThan(5000);
    expect(await outcome).toMatch(
      /^(500 394: Code: 394\. DB::Exception: .*QUERY_WAS_CANCELLED|connection closed \((UND_ERR_SOCKET|ECONNRESET)\))/,
    );
  });
});

describe("pulse's clickhouse service", () => {
  it('should start the server, report the engine version and stop it', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'pulse-clickhouse-'));
    const supervisor = new Supervisor(stateDir, () => undefined, { restartOnExit: false });
    const port = await freePort();
    const spec = clickhouseService(stateDir, port);
    try {
      await supervisor.startTogether([spec]);
      expect(spec.version).toMatch(/^\d+\.\d+\.\d+/);
      const res = await fetch(`${spec.url}/?query=SELECT%20version()`);
      expect(await res.text()).toBe(`${spec.version}\n`);
    } finally {
      await supervisor.stopAll();
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
