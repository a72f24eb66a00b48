import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@social-pulse/pulse/testing';
import { type ChdbServerProcess, startChdbServer, stopChdbServer } from '@social-pulse/testing';

// Attacks on a chdb-server of the test's own: every way of reaching a file, a host or a program through SQL
// must be answered as ClickHouse answers a denied access (HTTP 403, code 497), and the secret must not leak.

const SECRET = `secret-${process.pid}-${Date.now()}`;
const dir = mkdtempSync(join(tmpdir(), 'chdb-access-'));
const secretFile = join(dir, 'secret.csv');
const outFile = join(dir, 'out.csv');
let server: ChdbServerProcess;

beforeAll(async () => {
  writeFileSync(secretFile, `${SECRET}\n`);
  server = await startChdbServer();
});
afterAll(async () => {
  await stopChdbServer(server);
  rmSync(dir, { recursive: true, force: true });
});

const post = (sql: string, search = '', init: RequestInit = {}) =>
  fetch(`${server.url}/?${search}`, { method: 'POST', body: sql, ...init });
const get = (sql: string, search = '') => fetch(`${server.url}/?query=${encodeURIComponent(sql)}&${search}`);

/** The response is ClickHouse's ACCESS_DENIED and holds nothing of the secret. */
async function expectDenied(response: Promise<Response>): Promise<void> {
  const res = await response;
  const body = await res.text();
  expect(body).not.toContain(SECRET);
  expect({ status: res.status, code: res.headers.get('x-clickhouse-exception-code') }).toEqual({
    status: 403,
    code: '497',
  });
  expect(body).toMatch(/^Code: 497\. DB::Exception: .*\(ACCESS_DENIED\) \(version [^)]+\)\n$/);
}

async function expectOk(response: Promise<Response>): Promise<string> {
  const res = await response;
  const body = await res.text();
  expect(res.status, body).toBe(200);
  return body;
}

describe('chdb-server refuses SQL that reaches outside the database', () => {
  it('should refuse the file() table function, on POST and on GET (readonly), however spelled', async () => {
    const path = secretFile;
    for (const sql of [
      `SELECT * FROM file('${path}', 'LineAsString')`,
      `SELECT * FROM FiLe('${path}', 'LineAsString')`,
      `SELECT * FROM file /* between */ ('${path}', 'LineAsString')`,
      `SELECT * FROM file -- line\n('${path}', 'LineAsString')`,
      `SELECT * FROM "file"('${path}', 'LineAsString')`,
      `SELECT * FROM \`file\`('${path}', 'LineAsString')`,
      `SELECT * FROM file\u00a0('${path}', 'LineAsString')`,
    ]) {
      await expectDenied(post(sql));
      await expectDenied(get(sql));
    }
  });

  it('should refuse file() in subqueries, WITH clauses, view() and as a scalar function', async () => {
    for (const sql of [
      `SELECT * FROM (SELECT * FROM file('${secretFile}', 'LineAsString'))`,
      `WITH s AS (SELECT * FROM file('${secretFile}', 'LineAsString')) SELECT * FROM s`,
      `SELECT * FROM view(SELECT * FROM file('${secretFile}', 'LineAsString'))`,
      `SELECT file('${secretFile}')`,
      `WITH file('${secretFile}') AS x SELECT x`,
      `SELECT * FROM numbers(1) WHERE toString(number) IN (SELECT * FROM file('${secretFile}', 'LineAsString'))`,
    ])
      await expectDenied(get(sql));
  });

  it('should refuse writing files: INSERT INTO FUNCTION, INTO OUTFILE settings and File tables', async () => {
    await expectDenied(post(`INSERT INTO FUNCTION file('${outFile}', 'CSV', 'x UInt8') SELECT 1`));
    await expectDenied(post(`INSERT INTO TABLE FUNCTION file('${outFile}', 'CSV', 'x UInt8') VALUES (1)`));
    await expectDenied(post(`CREATE TABLE f (x UInt8) ENGINE = File(CSV, '${outFile}')`));
    await expectDenied(post(`CREATE TABLE f (x UInt8) ENGINE = "File"(CSV)`));
    await expectDenied(post(`INSERT INTO \`${outFile}\` SELECT 1`));
    await expectDenied(post(`SELECT 1 FORMAT CapnProto SETTINGS output_format_schema = '${outFile}'`));
    expect(existsSync(outFile)).toBe(false);
  });

  it('should refuse tables that the default database would read from disk', async () => {
    await expectDenied(post(`SELECT * FROM '${secretFile}'`));
    await expectDenied(post(`SELECT * FROM \`${secretFile}\``));
    await expectDenied(post(`SELECT * FROM default."${secretFile}"`));
    await expectDenied(post(`SELECT * FROM \`${join(dir, 'secret.*')}\``));
    // Relative to the server's directory, and a bare name of a file there.
    await expectDenied(post(`SELECT * FROM \`${relative(repoRoot, secretFile)}\``));
    await expectDenied(post('SELECT * FROM Dockerfile'));
    await expectDenied(post('SELECT * FROM {t:Identifier}', `param_t=${encodeURIComponent(secretFile)}`));
    await expectDenied(post(`DESCRIBE \`${secretFile}\``));
  });

  it('should refuse other hosts, programs and outside storage', async () => {
    for (const sql of [
      "SELECT * FROM url('http://127.0.0.1:9/', 'LineAsString')",
      "SELECT * FROM s3('http://127.0.0.1:9/b/k.csv')",
      "SELECT * FROM remote('127.0.0.1:9', system.one)",
      "SELECT * FROM remoteSecure('127.0.0.1:9', system.one)",
      "SELECT * FROM cluster('default', system.one)",
      "SELECT * FROM mysql('127.0.0.1:9', 'd', 't', 'u', 'p')",
      "SELECT * FROM postgresql('127.0.0.1:9', 'd', 't', 'u', 'p')",
      `SELECT * FROM sqlite('${secretFile}', 't')`,
      "SELECT * FROM executable('cat /etc/hostname', 'LineAsString', 'x String')",
      `SELECT * FROM icebergLocal('${dir}')`,
      "SELECT * FROM input('x String')",
      "CREATE TABLE k (x UInt8) ENGINE = Kafka SETTINGS kafka_broker_list = '127.0.0.1:9', kafka_topic_list = 't', kafka_group_name = 'g', kafka_format = 'CSV'",
      "CREATE TABLE u (x String) ENGINE = URL('http://127.0.0.1:9/', LineAsString)",
      "CREATE TABLE e (x String) ENGINE = Executable('cat /etc/hostname', LineAsString)",
      `CREATE DATABASE fs ENGINE = Filesystem('${dir}')`,
      `CREATE TABLE d (x UInt8) ENGINE = MergeTree ORDER BY x SETTINGS disk = disk(type = local, path = '${dir}/disk/')`,
      `CREATE DICTIONARY dict (k UInt64, v String) PRIMARY KEY k SOURCE(FILE(path '${secretFile}' format 'CSV')) LAYOUT(FLAT()) LIFETIME(0)`,
      `BACKUP TABLE system.one TO File('${dir}/backup.zip')`,
    ])
      await expectDenied(post(sql));
  });

  it('should refuse the evasions that get past a plain token match', async () => {
    const path = secretFile;
    const hex = [...path].map((c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
    for (const sql of [
      // escapes in quoted names and strings
      `SELECT * FROM \`\\x66ile\`('${path}', 'LineAsString')`,
      `SELECT * FROM '${hex}'`,
      // a word that starts like a heredoc string but has no end (it is a name to ClickHouse)
      `WITH 1 AS $a$ SELECT * FROM file('${path}', 'LineAsString')`,
      `SELECT 0x1e-length(file('${path}'))`,
      // a from-first query inside view()
      `SELECT * FROM view(FROM \`${path}\` SELECT *)`,
      // SQL inside settings' strings
      `SELECT number FROM numbers(1) SETTINGS additional_result_filter = 'throwIf(1, file(''${path}''))'`,
      `SELECT * SETTINGS implicit_table_at_top_level = '${path}'`,
      // data that format() evaluates
      `SELECT * FROM format(Values, 's String', '(file(''${path}''))')`,
      // a dictionary that queries the file
      `CREATE DICTIONARY dq (line String) PRIMARY KEY line SOURCE(CLICKHOUSE(QUERY 'SELECT * FROM file(''${path}'', ''LineAsString'')')) LAYOUT(COMPLEX_KEY_HASHED()) LIFETIME(0)`,
      `CREATE DICTIONARY dt (line String) PRIMARY KEY line SOURCE(CLICKHOUSE(TABLE '${path}')) LAYOUT(COMPLEX_KEY_HASHED()) LIFETIME(0)`,
    ])
      await expectDenied(post(sql));
    await expectDenied(post('SELECT *', `implicit_table_at_top_level=${encodeURIComponent(path)}`));
    await expectDenied(
      post('SELECT 1', `additional_result_filter=${encodeURIComponent(`throwIf(1, file('${path}'))`)}`),
    );
  });

  it('should refuse a streamed Values insert that would evaluate file() in its data, and take one that cannot', async () => {
    await expectOk(post('CREATE TABLE vals (s String) ENGINE = Memory'));
    const insert = 'query=' + encodeURIComponent('INSERT INTO vals FORMAT Values');
    await expectDenied(post(`(file('${secretFile}'))`, insert));
    await expectDenied(post(`(file('${secretFile}'))`, `${insert}&input_format_values_interpret_expressions=0`));
    const off = '&input_format_values_interpret_expressions=0&input_format_values_deduce_templates_of_expressions=0';
    const evaluated = await post(`(file(toString('${secretFile}')))`, insert + off);
    expect(evaluated.status).not.toBe(200);
    expect(await evaluated.text()).not.toContain(SECRET);
    await expectOk(post("('plain')", insert + off));
    expect(await expectOk(get('SELECT * FROM vals'))).toBe('plain\n');
  });

  it('should refuse settings that name files or change the dialect, in the URL and in SET', async () => {
    await expectDenied(post('SELECT 1 FORMAT Template', `format_template_resultset=${encodeURIComponent(secretFile)}`));
    await expectDenied(post(`SELECT 1 FORMAT Template SETTINGS format_template_resultset = '${secretFile}'`));
    await expectDenied(post("SET dialect = 'kusto'", 'session_id=access-dialect'));
    await expectDenied(post('SELECT 1', 'dialect=prql'));
    // A parameter set in a session is out of sight of the check: an Identifier parameter must come with the request.
    await expectOk(post(`SET param_t = '${secretFile}'`, 'session_id=access-param'));
    await expectDenied(post('SELECT * FROM {t:Identifier}', 'session_id=access-param'));
  });

  it('should keep INTO OUTFILE and FROM INFILE refused as a ClickHouse server does', async () => {
    const outfile = await post(`SELECT 1 INTO OUTFILE '${outFile}'`);
    expect(outfile.headers.get('x-clickhouse-exception-code')).toBe('358');
    await outfile.text();
    const infile = await post(`INSERT INTO t FROM INFILE '${secretFile}' FORMAT CSV`);
    expect(infile.headers.get('x-clickhouse-exception-code')).not.toBeNull();
    expect(await infile.text()).not.toContain(SECRET);
    expect(existsSync(outFile)).toBe(false);
  });

  it("should still run what stays inside: the project's migration, inserts and reads", async () => {
    const migration = readFileSync(join(repoRoot, 'clickhouse/migrations/0001_trending_topics.sql'), 'utf8');
    for (const statement of migration.split(/;\s*(?:\n|$)/).filter((s) => s.replace(/--.*$/gm, '').trim()))
      await expectOk(post(statement));
    await expectOk(post('CREATE TABLE m (x UInt64, s String) ENGINE = MergeTree ORDER BY x'));
    await expectOk(
      post(
        '{"x":1,"s":"file(a)"}\n{"x":2,"s":"b"}\n',
        'query=' + encodeURIComponent('INSERT INTO m FORMAT JSONEachRow'),
      ),
    );
    await expectOk(post("INSERT INTO m SELECT number, 'n' FROM numbers(3, 2)"));
    expect(await expectOk(get('SELECT count(), sum(x) FROM m'))).toBe('4\t10\n');
    expect(await expectOk(get("SELECT count() FROM view(SELECT * FROM m) WHERE s = 'file(a)'"))).toBe('1\n');
    expect(await expectOk(get("SELECT * FROM values('a UInt8', 1, 2) FORMAT CSV"))).toBe('1\n2\n');
    expect(await expectOk(get('SELECT name, engine FROM system.tables WHERE name = {t:String}', 'param_t=m'))).toBe(
      'm\tMergeTree\n',
    );
    expect(await expectOk(get('SELECT * FROM {t:Identifier} ORDER BY x LIMIT 1', 'param_t=m'))).toBe('1\tfile(a)\n');
  });
});
