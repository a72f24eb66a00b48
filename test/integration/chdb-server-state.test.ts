import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChdbServerProcess, startChdbServer, stopChdbServer } from '@social-pulse/testing';

// A server of the tests' own with three users: admin and mallory may write, reader has the readonly profile.
// The pool is small so that a connection handed back is the one the next request gets.

const USERS = {
  admin: 'admin-secret',
  mallory: 'mallory-secret',
  reader: 'reader-secret',
} as const;
type UserName = keyof typeof USERS;

const REAL_ROWS = [
  { topic: 'real-a', score: 1 },
  { topic: 'real-b', score: 2 },
];

describe('chdb-server: read-only everywhere, no state across pooled connections', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chdb-state-'));
  let server: ChdbServerProcess;

  /** One request as `user`: GET when `method` says so, the SQL in the URL, extra URL parameters in `params`. */
  const send = (
    user: UserName,
    sql: string,
    init: { method?: 'GET' | 'POST'; params?: Record<string, string>; body?: BodyInit; headers?: HeadersInit } = {},
  ) => {
    const search = new URLSearchParams({ ...(sql ? { query: sql } : {}), ...init.params });
    return fetch(`${server.url}/?${search}`, {
      method: init.method ?? 'POST',
      body: init.body,
      headers: { 'X-ClickHouse-User': user, 'X-ClickHouse-Key': USERS[user], ...init.headers },
    });
  };

  const ok = async (res: Response) => {
    const text = await res.text();
    expect(res.status, text).toBe(200);
    return text;
  };

  /** The refusal as ClickHouse words it: the code in a header and the `Code: N. DB::Exception:` body. */
  const refused = async (res: Response, code: number, message?: RegExp) => {
    const text = await res.text();
    expect(res.status, text).not.toBe(200);
    expect(res.headers.get('x-clickhouse-exception-code')).toBe(String(code));
    expect(text).toMatch(new RegExp(`^Code: ${code}\\. DB::Exception: `));
    if (message) expect(text).toMatch(message);
  };

  const count = async () => Number(await ok(await send('admin', 'SELECT count() FROM t')));

  beforeAll(async () => {
    const usersFile = join(dir, 'users.json');
    writeFileSync(
      usersFile,
      JSON.stringify({
        users: {
          admin: { password: USERS.admin },
          mallory: { password: USERS.mallory },
          reader: { password: USERS.reader, profile: 'readonly' },
        },
      }),
    );
    server = await startChdbServer({ env: { CLICKHOUSE_USERS_FILE: usersFile, CHDB_POOL_SIZE: '2' } });
    await ok(await send('admin', 'CREATE TABLE t (x UInt8) ENGINE = MergeTree ORDER BY x'));
    await ok(await send('admin', 'INSERT INTO t VALUES (1)'));
    await ok(
      await send(
        'admin',
        'CREATE TABLE trending_topics (topic String, score UInt32) ENGINE = MergeTree ORDER BY topic',
      ),
    );
    await ok(await send('admin', "INSERT INTO trending_topics VALUES ('real-a', 1), ('real-b', 2)"));
  }, 60_000);

  afterAll(async () => {
    await stopChdbServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  describe('a readonly user', () => {
    it('should not write over POST, GET or multipart', async () => {
      await refused(await send('reader', 'INSERT INTO t VALUES (2)'), 164, /readonly mode/);
      await refused(await send('reader', 'INSERT INTO t VALUES (2)', { method: 'GET' }), 164, /readonly mode/);
      await refused(await send('reader', 'CREATE TABLE u (x UInt8) ENGINE = Memory', { method: 'GET' }), 164);
      const boundary = `b${randomUUID()}`;
      const form = [`--${boundary}`, 'Content-Disposition: form-data; name="query"', '', 'INSERT INTO t VALUES (3)'];
      await refused(
        await send('reader', '', {
          body: `${[...form, `--${boundary}--`, ''].join('\r\n')}`,
          headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
        }),
        164,
        /readonly mode/,
      );
      expect(await count()).toBe(1);
    });

    it('should not write inside a session, nor lift readonly there with SET', async () => {
      const params = { session_id: `reader-${randomUUID()}` };
      await refused(await send('reader', 'INSERT INTO t VALUES (4)', { params }), 164, /readonly mode/);
      await refused(await send('reader', 'SET readonly = 0', { params }), 164, /readonly/);
      await refused(await send('reader', 'INSERT INTO t VALUES (4)', { params }), 164);
      await refused(await send('reader', 'CREATE TEMPORARY TABLE tmp (x UInt8)', { params }), 164);
      await refused(await send('reader', 'INSERT INTO t VALUES (4)', { method: 'GET', params }), 164);
      // Reading in the session still works.
      expect(await ok(await send('reader', 'SELECT count() FROM t', { params }))).toBe('1\n');
      expect(await count()).toBe(1);
    });

    it('should be refused ?readonly=0 (and any other level), in or out of a session', async () => {
      const session = { session_id: `reader-${randomUUID()}` };
      for (const params of [{ readonly: '0' }, { readonly: '2' }, { readonly: '0', ...session }]) {
        await refused(
          await send('reader', 'INSERT INTO t VALUES (5)', { params }),
          164,
          /Cannot modify 'readonly' setting in readonly mode/,
        );
        await refused(await send('reader', 'SELECT 1', { method: 'GET', params }), 164, /Cannot modify 'readonly'/);
      }
      // Its own level is no change, and reads go on.
      expect(await ok(await send('reader', 'SELECT 1', { params: { readonly: '1' } }))).toBe('1\n');
      expect(await count()).toBe(1);
    });
  });

  describe('a session', () => {
    it("should make a GET read-only for that request only, not for the session's later POSTs", async () => {
      const params = { session_id: `admin-${randomUUID()}` };
      await ok(await send('admin', 'CREATE TEMPORARY TABLE tmp (x UInt8)', { params }));
      expect(await ok(await send('admin', 'SELECT count() FROM tmp', { method: 'GET', params }))).toBe('0\n');
      await refused(
        await send('admin', 'INSERT INTO tmp VALUES (1)', { method: 'GET', params }),
        164,
        /method GET implies readonly/,
      );
      await refused(await send('admin', 'WITH 1 AS y INSERT INTO tmp SELECT y', { method: 'GET', params }), 164);
      await refused(await send('admin', 'SET readonly = 0', { method: 'GET', params }), 164);
      // The temporary table is still there to read over GET, and the POSTs after it may write.
      expect(await ok(await send('admin', 'SELECT count() FROM tmp', { method: 'GET', params }))).toBe('0\n');
      expect(await ok(await send('admin', "SELECT getSetting('readonly')", { params }))).toBe('0\n');
      await ok(await send('admin', 'INSERT INTO tmp VALUES (1)', { params }));
      await ok(await send('admin', 'INSERT INTO t VALUES (7)', { params }));
      // A POST that asks for readonly=1 gets it for itself, and the next POST is free again.
      await refused(await send('admin', 'INSERT INTO tmp VALUES (2)', { params: { ...params, readonly: '1' } }), 164);
      await ok(await send('admin', 'INSERT INTO tmp VALUES (2)', { params }));
      expect(await ok(await send('admin', 'SELECT count() FROM tmp', { method: 'GET', params }))).toBe('2\n');
      await ok(await send('admin', 'ALTER TABLE t DELETE WHERE x = 7 SETTINGS mutations_sync = 1'));
    });

    it("should keep the URL's settings and database to their request, and its own SET and USE", async () => {
      const params = { session_id: `admin-${randomUUID()}` };
      const setting = (extra: Record<string, string> = {}) =>
        send('admin', "SELECT getSetting('max_block_size'), currentDatabase()", { params: { ...params, ...extra } });
      expect(await ok(await setting({ max_block_size: '1234', database: 'system' }))).toBe('1234\tsystem\n');
      expect(await ok(await setting())).toBe('65409\tdefault\n');
      await ok(await send('admin', 'SET max_block_size = 777', { params: { ...params, max_block_size: '1234' } }));
      expect(await ok(await setting())).toBe('777\tdefault\n');
      await ok(await send('admin', 'USE system', { params: { ...params, database: 'default' } }));
      expect(await ok(await setting({ max_block_size: '99' }))).toBe('99\tsystem\n');
      expect(await ok(await setting())).toBe('777\tsystem\n');
    });
  });

  describe('pooled connections', () => {
    const read = () =>
      send('reader', 'SELECT topic, score FROM trending_topics ORDER BY topic FORMAT JSONEachRow').then(ok);
    const realRows = `${REAL_ROWS.map((row) => JSON.stringify(row)).join('\n')}\n`;

    it.each([
      "CREATE OR REPLACE TEMPORARY TABLE trending_topics ENGINE = Memory AS SELECT 'leaked' AS topic, toUInt32(999) AS score",
      "CREATE TEMPORARY TABLE trending_topics ENGINE = Memory AS SELECT 'leaked' AS topic, toUInt32(999) AS score",
      'create /* hidden */ or replace temporary table trending_topics (topic String, score UInt32)',
      'SET limit = 1',
      'USE system',
    ])('should not show %j (outside a session) to 50 later requests of another user', async (attack) => {
      // On every connection of the pool at once, then 50 reads as another user, five at a time.
      for (const res of await Promise.all([1, 2, 3, 4].map(() => send('mallory', attack)))) await ok(res);
      expect(await ok(await send('mallory', 'SELECT 1'))).toBe('1\n');
      const seen: string[] = [];
      for (let batch = 0; batch < 10; batch++) seen.push(...(await Promise.all([1, 2, 3, 4, 5].map(read))));
      expect(seen).toHaveLength(50);
      expect(seen.filter((rows) => rows !== realRows)).toEqual([]);
    });
  });
});
