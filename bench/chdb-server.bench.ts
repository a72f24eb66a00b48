import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createClient } from '@clickhouse/client';
import { startChdbServer, stopChdbServer } from '@social-pulse/testing';
import { Session } from 'chdb';

/**
 * The chDB server against chDB in-process, on the same work: a small dashboard query repeated
 * and a 1,000,000-row JSONEachRow insert. Starts its own server (a free port, temporary data
 * directories) so it needs no running platform. Prints both figures and the overhead ratio.
 *
 *   node -r @swc-node/register bench/chdb-server.bench.ts [repeats=300] [rows=1000000]
 */
const repeats = Number(process.argv[2] ?? 300);
const insertRows = Number(process.argv[3] ?? 1_000_000);

const TABLE = `CREATE TABLE events (ts DateTime, user_id UInt32, topic LowCardinality(String), engagement Float32)
  ENGINE = MergeTree ORDER BY (topic, ts)`;
const SEED = `INSERT INTO events SELECT now() - number % 86400, number % 50000, concat('topic-', toString(number % 40)), (number % 100) / 10
  FROM numbers(1000000)`;
const DASHBOARD = `SELECT topic, count() AS events, uniq(user_id) AS users, round(avg(engagement), 2) AS engagement
  FROM events WHERE ts > now() - INTERVAL 1 HOUR GROUP BY topic ORDER BY events DESC LIMIT 10`;
const INSERT_TABLE =
  'CREATE TABLE ingest (id UInt64, user_id UInt32, topic String, engagement Float32, at DateTime) ENGINE = MergeTree ORDER BY id';

function payload(rows: number): Buffer {
  const parts: string[] = [];
  for (let i = 0; i < rows; i++) {
    parts.push(
      `{"id":${i},"user_id":${i % 50000},"topic":"topic-${i % 40}","engagement":${(i % 100) / 10},"at":"2026-01-01 00:00:00"}\n`,
    );
  }
  return Buffer.from(parts.join(''));
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timeRepeated(
  repeat: number,
  run: () => Promise<unknown>,
): Promise<{ medianMs: number; totalMs: number }> {
  for (let i = 0; i < 10; i++) await run(); // warm-up
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  return { medianMs: median(times), totalMs: performance.now() - started };
}

async function run(): Promise<void> {
  const localDir = mkdtempSync(join(tmpdir(), 'bench-chdb-local-'));
  const server = await startChdbServer();
  const client = createClient({ url: server.url, max_open_connections: 4 });
  const local = new Session(localDir);
  try {
    for (const sql of [TABLE, SEED, INSERT_TABLE]) {
      await client.command({ query: sql });
      await local.queryAsync(sql);
    }

    // 1. The dashboard query, one after another, result as JSONEachRow.
    const serverQuery = await timeRepeated(repeats, async () =>
      (await client.query({ query: DASHBOARD, format: 'JSONEachRow' })).json(),
    );
    // Both sides parse the rows, so the comparison includes the same JSON work.
    const localQuery = await timeRepeated(repeats, async () =>
      (await local.queryAsync(DASHBOARD, { format: 'JSONEachRow' }))
        .text()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    );

    // 2. One million JSONEachRow rows: over HTTP in 1 MiB chunks, in-process as one raw buffer.
    const body = payload(insertRows);
    let t = performance.now();
    const chunks = function* () {
      for (let offset = 0; offset < body.length; offset += 1 << 20) yield body.subarray(offset, offset + (1 << 20));
    };
    const { stream } = await client.exec({
      query: 'INSERT INTO ingest FORMAT JSONEachRow',
      values: Readable.from(chunks(), { objectMode: false }),
    });
    stream.resume();
    await new Promise((resolve) => stream.on('end', resolve));
    const serverInsertMs = performance.now() - t;
    t = performance.now();
    await local.insert({ table: 'ingest', values: body, format: 'JSONEachRow' });
    const localInsertMs = performance.now() - t;
    const [count] = await (
      await client.query({ query: 'SELECT count() AS c FROM ingest', format: 'JSONEachRow' })
    ).json<{ c: number }>();
    if (Number(count.c) !== insertRows) throw new Error(`server stored ${count.c} rows, expected ${insertRows}`);

    const rows = [
      ['work', 'chdb-server (HTTP)', 'chDB in-process', 'overhead'],
      [
        `dashboard query x${repeats} (median)`,
        `${serverQuery.medianMs.toFixed(2)} ms`,
        `${localQuery.medianMs.toFixed(2)} ms`,
        `${(serverQuery.medianMs / localQuery.medianMs).toFixed(2)}x`,
      ],
      [
        `dashboard query x${repeats} (total)`,
        `${(serverQuery.totalMs / 1000).toFixed(2)} s`,
        `${(localQuery.totalMs / 1000).toFixed(2)} s`,
        `${(serverQuery.totalMs / localQuery.totalMs).toFixed(2)}x`,
      ],
      [
        `insert ${insertRows.toLocaleString('en')} rows JSONEachRow (${(body.length / 2 ** 20).toFixed(0)} MiB)`,
        `${(serverInsertMs / 1000).toFixed(2)} s (${Math.round(insertRows / (serverInsertMs / 1000)).toLocaleString('en')} rows/s)`,
        `${(localInsertMs / 1000).toFixed(2)} s (${Math.round(insertRows / (localInsertMs / 1000)).toLocaleString('en')} rows/s)`,
        `${(serverInsertMs / localInsertMs).toFixed(2)}x`,
      ],
    ];
    const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
    for (const row of rows) process.stdout.write(`${row.map((cell, col) => cell.padEnd(widths[col])).join('  ')}\n`);
  } finally {
    await client.close();
    local.close();
    await stopChdbServer(server);
    rmSync(localDir, { recursive: true, force: true });
  }
}

run().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
