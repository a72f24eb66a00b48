import { adEvent, BROWSER_USER_AGENT, platform } from '@social-pulse/testing';

/**
 * Event-to-dashboard latency of ad performance: posts an impression, a click or a conversion (in
 * turn) of a new campaign through the collector and polls the API's minute series for that campaign
 * every 100 ms, as a live dashboard would, until the event is counted: the Ad Performance
 * Calculator's watermark, its flush (early results), its exactly-once sink committing at the next
 * checkpoint, and the API's 1-second minute cache. One probe at a time, each after a random pause.
 * Prints p50, p95 and max per kind and overall. Needs a running platform (`npm start`).
 *
 *   node -r @swc-node/register bench/ads-latency.bench.ts [probes=30]
 */
const probes = Number(process.argv[2] ?? 30);
const writeKey = process.env.WRITE_KEY ?? 'pulse-dev-write-key';
const apiKey = process.env.API_KEY ?? 'pulse-dev-api-key';
const KINDS = ['ad.impression', 'ad.click', 'ad.conversion'] as const;
type Kind = (typeof KINDS)[number];
const MEASURE: Record<Kind, 'impressions' | 'clicks' | 'unattributed_conversions'> = {
  'ad.impression': 'impressions',
  'ad.click': 'clicks',
  // A conversion with no click before it counts as unattributed, at once.
  'ad.conversion': 'unattributed_conversions',
};

async function counted(campaignId: string, kind: Kind): Promise<number> {
  const query = new URLSearchParams({ interval: 'minute', campaign_id: campaignId });
  const res = await fetch(`${platform.apiUrl}/v1/ads/performance?${query}`, { headers: { 'x-api-key': apiKey } });
  if (res.status !== 200) throw new Error(`the API answered ${res.status}`);
  const answer = (await res.json()) as { data: { points: Record<string, number>[] } };
  return answer.data.points.reduce((sum, point) => sum + point[MEASURE[kind]], 0);
}

async function probe(campaignId: string, kind: Kind): Promise<number> {
  const event = adEvent({
    event_type: kind,
    user_id: `latency-${campaignId}`,
    context: { user_agent: BROWSER_USER_AGENT },
    properties: {
      campaign_id: campaignId,
      ad_id: 'ad-latency',
      currency: 'USD',
      ...(kind === 'ad.impression' ? { impression_id: `${campaignId}-imp`, cost_micros: 2_000 } : {}),
      ...(kind === 'ad.click' ? { impression_id: `${campaignId}-imp`, click_id: `${campaignId}-clk` } : {}),
      ...(kind === 'ad.conversion' ? { click_id: `${campaignId}-clk`, revenue_micros: 1_000_000 } : {}),
    },
  });
  const started = performance.now();
  const res = await fetch(`${platform.collectorUrl}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-write-key': writeKey },
    body: JSON.stringify({ sent_at: new Date().toISOString(), events: [event] }),
  });
  if (res.status !== 202) throw new Error(`collector answered ${res.status}`);
  for (;;) {
    if ((await counted(campaignId, kind)) > 0) return performance.now() - started;
    if (performance.now() - started > 60_000) throw new Error(`${kind} of ${campaignId} not counted after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const percentiles = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]);
  return `p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms`;
};

async function main(): Promise<void> {
  const run = Date.now().toString(36);
  const samples: Record<Kind, number[]> = { 'ad.impression': [], 'ad.click': [], 'ad.conversion': [] };
  for (let i = 0; i < probes; i++) {
    // A random pause, so probes do not all start just after a checkpoint (a probe ends at one).
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5_000));
    const kind = KINDS[i % KINDS.length];
    samples[kind].push(await probe(`latency-${run}-${i}`, kind));
    process.stderr.write(`  probe ${i + 1}/${probes} (${kind}): ${Math.round(samples[kind].at(-1)!)} ms\r`);
  }
  process.stderr.write('\n');
  for (const kind of KINDS)
    console.log(`${kind} to the API, ${samples[kind].length} probes: ${percentiles(samples[kind])}`);
  console.log(`any ad event to the API, ${probes} probes: ${percentiles(Object.values(samples).flat())}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
