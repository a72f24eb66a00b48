import { createClickHouse } from '@social-pulse/clickhouse';
import { platform } from '@social-pulse/testing';

/**
 * Dashboard read latency: GET /v1/trending (answered from Redis) next to the same top-N query
 * sent straight to ClickHouse, in one run. Needs a running platform with trending data
 * (`npm start`, or `npx pulse up --detach` plus some events).
 *
 *   node -r @swc-node/register bench/api-latency.bench.ts [requests=500]
 */
const api = process.env.API_URL ?? platform.apiUrl;
const apiKey = process.env.API_KEY ?? 'pulse-dev-api-key';
const clickhouseUrl = platform.clickhouseUrl;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function time(requests: number, once: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 20; i++) await once(); // warm-up: connections, JIT
  const samples: number[] = [];
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    await once();
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b);
}

async function run(): Promise<void> {
  const requests = Number(process.argv[2] ?? 500);
  const clickhouse = createClickHouse({ url: clickhouseUrl }, 'bench');
  const viaApi = await time(requests, async () => {
    const res = await fetch(`${api}/v1/trending?window=1m&limit=20`, { headers: { 'x-api-key': apiKey } });
    if (!res.ok) throw new Error(`api answered ${res.status}`);
    await res.arrayBuffer();
  });
  const direct = await time(requests, async () => {
    const result = await clickhouse.query({
      query: `SELECT topic, mentions, score, rank, window_start, window_end FROM trending_topics FINAL
              WHERE window_size = {w:String} AND window_end = (SELECT max(window_end) FROM trending_topics WHERE window_size = {w:String})
              ORDER BY score DESC, topic LIMIT 20`,
      query_params: { w: '1m' },
      format: 'JSONEachRow',
    });
    await result.json();
  });
  await clickhouse.close();
  const row = (name: string, s: number[]) =>
    `${name.padEnd(34)} p50 ${percentile(s, 50).toFixed(2).padStart(7)} ms   p99 ${percentile(s, 99).toFixed(2).padStart(7)} ms`;
  console.log(`${requests} sequential requests each`);
  console.log(row('API /v1/trending (Redis hot tier)', viaApi));
  console.log(row('same query straight to ClickHouse', direct));
  console.log(
    `ratio API/ClickHouse  p50 ${(percentile(viaApi, 50) / percentile(direct, 50)).toFixed(2)}  p99 ${(percentile(viaApi, 99) / percentile(direct, 99)).toFixed(2)}`,
  );
  console.log(`API p99 against the 100 ms goal: ${(percentile(viaApi, 99) / 100).toFixed(2)}`);
}

run().catch((error) => {
  console.error(error);
  process.exit(1);
});
