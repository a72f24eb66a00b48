import { Agent, request } from 'node:http';
import { liveEngagementKey, trendingKey } from '@social-pulse/api/redis-repository';
import { createClickHouse } from '@social-pulse/clickhouse';
import { platform } from '@social-pulse/testing';
import Redis from 'ioredis';

/**
 * Dashboard API latency under concurrent clients, per endpoint (trending, engagement, ads): hot (answered from Redis) and
 * cold (a Redis miss, computed from ClickHouse). Each answer says where it came from (`source`), so
 * every sample is counted as what it was, not what it was meant to be. Cold requests use a key of their
 * own each (a series' from, the campaigns' range, the journey's to moved by one period or millisecond:
 * the same work on the same data); the live answer has one key, deleted before each cold request
 * (concurrent misses then share one ClickHouse query, as they do in production), and so does each trending
 * horizon's (the refresh workflows rewrite it within a second, so some "cold" samples count as hot). The ads rows measure
 * little until the ad performance job writes its facts. Needs a running API with its Redis and
 * ClickHouse, ideally with traffic (`npm start`); API_URL, API_KEY, REDIS_URL and CLICKHOUSE_URL
 * point it elsewhere, USER_ID picks the journey's user (default: the user of the latest session).
 * API_KEY must be an admin key (the journey is per-user data), and the API's per-key rate limit must
 * allow the load: start it with API_KEY_RATE_LIMIT and API_KEY_RATE_BURST raised (README, Benchmarks).
 *
 *   node -r @swc-node/register bench/dashboard-api.bench.ts [requests=400] [concurrency=20]
 */
const requests = Number(process.argv[2] ?? 400);
const concurrency = Number(process.argv[3] ?? 20);
const api = process.env.API_URL ?? platform.apiUrl;
const apiKey = process.env.API_KEY ?? 'pulse-dev-admin-key';
const redisUrl = process.env.REDIS_URL ?? platform.redisUrl;
const HOT_GOAL_MS = 10;
const COLD_GOAL_MS = 100;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface Endpoint {
  name: string;
  hot: string;
  /** The i-th cold request: a URL whose cache key no other request uses, or the hot URL after `prepare`. */
  cold: (i: number) => string;
  prepare?: () => Promise<unknown>;
}

interface Sample {
  ms: number;
  source: 'redis' | 'clickhouse';
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/**
 * One keep-alive connection per client, through node:http: fetch costs the load generator several
 * times more CPU per request, and on a machine it shares with the API that cost shows as latency.
 */
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

/** GET `path`: its status and body. */
function httpGet(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${api}${path}`, { agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function get(path: string): Promise<Sample> {
  const started = performance.now();
  const res = await httpGet(path, { 'x-api-key': apiKey });
  const ms = performance.now() - started;
  const body = JSON.parse(res.body) as { source?: Sample['source']; detail?: string };
  if (res.status !== 200 || !body.source) throw new Error(`${path}: ${res.status} ${body.detail ?? ''}`);
  return { ms, source: body.source };
}

/**
 * The floor: GET /health, which does no work (no guard, no Redis), under the same load from the
 * same client. What an endpoint costs beyond it is its own; what the floor costs is the HTTP stack,
 * the client and the machine.
 */
async function floor(): Promise<number[]> {
  const health = async (): Promise<Sample> => {
    const started = performance.now();
    const res = await httpGet('/health');
    if (res.status !== 200) throw new Error(`/health: ${res.status}`);
    return { ms: performance.now() - started, source: 'redis' };
  };
  for (let i = 0; i < 20; i++) await health();
  return (await load(requests, health)).map((s) => s.ms).sort((a, b) => a - b);
}

/** `count` requests from `concurrency` clients, each taking the next index until none are left. */
async function load(count: number, request: (i: number) => Promise<Sample>): Promise<Sample[]> {
  const samples: Sample[] = [];
  let next = 0;
  const client = async () => {
    while (next < count) samples.push(await request(next++));
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return samples;
}

/** The user of the latest session, for a journey that has sessions to list. */
async function latestUser(): Promise<string> {
  if (process.env.USER_ID) return process.env.USER_ID;
  const clickhouse = createClickHouse({ url: platform.clickhouseUrl });
  try {
    const rows = await (
      await clickhouse.query({
        query:
          'SELECT user_id FROM sessions WHERE session_start > now() - INTERVAL 1 DAY ORDER BY session_start DESC LIMIT 1',
        format: 'JSONEachRow',
      })
    ).json<{ user_id: string }>();
    if (rows[0]) return rows[0].user_id;
  } finally {
    await clickhouse.close();
  }
  console.warn('no session in the last day: the journey is measured for a user without sessions');
  return 'bench-user';
}

function endpoints(user: string, redis: Redis): Endpoint[] {
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  // The cold summaries reach one period further back each: about as many points, a distinct key
  // (700 at most: an hour series may span 31 days).
  const series = (name: string, path: string, interval: string, span: number, period: number): Endpoint => ({
    name: `${name} ${interval} (${span / period} points)`,
    hot: `${path}?interval=${interval}&from=${iso(now - span)}&to=${iso(now)}`,
    cold: (i) => `${path}?interval=${interval}&from=${iso(now - span - ((i % 700) + 1) * period)}&to=${iso(now)}`,
  });
  const summary = (interval: string, span: number, period: number) =>
    series('summary', '/v1/engagement/summary', interval, span, period);
  const journey = `/v1/users/${encodeURIComponent(user)}/sessions`;
  const trending = (window: '1m' | '5m' | '15m'): Endpoint => ({
    name: `trending ${window}`,
    hot: `/v1/trending?window=${window}`,
    cold: () => `/v1/trending?window=${window}`,
    prepare: () => redis.del(trendingKey(window)),
  });
  return [
    trending('1m'),
    trending('5m'),
    trending('15m'),
    summary('minute', HOUR, MINUTE),
    summary('hour', DAY, HOUR),
    summary('day', 30 * DAY, DAY),
    {
      name: 'live',
      hot: '/v1/engagement/live',
      cold: () => '/v1/engagement/live',
      prepare: () => redis.del(liveEngagementKey()),
    },
    {
      name: 'user sessions (7 days)',
      hot: `${journey}?from=${iso(now - 7 * DAY)}&to=${iso(now + MINUTE)}`,
      cold: (i) => `${journey}?from=${iso(now - 7 * DAY)}&to=${iso(now + MINUTE + i + 1)}`,
    },
    series('ads performance', '/v1/ads/performance', 'minute', HOUR, MINUTE),
    series('ads performance', '/v1/ads/performance', 'hour', DAY, HOUR),
    {
      // 24 hours read from the hour facts; cold ranges move back an hour each, the span unchanged.
      name: 'ads campaigns (24 hours)',
      hot: `/v1/ads/campaigns?from=${iso(now - DAY)}&to=${iso(now)}`,
      cold: (i) =>
        `/v1/ads/campaigns?from=${iso(now - DAY - ((i % 700) + 1) * HOUR)}&to=${iso(now - ((i % 700) + 1) * HOUR)}`,
    },
  ];
}

async function run(): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  const user = await latestUser();
  const row = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(36) : c.padStart(14))).join('');
  const ms = (value: number) => (Number.isNaN(value) ? '-' : `${value.toFixed(1)} ms`);
  console.log(`${requests} requests per endpoint and tier, ${concurrency} concurrent clients, ${api}`);
  console.log(row(['endpoint', 'hot p50', 'hot p99', 'cold p50', 'cold p99', 'hot/cold n', 'hot p99/floor']));
  let met = true;
  try {
    const base = await floor();
    console.log(row(['floor: GET /health', ms(percentile(base, 50)), ms(percentile(base, 99)), '', '', '', '1.00x']));
    for (const endpoint of endpoints(user, redis)) {
      for (let i = 0; i < 20; i++) await get(endpoint.hot); // warm-up: connections, JIT, the hot key
      const hot = await load(requests, () => get(endpoint.hot));
      const cold = await load(requests, async (i) => {
        await endpoint.prepare?.();
        return get(endpoint.cold(i));
      });
      const of = (samples: Sample[], source: Sample['source']) =>
        samples
          .filter((s) => s.source === source)
          .map((s) => s.ms)
          .sort((a, b) => a - b);
      const [hits, misses] = [of([...hot, ...cold], 'redis'), of([...hot, ...cold], 'clickhouse')];
      met &&= percentile(hits, 99) <= HOT_GOAL_MS && percentile(misses, 99) <= COLD_GOAL_MS;
      console.log(
        row([
          endpoint.name,
          ms(percentile(hits, 50)),
          ms(percentile(hits, 99)),
          ms(percentile(misses, 50)),
          ms(percentile(misses, 99)),
          `${hits.length}/${misses.length}`,
          `${(percentile(hits, 99) / percentile(base, 99)).toFixed(2)}x`,
        ]),
      );
    }
  } finally {
    redis.disconnect();
    agent.destroy();
  }
  console.log(`goal: hot p99 <= ${HOT_GOAL_MS} ms, cold p99 <= ${COLD_GOAL_MS} ms: ${met ? 'met' : 'NOT met'}`);
}

run().catch((error) => {
  console.error(error);
  process.exit(1);
});
