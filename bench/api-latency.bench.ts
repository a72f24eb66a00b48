import { loadApiConfig } from '@social-pulse/api/config';
import { platform } from '@social-pulse/testing';
import { ClickHouseRepository } from '@social-pulse/api/clickhouse-repository';

/**
 * Dashboard read latency: GET /v1/trending (answered from Redis) next to the same top-N query
 * sent straight to ClickHouse, in one run. The direct side is the API's own ClickHouseRepository
 * (its latestTrending: the latest window's generation of trending_topics), so it runs the query the
 * API runs on a cache miss, whatever that query becomes. Needs a running platform with trending data
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
  const clickhouse = new ClickHouseRepository(loadApiConfig({ CLICKHOUSE_URL: clickhouseUrl }));
  const first = await fetch(`${api}/v1/trending?window=1m&limit=20`, { headers: { 'x-api-key': apiKey } });
  if (!first.ok) throw new Error(`api answered ${first.status}`);
  const answer = (await first.json()) as { data?: { topics?: unknown[] } };
  if (!answer.data?.topics?.length) throw new Error('the API has no 1m trending topics yet: send some events first');
  const viaApi = await time(requests, async () => {
    const res = await fetch(`${api}/v1/trending?window=1m&limit=20`, { headers: { 'x-api-key': apiKey } });
    if (!res.ok) throw new Error(`api answered ${res.status}`);
    await res.arrayBuffer();
  });
  const direct = await time(requests, async () => {
    const rows = await clickhouse.latestTrending('1m', 20);
    if (rows.length === 0) throw new Error('trending_topics has no 1m window yet: send some events first');
  });
  await clickhouse.onModuleDestroy();
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
