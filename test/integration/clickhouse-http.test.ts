import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync, inflateSync, deflateSync } from 'node:zlib';
import { type ClickHouseClient, ClickHouseError, createClient } from '@clickhouse/client';
import { countRunningQueries, platform } from '@social-pulse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The platform's ClickHouse: the local chDB server that `pulse up` starts, or CLICKHOUSE_URL.
const url = platform.clickhouseUrl;
const database = `chdb_http_${Date.now()}`;
const table = `${database}.events`;

const http = (query: string, init: RequestInit & { params?: Record<string, string> } = {}) => {
  const search = new URLSearchParams({ query, ...init.params });
  return fetch(`${url}/?${search}`, init);
};

async function collect(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('ClickHouse HTTP interface', () => {
  let client: ClickHouseClient;

  beforeAll(async () => {
    const admin = createClient({ url });
    await admin.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
    await admin.close();
    client = createClient({ url, database });
    await client.command({
      query: `CREATE TABLE events (id UInt32, name String, tags Array(String), at DateTime) ENGINE = MergeTree ORDER BY id`,
    });
  });

  afterAll(async () => {
    await client.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    await client.close();
  });

  describe('health', () => {
    it('should answer /ping, /replicas_status and a bare GET / with Ok.', async () => {
      for (const path of ['/ping', '/replicas_status', '/']) {
        const res = await fetch(`${url}${path}`);
        expect(res.status, path).toBe(200);
        expect(await res.text(), path).toBe('Ok.\n');
      }
      expect(await client.ping()).toEqual({ success: true });
    });
  });

  describe('queries and formats', () => {
    it('should return rows in JSONEachRow, JSON, CSV, TabSeparatedWithNames and JSONCompactEachRow', async () => {
      const query = 'SELECT number AS n, toString(number * 2) AS s FROM system.numbers LIMIT 3';
      expect(await (await client.query({ query, format: 'JSONEachRow' })).json()).toEqual([
        { n: 0, s: '0' },
        { n: 1, s: '2' },
        { n: 2, s: '4' },
      ]);
      const json = await (await client.query({ query, format: 'JSON' })).json<{ n: string }>();
      expect(json.meta).toEqual([
        { name: 'n', type: 'UInt64' },
        { name: 's', type: 'String' },
      ]);
      expect(json.rows).toBe(3);
      expect(await (await client.query({ query, format: 'CSV' })).text()).toBe('0,"0"\n1,"2"\n2,"4"\n');
      expect(await (await client.query({ query, format: 'TabSeparatedWithNames' })).text()).toBe(
        'n\ts\n0\t0\n1\t2\n2\t4\n',
      );
      expect(await (await client.query({ query, format: 'JSONCompactEachRow' })).json()).toEqual([
        [0, '0'],
        [1, '2'],
        [2, '4'],
      ]);
    });

    it('should take the query from the URL, the body, or both (URL, newline, body)', async () => {
      expect(await (await http('SELECT 1')).text()).toBe('1\n');
      expect(await (await fetch(`${url}/`, { method: 'POST', body: 'SELECT 2' })).text()).toBe('2\n');
      expect(await (await http('SELECT', { method: 'POST', body: '3' })).text()).toBe('3\n');
    });

    it('should send the query id, format, timezone and summary headers', async () => {
      const queryId = randomUUID();
      const res = await http('SELECT 1 FORMAT JSONEachRow', { params: { query_id: queryId } });
      expect(res.headers.get('x-clickhouse-query-id')).toBe(queryId);
      expect(res.headers.get('x-clickhouse-format')).toBe('JSONEachRow');
      expect(res.headers.get('x-clickhouse-timezone')).toBe((await (await http('SELECT timezone()')).text()).trim());
      expect(JSON.parse(res.headers.get('x-clickhouse-summary')!)).toMatchObject({
        read_rows: expect.any(String),
        elapsed_ns: expect.any(String),
      });
      expect(res.headers.get('content-type')).toContain('application/x-ndjson');
      const generated = await http('SELECT 1');
      expect(generated.headers.get('x-clickhouse-query-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(generated.headers.get('x-clickhouse-format')).toBe('TabSeparated');
      expect(
        (await http('SELECT 1', { params: { default_format: 'JSONCompact' } })).headers.get('x-clickhouse-format'),
      ).toBe('JSONCompact');
      const { query_id } = await client.query({
        query: 'SELECT 1',
        query_id: 'my-own-id',
        format: 'CSV',
      });
      expect(query_id).toBe('my-own-id');
    });

    it('should stream binary formats through exec', async () => {
      const { stream } = await client.exec({
        query: 'SELECT number FROM numbers(10) FORMAT Parquet',
      });
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      const parquet = Buffer.concat(chunks);
      expect(parquet.subarray(0, 4).toString()).toBe('PAR1');
      expect(parquet.subarray(-4).toString()).toBe('PAR1');
    });
  });

  describe('insert', () => {
    it('should insert an array of rows and a stream of rows with JSONEachRow', async () => {
      const first = await client.insert({
        table: 'events',
        values: [
          { id: 1, name: 'a', tags: ['x'], at: '2026-01-01 00:00:00' },
          { id: 2, name: 'b', tags: [], at: '2026-01-01 00:00:01' },
        ],
        format: 'JSONEachRow',
      });
      expect(first.summary).toMatchObject({ written_rows: '2' });
      const stream = new Readable({ objectMode: true, read() {} });
      const pending = client.insert({ table: 'events', values: stream, format: 'JSONEachRow' });
      for (let id = 3; id <= 5; id++) stream.push({ id, name: `s${id}`, tags: ['y', 'z'], at: '2026-01-02 00:00:00' });
      stream.push(null);
      await pending;
      const rows = await (
        await client.query({
          query: 'SELECT id, tags FROM events WHERE id <= 5 ORDER BY id',
          format: 'JSONEachRow',
        })
      ).json();
      expect(rows).toEqual([
        { id: 1, tags: ['x'] },
        { id: 2, tags: [] },
        { id: 3, tags: ['y', 'z'] },
        { id: 4, tags: ['y', 'z'] },
        { id: 5, tags: ['y', 'z'] },
      ]);
    });

    it('should read CSV, TabSeparated, RowBinary, Native and Parquet bodies', async () => {
      await client.insert({
        table: 'events',
        values: Readable.from(['10,"c,sv",[\'q\'],2026-01-03 00:00:00\n'], { objectMode: false }),
        format: 'CSV',
      });
      await client.insert({
        table: 'events',
        values: Readable.from(["11\tt\\tsv\t['r']\t2026-01-03 00:00:00\n"], { objectMode: false }),
        format: 'TabSeparated',
      });
      // The engine writes the binary formats; the server must read them back byte for byte.
      for (const [id, format] of [
        [12, 'RowBinary'],
        [13, 'Native'],
        [14, 'Parquet'],
      ] as const) {
        const source = await client.exec({
          query: `SELECT toUInt32(${id}) AS id, '${format}' AS name, ['b'] AS tags, toDateTime('2026-01-04 00:00:00') AS at FORMAT ${format}`,
        });
        const body = await collect(source.stream as AsyncIterable<Buffer>);
        const res = await http(`INSERT INTO ${table} FORMAT ${format}`, {
          method: 'POST',
          body: new Uint8Array(body),
        });
        expect(res.status, await res.clone().text()).toBe(200);
      }
      const rows = await (
        await client.query({
          query: 'SELECT id, name FROM events WHERE id >= 10 ORDER BY id',
          format: 'JSONCompactEachRow',
        })
      ).json();
      expect(rows).toEqual([
        [10, 'c,sv'],
        [11, 't\tsv'],
        [12, 'RowBinary'],
        [13, 'Native'],
        [14, 'Parquet'],
      ]);
    });

    it('should accept the whole INSERT with its data in the body, and INSERT ... VALUES through command', async () => {
      const res = await fetch(`${url}/`, {
        method: 'POST',
        body: `INSERT INTO ${table} (id, name) FORMAT CSV\n20,body\n21,body\n`,
      });
      expect(res.status).toBe(200);
      await client.command({ query: `INSERT INTO events (id, name) VALUES (22, 'values')` });
      const count = await (
        await client.query({
          query: 'SELECT count() AS c FROM events WHERE id BETWEEN 20 AND 22',
          format: 'JSONEachRow',
        })
      ).json();
      expect(count).toEqual([{ c: 3 }]);
    });

    it('should stream a large insert into the engine', async () => {
      await client.command({
        query: 'CREATE TABLE big (id UInt64, payload String) ENGINE = MergeTree ORDER BY id',
      });
      const rows = 200_000;
      const body = Readable.from(
        (function* () {
          for (let i = 0; i < rows; i += 10_000) {
            let chunk = '';
            for (let j = i; j < i + 10_000; j++) chunk += `{"id":${j},"payload":"row-${j}-xxxxxxxxxxxxxxxxxxxxxxxx"}\n`;
            yield chunk;
          }
        })(),
        { objectMode: false },
      );
      // exec sends the bytes as they are made, in HTTP chunks, as any large upload would arrive.
      const { stream } = await client.exec({
        query: 'INSERT INTO big FORMAT JSONEachRow',
        values: body,
      });
      stream.resume();
      expect(
        await (
          await client.query({
            query: 'SELECT count() AS c, sum(id) AS s FROM big',
            format: 'JSONEachRow',
          })
        ).json(),
      ).toEqual([{ c: rows, s: (rows * (rows - 1)) / 2 }]);
    });
  });

  describe('command and exec', () => {
    it('should run DDL through command and return a readable stream through exec', async () => {
      await client.command({
        query: 'CREATE TABLE IF NOT EXISTS ddl_check (x UInt8) ENGINE = Memory',
      });
      await client.command({ query: 'INSERT INTO ddl_check VALUES (7)' });
      const queryId = randomUUID();
      const { stream, query_id, response_headers } = await client.exec({
        query: 'SELECT x FROM ddl_check FORMAT CSV',
        query_id: queryId,
      });
      expect(query_id).toBe(queryId);
      expect(response_headers['x-clickhouse-query-id']).toBe(queryId);
      let text = '';
      for await (const chunk of stream) text += chunk.toString();
      expect(text).toBe('7\n');
      await client.command({ query: 'DROP TABLE ddl_check' });
    });
  });

  describe('query parameters', () => {
    it('should bind typed {name:Type} placeholders from param_<name>', async () => {
      const rs = await client.query({
        query:
          'SELECT {n:UInt32} + 1 AS n, {s:String} AS s, {a:Array(String)} AS a, {d:DateTime} AS d, {m:Map(String, UInt8)} AS m',
        format: 'JSONEachRow',
        query_params: {
          n: 41,
          s: "it's a\ttab\\and 'quotes'",
          a: ['x', "y'z"],
          d: '2026-05-06 07:08:09',
          m: { k: 1 },
        },
      });
      expect(await rs.json()).toEqual([
        {
          n: 42,
          s: "it's a\ttab\\and 'quotes'",
          a: ['x', "y'z"],
          d: '2026-05-06 07:08:09',
          m: { k: 1 },
        },
      ]);
    });

    it('should say when a placeholder has no value', async () => {
      await expect(client.query({ query: 'SELECT {missing:UInt8}' })).rejects.toMatchObject({
        code: '456',
        type: 'UNKNOWN_QUERY_PARAMETER',
      });
    });

    it('should accept parameters sent as multipart/form-data', async () => {
      const multipart = createClient({ url, use_multipart_params: true });
      const ids = [...Array(3000).keys()];
      const rs = await multipart.query({
        query: 'SELECT count() FROM numbers(5000) WHERE number IN {ids:Array(UInt64)}',
        format: 'CSV',
        query_params: { ids },
      });
      expect(await rs.text()).toBe('3000\n');
      await multipart.close();
    });
  });

  describe('settings', () => {
    it('should apply URL settings to the query only', async () => {
      const rs = await client.query({
        query: "SELECT getSetting('max_threads') AS t, getSetting('max_block_size') AS b",
        format: 'JSONEachRow',
        clickhouse_settings: { max_threads: 3, max_block_size: '1234' },
      });
      expect(await rs.json()).toEqual([{ t: 3, b: 1234 }]);
      const after = await (
        await client.query({
          query: "SELECT getSetting('max_block_size') AS b",
          format: 'JSONEachRow',
        })
      ).json<{ b: number }>();
      expect(after[0].b).not.toBe(1234);
    });

    it('should use database and default_format from the URL', async () => {
      const res = await http('SELECT currentDatabase() AS db', {
        params: { database, default_format: 'JSONEachRow' },
      });
      expect(await res.json()).toEqual({ db: database });
    });

    it('should answer an unknown setting as ClickHouse does', async () => {
      const res = await http('SELECT 1', { params: { no_such_setting: '1' } });
      expect(res.status).toBe(404);
      expect(res.headers.get('x-clickhouse-exception-code')).toBe('115');
      expect(await res.text()).toMatch(
        /^Code: 115\. DB::Exception: Unknown setting 'no_such_setting'.*\(UNKNOWN_SETTING\)/,
      );
    });

    it('should stop a query at max_execution_time', async () => {
      await expect(
        client.query({
          query: 'SELECT count() FROM numbers_mt(1e13)',
          clickhouse_settings: { max_execution_time: 1 },
        }),
      ).rejects.toMatchObject({ code: '159', type: 'TIMEOUT_EXCEEDED' });
    });

    it('should only read over GET and refuse readonly=1 writes', async () => {
      const get = await http(`INSERT INTO ${table} (id) VALUES (99)`);
      expect(get.headers.get('x-clickhouse-exception-code')).toBe('164');
      expect(await get.text()).toContain('method GET implies readonly');
      await expect(
        client.command({
          query: `INSERT INTO events (id) VALUES (99)`,
          clickhouse_settings: { readonly: '1' },
        }),
      ).rejects.toMatchObject({ code: '164', type: 'READONLY' });
    });

    it('should hold the whole result back with wait_end_of_query=1', async () => {
      const res = await http('SELECT number FROM numbers(5)', {
        params: { wait_end_of_query: '1' },
      });
      expect(JSON.parse(res.headers.get('x-clickhouse-summary')!)).toMatchObject({
        result_rows: '5',
      });
      expect(await res.text()).toBe('0\n1\n2\n3\n4\n');
    });
  });

  describe('sessions', () => {
    it('should keep temporary tables and SET between requests of one session', async () => {
      const session = createClient({ url, session_id: `s-${randomUUID()}` });
      await session.command({ query: 'CREATE TEMPORARY TABLE tmp (id Int32, name String)' });
      await session.insert({
        table: 'tmp',
        values: [{ id: 42, name: 'foo' }],
        format: 'JSONEachRow',
      });
      await session.exec({ query: "INSERT INTO tmp VALUES (43, 'bar')" });
      await session.command({ query: 'SET max_block_size = 777' });
      expect(
        await (await session.query({ query: 'SELECT * FROM tmp ORDER BY id', format: 'JSONEachRow' })).json(),
      ).toEqual([
        { id: 42, name: 'foo' },
        { id: 43, name: 'bar' },
      ]);
      expect(
        await (
          await session.query({
            query: "SELECT getSetting('max_block_size') AS b",
            format: 'JSONEachRow',
          })
        ).json(),
      ).toEqual([{ b: 777 }]);
      // Another session, and no session, see neither.
      await expect(client.query({ query: 'SELECT * FROM tmp' })).rejects.toMatchObject({
        code: '60',
      });
      await session.close();
    });

    it('should refuse a second request while the session is busy, and a missing session with session_check', async () => {
      const sessionId = `s-${randomUUID()}`;
      const marker = randomUUID();
      const slow = http(`SELECT sleep(2), '${marker}'`, { params: { session_id: sessionId } });
      // Busy from the moment the server runs the first request's statement.
      await expect.poll(() => countRunningQueries(url, marker), { timeout: 10_000, interval: 20 }).toBe(1);
      const second = await http('SELECT 1', { params: { session_id: sessionId } });
      expect(second.headers.get('x-clickhouse-exception-code')).toBe('373');
      const first = await slow;
      expect(first.status).toBe(200);
      expect(await first.text()).toBe(`0\t${marker}\n`);
      const missing = await http('SELECT 1', {
        params: { session_id: `nope-${randomUUID()}`, session_check: '1' },
      });
      expect(missing.headers.get('x-clickhouse-exception-code')).toBe('372');
      const badTimeout = await http('SELECT 1', {
        params: { session_id: sessionId, session_timeout: 'abc' },
      });
      expect(badTimeout.headers.get('x-clickhouse-exception-code')).toBe('374');
    });
  });

  describe('compression', () => {
    it('should read gzip request bodies and send gzip responses through the client', async () => {
      const compressed = createClient({
        url,
        database,
        compression: { request: true, response: true },
      });
      await compressed.insert({
        table: 'events',
        values: [{ id: 30, name: 'gzip', tags: [], at: '2026-01-05 00:00:00' }],
        format: 'JSONEachRow',
      });
      const rows = await (
        await compressed.query({
          query: 'SELECT name FROM events WHERE id = 30',
          format: 'JSONEachRow',
        })
      ).json();
      expect(rows).toEqual([{ name: 'gzip' }]);
      await compressed.close();
    });

    it('should compress responses with gzip or deflate only when enable_http_compression=1', async () => {
      const gz = await http('SELECT number FROM numbers(3)', {
        params: { enable_http_compression: '1' },
        headers: { 'Accept-Encoding': 'gzip' },
      });
      expect(gz.headers.get('content-encoding')).toBe('gzip');
      // fetch decompresses gzip itself; the text is the plain result.
      expect(await gz.text()).toBe('0\n1\n2\n');
      const raw = await import('node:http');
      const deflated = await new Promise<{ encoding?: string; body: Buffer }>((resolve, reject) => {
        raw
          .get(
            `${url}/?query=SELECT%20number%20FROM%20numbers(3)&enable_http_compression=1`,
            { headers: { 'Accept-Encoding': 'deflate' } },
            (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
            },
          )
          .on('error', reject);
      });
      expect(deflated.encoding).toBe('deflate');
      expect(inflateSync(deflated.body).toString()).toBe('0\n1\n2\n');
      const plain = await http('SELECT 1', { headers: { 'Accept-Encoding': 'gzip' } });
      expect(plain.headers.get('content-encoding')).toBeNull();
    });

    it('should read deflate request bodies and refuse an unknown encoding', async () => {
      const deflate = await http(`INSERT INTO ${table} (id, name) FORMAT CSV`, {
        method: 'POST',
        body: deflateSync('31,deflate\n'),
        headers: { 'Content-Encoding': 'deflate' },
      });
      expect(deflate.status).toBe(200);
      const gzipQuery = await fetch(`${url}/`, {
        method: 'POST',
        body: gzipSync('SELECT 5'),
        headers: { 'Content-Encoding': 'gzip' },
      });
      expect(await gzipQuery.text()).toBe('5\n');
      const unknown = await http('SELECT 1', {
        method: 'POST',
        body: 'x',
        headers: { 'Content-Encoding': 'rot13' },
      });
      expect(unknown.status).toBe(501);
      expect(await unknown.text()).toMatch(/^Code: 48\. DB::Exception: Unknown compression method 'rot13'/);
      expect(gunzipSync(gzipSync('ok')).toString()).toBe('ok');
    });
  });

  describe('errors', () => {
    it('should report a failed query with its code, status and ClickHouse-shaped message', async () => {
      const res = await http('SELECT * FROM no_such_table');
      expect(res.status).toBe(404);
      expect(res.headers.get('x-clickhouse-exception-code')).toBe('60');
      expect(await res.text()).toMatch(
        /^Code: 60\. DB::Exception: .*no_such_table.*\(UNKNOWN_TABLE\) \(version [\d.]+\)\n$/,
      );
      const syntax = await http('SELECT (');
      expect(syntax.status).toBe(400);
      await expect(client.query({ query: 'SELECT (' })).rejects.toSatisfy(
        (e: unknown) => e instanceof ClickHouseError && e.code === '62' && e.type === 'SYNTAX_ERROR',
      );
      const multi = await fetch(`${url}/`, { method: 'POST', body: 'SELECT 1; SELECT 2' });
      expect(await multi.text()).toContain('Multi-statements are not allowed');
      const outfile = await fetch(`${url}/`, {
        method: 'POST',
        body: "SELECT 1 INTO OUTFILE '/tmp/x'",
      });
      expect(outfile.headers.get('x-clickhouse-exception-code')).toBe('358');
    });

    it('should report an error that happens after rows were sent, in the stream', async () => {
      const rs = await client.query({
        query:
          "SELECT toInt32(number) AS n, throwIf(number = 10, 'boom') AS e, sleepEachRow(0.001) FROM system.numbers LIMIT 100",
        format: 'JSONEachRow',
        clickhouse_settings: { max_block_size: '1' },
      });
      let error: unknown;
      try {
        for await (const rows of rs.stream()) for (const row of rows) row.json();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ClickHouseError);
      expect((error as ClickHouseError).code).toBe('395');
      expect((error as ClickHouseError).message).toContain('boom: while executing');
    });

    it('should answer a wrong password with AUTHENTICATION_FAILED and keep serving', async () => {
      const intruder = createClient({ url, username: 'default', password: 'wrong' });
      await expect(intruder.query({ query: 'SELECT 1' })).rejects.toMatchObject({
        code: '516',
        type: 'AUTHENTICATION_FAILED',
      });
      await intruder.close();
      const mixed = await fetch(`${url}/?query=SELECT%201&user=default`, {
        headers: { 'X-ClickHouse-User': 'default' },
      });
      expect(mixed.headers.get('x-clickhouse-exception-code')).toBe('516');
      const viaHeaders = await fetch(`${url}/?query=SELECT%20currentUser()`, {
        headers: { 'X-ClickHouse-User': 'default', 'X-ClickHouse-Key': '' },
      });
      expect(viaHeaders.status).toBe(200);
      expect(await client.ping()).toEqual({ success: true });
    });
  });

  describe('streaming and cancellation', () => {
    it('should send the first rows before the query has finished', async () => {
      const started = Date.now();
      const res = await http('SELECT number, sleepEachRow(0.01) FROM numbers(100) SETTINGS max_block_size = 10');
      const reader = res.body!.getReader();
      const first = await reader.read();
      const firstAt = Date.now() - started;
      while (!(await reader.read()).done);
      const total = Date.now() - started;
      expect(first.value!.length).toBeGreaterThan(0);
      expect(firstAt).toBeLessThan(total / 2);
    });

    it('should answer a one-block result in one piece with its length and full summary', async () => {
      const res = await http('SELECT number FROM numbers(3) FORMAT JSONEachRow');
      const body = await res.text();
      expect(body).toBe('{"number":0}\n{"number":1}\n{"number":2}\n');
      expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(body)));
      expect(JSON.parse(res.headers.get('x-clickhouse-summary')!)).toMatchObject({ result_rows: '3' });
    });

    it('should take query parameters in a URL far longer than 16 KiB, as ClickHouse does up to 1 MiB', async () => {
      const ids = Array.from({ length: 2_000 }, (_, i) => `'00000000-0000-7000-8000-${String(i).padStart(12, '0')}'`);
      const res = await http('SELECT length({ids:Array(UUID)})', { params: { param_ids: `[${ids.join(',')}]` } });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('2000\n');
    });

    it('should answer a read bounded by a small LIMIT in one piece, however many blocks it reads', async () => {
      const res = await http(
        'SELECT number FROM numbers(100000) WHERE number % 7 = 0 LIMIT 2, 3 FORMAT JSONEachRow SETTINGS max_block_size = 10',
      );
      const body = await res.text();
      expect(body).toBe('{"number":14}\n{"number":21}\n{"number":28}\n');
      expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(body)));
      expect(res.headers.get('x-clickhouse-format')).toBe('JSONEachRow');
      const bound = await http('SELECT number FROM numbers(100000) LIMIT {n:UInt32} FORMAT JSONEachRow', {
        params: { param_n: '2' },
      });
      expect(await bound.text()).toBe('{"number":0}\n{"number":1}\n');
      expect(bound.headers.get('content-length')).toBe('26');
    });

    it('should report an error after the first rows of a LIMIT-bounded read in the stream, as ClickHouse does', async () => {
      const failing =
        "SELECT toInt32(number) AS n, throwIf(number = 10, 'boom') AS e FROM system.numbers LIMIT 100 FORMAT JSONEachRow SETTINGS max_block_size = 1";
      const res = await http(failing);
      const body = await res.text();
      expect(res.status).toBe(200);
      const [rows, exception] = body.split('__exception__');
      // How many rows precede the error depends on the engine's threads; each appears once, in order.
      const lines = rows.trim().split('\n');
      expect(lines.length).toBeGreaterThan(0);
      expect(lines).toEqual(lines.map((_, n) => `{"n":${n},"e":0}`));
      expect(lines.length).toBeLessThanOrEqual(10);
      expect(exception).toContain('boom');
      // Nothing of the failed read leaks into the next answer.
      expect(await (await http('SELECT 42 AS x FORMAT JSONEachRow')).text()).toBe('{"x":42}\n');
    });

    it('should stream a large result without holding it', async () => {
      const rs = await client.query({
        query: 'SELECT number, toString(number) AS s FROM numbers(2000000)',
        format: 'JSONCompactEachRow',
      });
      let rows = 0;
      for await (const batch of rs.stream()) rows += batch.length;
      expect(rows).toBe(2_000_000);
    });

    it('should cancel a query whose client went away', async () => {
      const marker = randomUUID();
      const controller = new AbortController();
      const pending = client
        .query({ query: `SELECT sleep(3), '${marker}'`, abort_signal: controller.signal })
        .catch((e: Error) => e);
      const running = async () =>
        (
          await (
            await client.query({
              query: `SELECT count() AS c FROM system.processes WHERE query LIKE '%${marker}%' AND query NOT LIKE '%system.processes%'`,
              format: 'JSONEachRow',
            })
          ).json<{ c: number }>()
        )[0].c;
      await expect.poll(running, { timeout: 2000, interval: 50 }).toBe(1);
      controller.abort();
      expect(await pending).toBeInstanceOf(Error);
      await expect.poll(running, { timeout: 2500, interval: 100 }).toBe(0);
    });

    it('should not store the rows of an insert whose client went away', async () => {
      const row = (i: number) => ({ id: 100 + i, name: 'abort', tags: [], at: '2026-01-06 00:00:00' });
      // Four inserts that complete, then one abandoned while the engine reads its rows.
      for (const i of [1, 2, 3, 5]) await client.insert({ table: 'events', values: [row(i)], format: 'JSONEachRow' });
      const controller = new AbortController();
      let pulled = false;
      const stream = new Readable({
        objectMode: true,
        read() {
          pulled = true;
        },
      });
      stream.push(row(4));
      const abandoned = client
        .insert({ table: 'events', values: stream, format: 'JSONEachRow', abort_signal: controller.signal })
        .catch((error: Error) => error);
      // The server's /metrics answers without an engine connection (system.processes would need one,
      // and an open insert holds one): wait until an insert streams into the engine and ours is uploading.
      const streamingInserts = async () =>
        Number(/^chdb_inserts_streaming\S* (\d+)/m.exec(await (await fetch(`${url}/metrics`)).text())?.[1] ?? -1);
      try {
        await expect.poll(async () => pulled && (await streamingInserts()) >= 1, { timeout: 30_000 }).toBe(true);
      } finally {
        // Even when the wait failed: an insert left open would hold an engine connection for good.
        controller.abort();
        stream.push(null);
      }
      expect(await abandoned).toBeInstanceOf(Error);
      const ids = await (
        await client.query({
          query: "SELECT id FROM events WHERE name = 'abort' ORDER BY id",
          format: 'JSONCompactEachRow',
        })
      ).json();
      expect(ids).toEqual([[101], [102], [103], [105]]);
    });
  });

  describe('concurrency', () => {
    it('should run concurrent queries together, a slow one stalling none of the others', async () => {
      const started = Date.now();
      const sleeps = Array.from({ length: 4 }, () =>
        client.query({ query: 'SELECT sleep(0.5)', format: 'CSV' }).then((r) => r.text()),
      );
      const slow = client.query({ query: 'SELECT sleep(2)', format: 'CSV' }).then((r) => r.text());
      const quick = Array.from({ length: 20 }, (_, i) =>
        client.query({ query: `SELECT ${i}`, format: 'CSV' }).then((r) => r.text()),
      );
      expect(await Promise.all(quick)).toEqual(quick.map((_, i) => `${i}\n`));
      const quickDone = Date.now() - started;
      await Promise.all(sleeps);
      const sleepsDone = Date.now() - started;
      await slow;
      expect(quickDone).toBeLessThan(1000);
      expect(sleepsDone).toBeLessThan(1500);
    });

    it('should let concurrent inserts from many connections all land', async () => {
      await client.command({
        query: 'CREATE TABLE parallel (writer UInt8, n UInt32) ENGINE = MergeTree ORDER BY (writer, n)',
      });
      const writers = Array.from({ length: 6 }, () => createClient({ url, database }));
      await Promise.all(
        writers.map(async (writer, w) => {
          for (let batch = 0; batch < 5; batch++) {
            await writer.insert({
              table: 'parallel',
              values: Array.from({ length: 100 }, (_, i) => ({ writer: w, n: batch * 100 + i })),
              format: 'JSONEachRow',
            });
          }
        }),
      );
      await Promise.all(writers.map((w) => w.close()));
      const counts = await (
        await client.query({
          query: 'SELECT writer, count() AS c FROM parallel GROUP BY writer ORDER BY writer',
          format: 'JSONCompactEachRow',
        })
      ).json();
      expect(counts).toEqual(Array.from({ length: 6 }, (_, w) => [w, 500]));
    });
  });
});
