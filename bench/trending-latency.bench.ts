import { contentEvent, platform } from '@social-pulse/testing';

/**
 * Event-to-API latency of trending topics: posts probe events (each probe a fresh hashtag)
 * through the collector and polls the API until each hashtag shows in the 1-minute list.
 * Needs a running platform (`npx pulse up --detach`). Prints p50/p95 and their ratio to the
 * 5-second goal.
 *
 *   node -r @swc-node/register bench/trending-latency.bench.ts [probes=200] [concurrent=20]
 */
const collector = process.env.COLLECTOR_URL ?? platform.collectorUrl;
const api = process.env.API_URL ?? platform.apiUrl;
const writeKey = process.env.WRITE_KEY ?? 'pulse-dev-write-key';
const apiKey = process.env.API_KEY ?? 'pulse-dev-api-key';
const GOAL_MS = 5_000;
const TIMEOUT_MS = 60_000;
/**
 * The browser the probes say they come from, in each event's context.user_agent (the collector
 * prefers it to the request's). Node's fetch sends `node`, which the collector flags as a bot, and
 * the trending job leaves bot-flagged events out: without it no probe would ever trend.
 */
const DESKTOP_CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36';

/**
 * A 1-minute window holds the probes of several rounds, and the job keeps its top 50 topics:
 * each round's probes carry one mention more than the last round's, each from its own author
 * (the score weighs authors, so the mentions of one would be damped), so the newest outrank the
 * older ones still in the window and the figure measures latency, not ranking.
 */
/**
 * Authors per probe in the first round. The score ranks a new topic by ln(1 + W) × (W + 10) / 10:
 * a probe of 3 authors scores about 1.8 and loses its place in the top 50 to the demo's topics, so
 * the figure would measure ranking, not latency; 30 authors score about 13.7, above the demo's.
 */
const PROBE_AUTHORS = 30;

async function postProbe(hashtag: string, mentions: number): Promise<number> {
  const events = Array.from({ length: mentions }, (_, i) =>
    contentEvent({
      event_type: 'content.liked',
      user_id: `probe-${i}`,
      context: { user_agent: DESKTOP_CHROME },
      properties: { content_id: `probe-${hashtag}`, hashtags: [hashtag] },
    }),
  );
  const sentAt = Date.now();
  const res = await fetch(`${collector}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-write-key': writeKey },
    body: JSON.stringify({ sent_at: new Date().toISOString(), events }),
  });
  if (res.status !== 202) throw new Error(`collector answered ${res.status}`);
  return sentAt;
}

async function visibleTopics(): Promise<Set<string>> {
  const res = await fetch(`${api}/v1/trending?window=1m&limit=100`, { headers: { 'x-api-key': apiKey } });
  if (!res.ok) throw new Error(`api answered ${res.status}`);
  const answer = (await res.json()) as { data: { topics: { topic: string }[] } };
  return new Set(answer.data.topics.map((t) => t.topic));
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function run(): Promise<void> {
  const probes = Number(process.argv[2] ?? 200);
  const concurrent = Number(process.argv[3] ?? 20);
  const latencies: number[] = [];
  let lost = 0;
  const run = Date.now().toString(36);
  for (let round = 0; round * concurrent < probes; round++) {
    const pending = new Map<string, number>();
    const tags = Array.from(
      { length: Math.min(concurrent, probes - round * concurrent) },
      (_, i) => `probe${run}r${round}n${i}`,
    );
    for (const tag of tags) {
      pending.set(tag, await postProbe(tag, PROBE_AUTHORS + round));
      await new Promise((r) => setTimeout(r, 50)); // spread probes over the window slide
    }
    const deadline = Date.now() + TIMEOUT_MS;
    while (pending.size && Date.now() < deadline) {
      const topics = await visibleTopics();
      for (const [tag, sentAt] of pending) {
        if (topics.has(tag)) {
          latencies.push(Date.now() - sentAt);
          pending.delete(tag);
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    lost += pending.size;
    process.stdout.write(`round ${round + 1}: ${latencies.length} probes seen, ${lost} not seen\n`);
  }
  latencies.sort((a, b) => a - b);
  const p50 = percentile(latencies, 50);
  const p95 = percentile(latencies, 95);
  console.log(`\nprobes: ${latencies.length} seen, ${lost} not seen within ${TIMEOUT_MS / 1000} s`);
  console.log(`event-to-API latency  p50 ${p50} ms  p95 ${p95} ms  max ${latencies.at(-1)} ms`);
  console.log(
    `ratio to the ${GOAL_MS / 1000} s goal  p50 ${(p50 / GOAL_MS).toFixed(2)}  p95 ${(p95 / GOAL_MS).toFixed(2)}`,
  );
}

run().catch((error) => {
  console.error(error);
  process.exit(1);
});
