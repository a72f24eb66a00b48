import { createClickHouse } from '@social-pulse/clickhouse';
import { BROWSER_USER_AGENT, platform, userEvent } from '@social-pulse/testing';

/**
 * Event-to-session latency: posts a page view of a new visitor through the collector and polls
 * ClickHouse's `sessions` until the visitor's session is there (the Session Analyzer's early firing,
 * then its exactly-once sink committing at the next checkpoint), one probe at a time, each after a
 * random pause. Prints p50,
 * p95 and max. Needs a running platform (`npm start`).
 *
 *   node -r @swc-node/register bench/session-latency.bench.ts [probes=30]
 */
const probes = Number(process.argv[2] ?? 30);
const collector = process.env.COLLECTOR_URL ?? platform.collectorUrl;
const writeKey = process.env.WRITE_KEY ?? 'pulse-dev-write-key';

async function probe(clickhouse: ReturnType<typeof createClickHouse>, userId: string): Promise<number> {
  const event = userEvent({
    user_id: userId,
    context: {
      page: { url: 'https://social.example/feed', path: '/feed', title: 'Feed' },
      user_agent: BROWSER_USER_AGENT,
    },
  });
  const started = performance.now();
  const res = await fetch(`${collector}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-write-key': writeKey },
    body: JSON.stringify({ sent_at: new Date().toISOString(), events: [event] }),
  });
  if (res.status !== 202) throw new Error(`collector answered ${res.status}`);
  for (;;) {
    const rows = await (
      await clickhouse.query({
        query: 'SELECT count() AS n FROM sessions WHERE user_id = {user:String}',
        query_params: { user: userId },
        format: 'JSONEachRow',
      })
    ).json<{ n: string }>();
    if (Number(rows[0].n) > 0) return performance.now() - started;
    if (performance.now() - started > 60_000) throw new Error(`no session for ${userId} after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function main(): Promise<void> {
  const clickhouse = createClickHouse({ url: platform.clickhouseUrl });
  const run = Date.now().toString(36);
  const samples: number[] = [];
  try {
    for (let i = 0; i < probes; i++) {
      // A random pause, so probes do not all start just after a checkpoint (a probe ends at one).
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5_000));
      samples.push(await probe(clickhouse, `latency-${run}-${i}`));
      process.stderr.write(`  probe ${i + 1}/${probes}: ${Math.round(samples.at(-1)!)} ms\r`);
    }
  } finally {
    await clickhouse.close();
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => Math.round(samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)]);
  process.stderr.write('\n');
  console.log(`event to session row, ${probes} probes: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
