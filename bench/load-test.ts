import { parseArgs } from 'node:util';
import { createClickHouse } from '@social-pulse/clickhouse';
import { readState, stateDir } from '@social-pulse/pulse/testing';
import { FLINK_JOBS } from '@social-pulse/shared';
import {
  BROWSER_USER_AGENT,
  adEvent,
  contentEvent,
  platform,
  userEvent,
  type EventFixture,
} from '@social-pulse/testing';

const HELP = `The platform under load: the three event families through the collector at a stated rate for N
minutes, while the canary measures end-to-end latency and a dashboard-like reader measures the API.
Prints events/s accepted, e2e latency p50/p95/p99 per feature, the largest consumer lag, API p99 per
endpoint, the alerts that fired, events lost or doubled (every acknowledged id reconciled against
ClickHouse's archive), and the tuning figures: each job's chains, parallelism, busy time and checkpoints,
and with --kill-taskmanager-at the recovery from a killed TaskManager.

Needs a running platform whose collector lets one client send this much (the limits are per IP and key):
  COLLECTOR_IP_RATE_LIMIT=100000 COLLECTOR_KEY_RATE_LIMIT=100000 npx pulse up --detach

  node -r @swc-node/register bench/load-test.ts [options]

  --rate N                 events per second to offer (default 5000)
  --minutes N              how long (default 10)
  --batch N                events per request (default 200)
  --senders N              requests in flight at once (default 16)
  --readers N              dashboard readers, each a request every 250 ms (default 4)
  --kill-taskmanager-at S  SIGKILL flink-taskmanager-1 S seconds in, and time the recovery
  --help                   this text`;

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '5000' },
    minutes: { type: 'string', default: '10' },
    batch: { type: 'string', default: '200' },
    senders: { type: 'string', default: '16' },
    readers: { type: 'string', default: '4' },
    'kill-taskmanager-at': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(HELP);
  process.exit(0);
}
const positive = (name: keyof typeof args) => {
  const value = Number(args[name]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, got ${args[name]}`);
  return value;
};
const RATE = positive('rate');
const DURATION_MS = positive('minutes') * 60_000;
const BATCH = positive('batch');
const SENDERS = positive('senders');
const READERS = positive('readers');
const KILL_AT_MS = args['kill-taskmanager-at'] === undefined ? undefined : positive('kill-taskmanager-at') * 1000;

const WRITE_KEY = process.env.WRITE_KEY ?? 'pulse-dev-write-key';
const API_KEY = process.env.API_KEY ?? 'pulse-dev-api-key';
const RUN = `load-${Date.now().toString(36)}`;
const USERS = 20_000;
const TOPICS = 300;
const CAMPAIGNS = 40;

// ---------------------------------------------------------------------------------------------
// Events: a mix like the demo's, every user id marked with the run so the reconcile finds them.
// ---------------------------------------------------------------------------------------------

/** Zipf-like pick: a few topics, users and campaigns are popular, most are not (as in real traffic). */
const skewed = (n: number) => Math.floor(n * Math.random() ** 3);

function nextEvent(): EventFixture {
  const user = `${RUN}-u${skewed(USERS)}`;
  const context = { user_agent: BROWSER_USER_AGENT };
  const roll = Math.random();
  if (roll < 0.5)
    return userEvent({
      user_id: user,
      session_id: `${user}-s`,
      context: { ...context, page: { url: 'https://social.example/feed', path: '/feed', title: 'Feed' } },
    });
  if (roll < 0.8)
    return contentEvent({
      user_id: user,
      context,
      event_type: Math.random() < 0.1 ? 'content.post_created' : 'content.liked',
      properties: { content_id: `${RUN}-c${skewed(50_000)}`, hashtags: [`t${skewed(TOPICS)}`] },
    });
  const campaign = skewed(CAMPAIGNS);
  return adEvent({
    user_id: user,
    context,
    event_type: Math.random() < 0.03 ? ('ad.click' as const) : ('ad.impression' as const),
    properties: {
      campaign_id: `${RUN}-k${campaign}`,
      ad_id: `ad-${campaign}-${skewed(4)}`,
      cost_micros: 1_500,
      currency: 'USD',
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Sending: paced to the rate; a batch refused for want of capacity (503, a lost connection) is
// sent again, as the SDK does (event ids make that safe); what the collector rejects is counted.
// ---------------------------------------------------------------------------------------------

const acknowledged: string[] = [];
const outcomes = new Map<string, number>();
const count = (outcome: string, n = 1) => outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + n);
let generated = 0;
let largestQueueEvents = 0;

async function postBatch(events: EventFixture[]): Promise<void> {
  for (let attempt = 1; attempt <= 5; attempt++) {
    const res = await fetch(`${platform.collectorUrl}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-write-key': WRITE_KEY },
      body: JSON.stringify({ sent_at: new Date().toISOString(), events }),
    }).catch((error: Error) => {
      count(`connection error (${error.message})`);
      return null;
    });
    if (res?.status === 202) {
      const body = (await res.json()) as { accepted: number; rejected: { index: number; reason: string }[] };
      const rejected = new Set(body.rejected.map((r) => r.index));
      events.forEach((event, index) => rejected.has(index) || acknowledged.push(event.event_id));
      for (const { reason } of body.rejected.slice(0, 3)) count(`rejected: ${reason}`);
      count('events accepted', events.length - rejected.size);
      if (rejected.size > 0) count('events rejected', rejected.size);
      return;
    }
    if (res) {
      count(`HTTP ${res.status}`);
      await res.arrayBuffer();
      if (res.status !== 503 && res.status !== 429) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
  }
  count('batches given up after 5 attempts');
}

async function send(until: number): Promise<void> {
  const started = Date.now();
  const queue: EventFixture[][] = [];
  let producing = true;
  const pace = setInterval(() => {
    if (Date.now() >= until) {
      producing = false;
      clearInterval(pace);
      return;
    }
    const due = Math.floor((RATE * (Date.now() - started)) / 1000) - generated;
    for (let n = due; n > 0; n -= BATCH) queue.push(Array.from({ length: Math.min(BATCH, n) }, nextEvent));
    generated += Math.max(0, due);
    largestQueueEvents = Math.max(largestQueueEvents, queue.length * BATCH);
  }, 50);
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      while (producing || queue.length > 0) {
        const batch = queue.shift();
        if (batch) await postBatch(batch);
        else await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Reading: what open dashboards ask, timed per endpoint from the client's side.
// ---------------------------------------------------------------------------------------------

const DASHBOARD_READS = [
  '/v1/trending?window=1m&limit=20',
  '/v1/trending?window=5m&limit=20',
  '/v1/trending?window=15m&limit=20',
  '/v1/engagement/live',
  '/v1/engagement/summary?interval=minute',
  '/v1/engagement/summary?interval=hour&group_by=device',
  '/v1/ads/performance?interval=minute',
  '/v1/ads/campaigns',
];
const readTimes = new Map<string, number[]>();
const readFailures = new Map<string, number>();

async function read(until: number): Promise<void> {
  await Promise.all(
    Array.from({ length: READERS }, async (_, reader) => {
      for (let i = reader; Date.now() < until; i++) {
        const path = DASHBOARD_READS[i % DASHBOARD_READS.length];
        const started = performance.now();
        const res = await fetch(`${platform.apiUrl}${path}`, { headers: { 'x-api-key': API_KEY } }).catch(() => null);
        await res?.arrayBuffer();
        if (res?.ok)
          readTimes
            .set(path, readTimes.get(path) ?? [])
            .get(path)!
            .push(performance.now() - started);
        else readFailures.set(path, (readFailures.get(path) ?? 0) + 1);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Flink: the jobs' graphs and load, sampled while the load runs; the recovery from a killed TaskManager.
// ---------------------------------------------------------------------------------------------

async function flink<T>(path: string): Promise<T> {
  const res = await fetch(`${platform.flinkRestUrl}${path}`);
  if (!res.ok) throw new Error(`Flink ${path}: ${res.status}`);
  return (await res.json()) as T;
}

interface Vertex {
  id: string;
  name: string;
  parallelism: number;
  status: string;
}
const PLATFORM_JOB_NAMES = new Set<string>(Object.values(FLINK_JOBS).map((job) => job.name));

async function platformJobs(): Promise<{ jid: string; name: string; state: string }[]> {
  const { jobs } = await flink<{ jobs: { jid: string; name: string; state: string }[] }>('/jobs/overview');
  return jobs.filter((job) => PLATFORM_JOB_NAMES.has(job.name) && job.state === 'RUNNING');
}

/** Per job and chain (vertex): busy ms per second and records in per second, summed over subtasks. */
const busySamples = new Map<string, { busyMax: number[]; recordsIn: number[] }>();

async function sampleFlink(): Promise<void> {
  for (const job of await platformJobs()) {
    const { vertices } = await flink<{ vertices: Vertex[] }>(`/jobs/${job.jid}`);
    for (const vertex of vertices) {
      const metrics = await flink<{ id: string; max?: number; sum?: number }[]>(
        `/jobs/${job.jid}/vertices/${vertex.id}/subtasks/metrics?get=busyTimeMsPerSecond,numRecordsInPerSecond&agg=max,sum`,
      );
      const key = `${job.name}\u0000${vertex.name}`;
      const sample = busySamples.get(key) ?? { busyMax: [], recordsIn: [] };
      const busy = metrics.find((m) => m.id === 'busyTimeMsPerSecond')?.max;
      const recordsIn = metrics.find((m) => m.id === 'numRecordsInPerSecond')?.sum;
      if (typeof busy === 'number' && Number.isFinite(busy)) sample.busyMax.push(busy);
      if (typeof recordsIn === 'number') sample.recordsIn.push(recordsIn);
      busySamples.set(key, sample);
    }
  }
}

async function sampleFlinkWhile(until: number): Promise<void> {
  while (Date.now() < until) {
    await sampleFlink().catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 15_000));
  }
}

/** One job's way back from a killed TaskManager, in ms after the kill. */
interface JobRecovery {
  /** Flink saw the loss: the job or one of its tasks left RUNNING. */
  downAfterMs?: number;
  runningAfterMs?: number;
  checkpointedAfterMs?: number;
  checkpointsWhenRunning?: number;
}
type Recovery = Map<string, JobRecovery>;

/** The platform's jobs that have not ended, each with whether every task of it runs and its checkpoint count. */
async function jobHealth(): Promise<{ name: string; running: boolean; completed: number }[]> {
  const { jobs } = await flink<{ jobs: { jid: string; name: string; state: string }[] }>('/jobs/overview');
  const live = jobs.filter(
    (job) => PLATFORM_JOB_NAMES.has(job.name) && !['FINISHED', 'CANCELED', 'FAILED'].includes(job.state),
  );
  return Promise.all(
    live.map(async (job) => {
      const { vertices } = await flink<{ vertices: Vertex[] }>(`/jobs/${job.jid}`);
      const { counts } = await flink<{ counts: { completed: number } }>(`/jobs/${job.jid}/checkpoints`);
      const running = job.state === 'RUNNING' && vertices.every((v) => v.status === 'RUNNING');
      return { name: job.name, running, completed: counts.completed };
    }),
  );
}

/**
 * Kills the first TaskManager (the supervisor starts another) and times, per platform job, three
 * moments: Flink notices, every task of the job runs again, and the job has completed a checkpoint
 * since. The jobs checkpoint at different intervals (their defaults), so one kill compares them.
 */
async function killTaskManager(at: number, until: number): Promise<Recovery | undefined> {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));
  const taskManager = readState(stateDir())?.services['flink-taskmanager-1'];
  if (!taskManager) return undefined;
  process.kill(taskManager.pid, 'SIGKILL');
  const killedAt = Date.now();
  console.log(`  killed flink-taskmanager-1 (pid ${taskManager.pid}) at ${((killedAt - start) / 1000).toFixed(0)} s`);
  const recovery: Recovery = new Map();
  const done = () =>
    recovery.size > 0 &&
    [...recovery.values()].every((job) => job.downAfterMs === undefined || job.checkpointedAfterMs !== undefined);
  // A job on the surviving TaskManager never goes down: after a minute it counts as unaffected.
  while (Date.now() < until + 180_000 && !(done() && Date.now() - killedAt > 60_000)) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const since = Date.now() - killedAt;
    for (const job of (await jobHealth().catch(() => undefined)) ?? []) {
      const state = recovery.get(job.name) ?? {};
      recovery.set(job.name, state);
      if (state.downAfterMs === undefined) {
        if (!job.running) state.downAfterMs = since;
      } else if (state.runningAfterMs === undefined) {
        if (job.running) [state.runningAfterMs, state.checkpointsWhenRunning] = [since, job.completed];
      } else if (state.checkpointedAfterMs === undefined && job.completed > state.checkpointsWhenRunning!) {
        state.checkpointedAfterMs = since;
      }
    }
  }
  return recovery;
}

// ---------------------------------------------------------------------------------------------
// Prometheus: the canary's latency, the lag and the alerts over the run's window.
// ---------------------------------------------------------------------------------------------

type Sample = { metric: Record<string, string>; value: [number, string] };

async function prometheus(query: string, at: number): Promise<Sample[]> {
  const url = new URL('/api/v1/query', platform.prometheusUrl);
  url.searchParams.set('query', query);
  url.searchParams.set('time', String(at / 1000));
  const res = await fetch(url).catch(() => null);
  if (!res?.ok) return [];
  const body = (await res.json()) as { data: { result: Sample[] } };
  return body.data.result;
}

const seconds = (ms: number) => `${Math.max(1, Math.round(ms / 1000))}s`;

async function canaryLatency(window: string, at: number): Promise<Map<string, Record<string, number>>> {
  const byFeature = new Map<string, Record<string, number>>();
  for (const q of [0.5, 0.95, 0.99]) {
    const rows = await prometheus(
      `histogram_quantile(${q}, sum by (feature, le) (increase(pulse_canary_e2e_latency_seconds_bucket[${window}])))`,
      at,
    );
    for (const row of rows)
      byFeature.set(row.metric.feature, {
        ...byFeature.get(row.metric.feature),
        [`p${q * 100}`]: Number(row.value[1]),
      });
  }
  for (const row of await prometheus(`sum by (feature) (increase(pulse_canary_timeouts_total[${window}]))`, at))
    byFeature.set(row.metric.feature, { ...byFeature.get(row.metric.feature), timeouts: Number(row.value[1]) });
  for (const row of await prometheus(
    `sum by (feature) (increase(pulse_canary_e2e_latency_seconds_count[${window}]))`,
    at,
  ))
    byFeature.set(row.metric.feature, { ...byFeature.get(row.metric.feature), seen: Number(row.value[1]) });
  return byFeature;
}

// ---------------------------------------------------------------------------------------------
// Reconcile: every acknowledged id once in the archive, nothing more.
// ---------------------------------------------------------------------------------------------

async function reconcile(): Promise<{
  acknowledged: number;
  stored: number;
  lost: number;
  doubled: number;
  unacknowledged: number;
}> {
  const clickhouse = createClickHouse({ url: platform.clickhouseUrl });
  const table = `load_acknowledged_${RUN.replace(/-/g, '_')}`;
  const runEvents = `SELECT event_id FROM events WHERE startsWith(user_id, {run:String})`;
  const params = { run: `${RUN}-` };
  const scalar = async (query: string) =>
    Number(
      (await (await clickhouse.query({ query, query_params: params, format: 'JSONEachRow' })).json<{ n: string }>())[0]
        .n,
    );
  try {
    // Drained: the archive holds at least every acknowledged id, or stops growing for 30 s.
    let stored = -1;
    let stableSince = Date.now();
    for (const deadline = Date.now() + 300_000; Date.now() < deadline;) {
      const now = await scalar(`SELECT uniqExact(event_id) AS n FROM (${runEvents})`);
      if (now !== stored) stableSince = Date.now();
      stored = now;
      process.stdout.write(
        `\r  archived ${stored.toLocaleString('en')} of ${acknowledged.length.toLocaleString('en')} acknowledged   `,
      );
      if (stored >= acknowledged.length || Date.now() - stableSince > 30_000) break;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
    process.stdout.write('\n');
    await clickhouse.command({ query: `CREATE TABLE ${table} (event_id UUID) ENGINE = MergeTree ORDER BY event_id` });
    for (let i = 0; i < acknowledged.length; i += 100_000)
      await clickhouse.insert({
        table,
        values: acknowledged.slice(i, i + 100_000).map((event_id) => ({ event_id })),
        format: 'JSONEachRow',
      });
    const lost = await scalar(`SELECT count() AS n FROM ${table} WHERE event_id NOT IN (${runEvents})`);
    const unacknowledged = await scalar(
      `SELECT count() AS n FROM (${runEvents}) WHERE event_id NOT IN (SELECT event_id FROM ${table})`,
    );
    const rows = await scalar(`SELECT count() AS n FROM (${runEvents})`);
    return { acknowledged: acknowledged.length, stored, lost, doubled: rows - stored, unacknowledged };
  } finally {
    await clickhouse.command({ query: `DROP TABLE IF EXISTS ${table}` }).catch(() => undefined);
    await clickhouse.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The run and its report.
// ---------------------------------------------------------------------------------------------

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const fixed = (n: number | undefined, digits = 2) => (n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(digits));
const start = Date.now();

async function main(): Promise<void> {
  const until = start + DURATION_MS;
  console.log(
    `load test ${RUN}: ${RATE} events/s offered for ${DURATION_MS / 60_000} min, batches of ${BATCH}, ` +
      `${SENDERS} in flight, ${READERS} dashboard readers; collector ${platform.collectorUrl}, API ${platform.apiUrl}`,
  );
  const progress = setInterval(() => {
    const elapsed = (Date.now() - start) / 1000;
    console.log(
      `  ${elapsed.toFixed(0)} s: ${(acknowledged.length / elapsed).toFixed(0)} events/s acknowledged, ` +
        `${generated - acknowledged.length} not yet, largest queue ${largestQueueEvents} events`,
    );
  }, 30_000);
  const [, , , recovery] = await Promise.all([
    send(until),
    read(until),
    sampleFlinkWhile(until),
    KILL_AT_MS === undefined ? undefined : killTaskManager(start + KILL_AT_MS, until),
  ]);
  clearInterval(progress);
  const sentFor = Date.now() - start;
  const end = Date.now();
  const window = seconds(end - start);

  console.log('\nreconciling the acknowledged ids against the archive (ClickHouse `events`)…');
  const reconciled = await reconcile();
  const canary = await canaryLatency(window, end);
  const lag = await prometheus(
    `max by (job_name) (max_over_time(job_source:flink_source_pending_records:sum[${window}]))`,
    end,
  );
  const groupLag = await prometheus(
    `max by (group) (max_over_time(group:pulse_kafka_consumer_lag:sum[${window}]))`,
    end,
  );
  const apiServer = await prometheus(
    `histogram_quantile(0.99, sum by (route, le) (increase(http_request_duration_seconds_bucket{service="api", route=~"/v1/.+", route!="/v1/stream"}[${window}])))`,
    end,
  );
  const alerts = await prometheus(
    `max by (alertname, severity) (max_over_time(ALERTS{alertstate="firing"}[${window}]))`,
    end,
  );

  console.log(`\n== load test ${RUN}: ${(sentFor / 60_000).toFixed(1)} min ==`);
  console.log(`offered   ${RATE} events/s (${generated.toLocaleString('en')} events)`);
  console.log(
    `accepted  ${(reconciled.acknowledged / (sentFor / 1000)).toFixed(0)} events/s (${reconciled.acknowledged.toLocaleString('en')} events acknowledged)`,
  );
  for (const [outcome, n] of outcomes) if (outcome !== 'events accepted') console.log(`          ${outcome}: ${n}`);
  console.log(
    `          largest send queue: ${largestQueueEvents} events (the sender fell behind the rate when this exceeds a second's worth)`,
  );
  console.log(
    `lost      ${reconciled.lost}   doubled ${reconciled.doubled}   ` +
      `(archived ${reconciled.stored.toLocaleString('en')}; stored without an acknowledgement: ${reconciled.unacknowledged})`,
  );
  console.log('\nend-to-end latency (canary, collector → API), seconds');
  console.log('  feature     p50     p95     p99   seen  timeouts');
  if (canary.size === 0) console.log('  (no canary figures: is the canary on and Prometheus up?)');
  for (const [feature, f] of canary)
    console.log(
      `  ${feature.padEnd(10)} ${fixed(f.p50).padStart(5)}   ${fixed(f.p95).padStart(5)}   ${fixed(f.p99).padStart(5)}  ${fixed(f.seen ?? 0, 0).padStart(5)}  ${fixed(f.timeouts ?? 0, 0)}`,
    );
  console.log('\nlargest consumer lag (records)');
  for (const row of lag)
    console.log(`  Flink source backlog  ${row.metric.job_name.padEnd(18)} ${Number(row.value[1]).toFixed(0)}`);
  // The platform's jobs' groups (named as the jobs): a test's abandoned group would only add noise.
  for (const row of groupLag.filter((r) => PLATFORM_JOB_NAMES.has(r.metric.group)))
    console.log(`  Kafka committed lag   ${row.metric.group.padEnd(18)} ${Number(row.value[1]).toFixed(0)}`);
  console.log('\nAPI, ms          client p50  client p99  server p99  failures');
  for (const path of DASHBOARD_READS) {
    const times = readTimes.get(path) ?? [];
    const route = path.split('?')[0];
    const server = apiServer.find((row) => row.metric.route === route);
    console.log(
      `  ${path.padEnd(46)} ${fixed(percentile(times, 50), 1).padStart(7)} ${fixed(percentile(times, 99), 1).padStart(10)} ` +
        `${server ? fixed(Number(server.value[1]) * 1000, 1).padStart(10) : '         -'}  ${readFailures.get(path) ?? 0}`,
    );
  }
  console.log('\nalerts that fired');
  if (alerts.length === 0) console.log('  none');
  for (const row of alerts) console.log(`  ${row.metric.alertname} (${row.metric.severity})`);

  const intervals = new Map<string, number>();
  console.log(
    "\ntuning: each job's chains (one task each: operators in a chain hand records over without serialising), parallelism, load",
  );
  for (const job of await platformJobs()) {
    const { vertices } = await flink<{ vertices: Vertex[] }>(`/jobs/${job.jid}`);
    const config = await flink<{ interval: number }>(`/jobs/${job.jid}/checkpoints/config`);
    intervals.set(job.name, config.interval);
    const { summary } = await flink<{ summary: { end_to_end_duration: { avg: number; max: number } } }>(
      `/jobs/${job.jid}/checkpoints`,
    );
    console.log(
      `  ${job.name}: checkpoint every ${config.interval / 1000} s, taking ${summary.end_to_end_duration.avg} ms on average ` +
        `(${summary.end_to_end_duration.max} ms at most)`,
    );
    for (const vertex of vertices) {
      const sample = busySamples.get(`${job.name}\u0000${vertex.name}`);
      const busy = sample ? Math.max(...sample.busyMax) : NaN;
      const recordsIn = sample
        ? sample.recordsIn.reduce((a, b) => a + b, 0) / Math.max(1, sample.recordsIn.length)
        : NaN;
      console.log(
        `    ×${vertex.parallelism}  busy ${fixed(busy, 0).padStart(4)} ms/s at most  ${fixed(recordsIn, 0).padStart(6)} records/s in  ${vertex.name}`,
      );
    }
  }
  if (recovery) {
    console.log('\nrecovery from a killed TaskManager, seconds after the kill');
    console.log('  job                 checkpoint every   noticed   running again   checkpointed again');
    for (const [name, job] of recovery) {
      const interval = intervals.get(name);
      console.log(
        `  ${name.padEnd(20)}${(interval === undefined ? '-' : `${interval / 1000} s`).padStart(10)}` +
          `${fixed((job.downAfterMs ?? NaN) / 1000, 1).padStart(10)}${fixed((job.runningAfterMs ?? NaN) / 1000, 1).padStart(16)}` +
          `${fixed((job.checkpointedAfterMs ?? NaN) / 1000, 1).padStart(21)}` +
          (job.downAfterMs === undefined ? '   (not on the killed TaskManager)' : ''),
      );
    }
  }
  if (reconciled.lost > 0 || reconciled.doubled > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
