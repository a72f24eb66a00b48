import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createClient } from '@clickhouse/client';
import { startChdbServer, stopChdbServer } from '@social-pulse/testing';
import { Session } from 'chdb';

/**
 * The chDB server against chDB in-process, on the same work: a small dashboard query repeated
 * and a 1,000,000-row JSONEachRow insert. Starts its own server (a free port, temporary data
 * directories) so it needs no running platform. Prints the figures and the overhead ratios.
 *
 * The dashboard query ends in a LIMIT, as the API's do, so the server runs it whole rather than
 * streamed (see query-execute.ts). It goes to the server two ways, rows parsed the same way on every side:
 * - plain keep-alive HTTP (node:http): the server's own overhead, what any HTTP client pays;
 * - @clickhouse/client, what the apps use. It adds a cost of its own on every request: it awaits
 *   `sleep(0)` (a 1 ms timer, socket_pool.js) before sending and pipes the body and answer
 *   through streams, so its row shows the server and the client together.
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

/** One POST on a keep-alive connection; the answer's text, or an error with ClickHouse's message. */
function postQuery(agent: Agent, url: string, sql: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode === 200) resolve(text);
        else reject(new Error(text));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(sql);
  });
}

const parseRows = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

interface Timing {
  medianMs: number;
  totalMs: number;
}

/**
 * Runs each side `repeat` times, taking turns (one of each, then again), so that whatever else
 * the machine does falls on every side alike.
 */
async function timeInTurns(repeat: number, sides: Array<() => Promise<unknown>>): Promise<Timing[]> {
  for (let i = 0; i < 10; i++) for (const side of sides) await side(); // warm-up
  const times = sides.map(() => [] as number[]);
  for (let i = 0; i < repeat; i++) {
    for (const [index, side] of sides.entries()) {
      const t = performance.now();
      await side();
      times[index].push(performance.now() - t);
    }
  }
  return times.map((list) => ({ medianMs: median(list), totalMs: list.reduce((a, b) => a + b, 0) }));
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

    // 1. The dashboard query, one after another, result as JSONEachRow; every side parses the rows.
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const [httpQuery, clientQuery, localQuery] = await timeInTurns(repeats, [
      async () => parseRows(await postQuery(agent, server.url, `${DASHBOARD}\nFORMAT JSONEachRow`)),
      async () => (await client.query({ query: DASHBOARD, format: 'JSONEachRow' })).json(),
      async () => parseRows((await local.queryAsync(DASHBOARD, { format: 'JSONEachRow' })).text()),
    ]);
    agent.destroy();

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

    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
    const rows = [
      ['work', 'chdb-server', 'chDB in-process', 'overhead'],
      [
        `dashboard query x${repeats}, node:http (median)`,
        `${httpQuery.medianMs.toFixed(2)} ms`,
        `${localQuery.medianMs.toFixed(2)} ms`,
        ratio(httpQuery.medianMs, localQuery.medianMs),
      ],
      [
        `dashboard query x${repeats}, @clickhouse/client (median)`,
        `${clientQuery.medianMs.toFixed(2)} ms`,
        `${localQuery.medianMs.toFixed(2)} ms`,
        ratio(clientQuery.medianMs, localQuery.medianMs),
      ],
      [
        `dashboard query x${repeats}, node:http (total)`,
        `${(httpQuery.totalMs / 1000).toFixed(2)} s`,
        `${(localQuery.totalMs / 1000).toFixed(2)} s`,
        ratio(httpQuery.totalMs, localQuery.totalMs),
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
