import { readFileSync } from 'node:fs';
import { FlinkRest } from '@social-pulse/activities';
import { MIGRATIONS_DIR, createClickHouse, migrate, readMigrations } from '@social-pulse/clickhouse';
import { uuidv7 } from '@social-pulse/events';
import { createKafka } from '@social-pulse/kafka';
import { readState, repoRoot, stateDir } from '@social-pulse/pulse/testing';
import { BROWSER_USER_AGENT, platform } from '@social-pulse/testing';
import { CompressionTypes, logLevel } from 'kafkajs';

/**
 * Throughput of the trending job per core of TaskManager CPU, against a pass-through job
 * (source → parse → discard, dev.socialpulse.flink.bench.PassThroughJob) over the same records, in
 * one run, so the job's own cost shows as a ratio; and both against the anchor, Nexmark q5 "hot
 * items" (sliding-window counts, then the top items), reported at 22.1 K events/s per core on Flink 1.13.
 *
 * Needs a running platform (`npx pulse up --detach`) and no other load on it (demo traffic off:
 * the TaskManager's CPU is what is measured). It writes a backlog of content events in the
 * collector's record shape to a topic of its own, runs each job over it from the earliest offset
 * until every record has passed every operator, and reads the TaskManager's CPU time from /proc.
 * The trending job writes to a ClickHouse database of its own, so the dashboard is untouched.
 *
 *   node -r @swc-node/register bench/trending-throughput.bench.ts [events=1000000] [partitions=4]
 */
const EVENTS = Number(process.argv[2] ?? 1_000_000);
const PARTITIONS = Number(process.argv[3] ?? 4);
const ANCHOR_PER_CORE = 22_100;
const TOPICS = 2_000;
const AUTHORS = 50_000;
const JAR = `${repoRoot}/flink/target/social-pulse-jobs.jar`;

const run = Date.now().toString(36);
const topic = `bench-content-${run}`;
const database = `bench_trending_${run}`;
const flink = new FlinkRest(platform.flinkRestUrl);

/** Clock ticks of user and system CPU the TaskManager process has used. */
function taskManagerTicks(): number {
  const state = readState(stateDir());
  const pid = state?.services['flink-taskmanager-1']?.pid;
  if (!pid) throw new Error('no flink-taskmanager-1 in the platform state: run `npx pulse up --detach` first');
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
}
const TICKS_PER_SECOND = 100;

/** One content event as the collector writes it to Kafka: enriched, with its event time. */
function record(i: number, start: number): string {
  // Zipf-like popularity: a few topics take most mentions, as hashtags do.
  const rank = Math.floor(TOPICS ** (((i * 7919) % 10_007) / 10_007));
  const at = new Date(start + Math.floor((i / EVENTS) * 15 * 60_000)).toISOString();
  return JSON.stringify({
    event_id: uuidv7(),
    event_type: 'content.post_created',
    schema_version: 1,
    user_id: `user-${(i * 104_729) % AUTHORS}`,
    client_ts: at,
    event_time: at,
    received_at: at,
    context: {
      user_agent: BROWSER_USER_AGENT,
      device: { type: 'desktop', os: 'Windows', browser: 'Chrome' },
      is_bot: i % 50 === 0,
      country: 'DE',
      ip: '203.0.113.0',
    },
    properties: { content_id: `post-${i}`, hashtags: [`topic${rank}`, ...(i % 3 === 0 ? [`topic${rank + 1}`] : [])] },
  });
}

async function writeBacklog(): Promise<void> {
  const kafka = createKafka('bench-throughput', platform.kafkaBrokers, { logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  const start = Date.now() - 20 * 60_000;
  const batch = 5_000;
  for (let i = 0; i < EVENTS; i += batch) {
    const messages = Array.from({ length: Math.min(batch, EVENTS - i) }, (_, j) => ({
      key: `user-${i + j}`,
      value: record(i + j, start),
    }));
    await producer.send({ topic, messages, compression: CompressionTypes.None });
    if ((i / batch) % 40 === 0)
      process.stderr.write(`  backlog: ${i.toLocaleString('en')} / ${EVENTS.toLocaleString('en')}\n`);
  }
  await producer.disconnect();
}

interface VertexMetrics {
  id: string;
  name: string;
  in: number;
  out: number;
}

async function vertexCounts(jobId: string): Promise<VertexMetrics[]> {
  const job = await flink.json<{ vertices: { id: string; name: string; metrics: Record<string, number> }[] }>(
    'GET',
    `/jobs/${jobId}`,
  );
  return job.vertices.map((v) => ({
    id: v.id,
    name: v.name,
    in: v.metrics['read-records'] ?? 0,
    out: v.metrics['write-records'] ?? 0,
  }));
}

/**
 * Records the Kafka source has emitted: an operator metric, since a source chained with its sink (the
 * pass-through job) sends nothing over the network for the vertex counts to show.
 */
async function sourceRecordsOut(jobId: string, vertexId: string): Promise<number> {
  const metric = 'Source__content-events.numRecordsOut';
  const [sum] = await flink.json<{ sum?: number }[]>(
    'GET',
    `/jobs/${jobId}/vertices/${vertexId}/subtasks/metrics?get=${metric}&agg=sum`,
  );
  return sum?.sum ?? 0;
}

/**
 * Runs a job over the backlog: from its start until the source has read every record and no
 * operator's counts have moved for two seconds. Returns the wall time and the TaskManager's CPU.
 */
async function measure(
  label: string,
  jarId: string,
  entryClass: string,
  args: string[],
): Promise<{ seconds: number; cpuSeconds: number }> {
  const idleRate = await idleTicksPerSecond();
  const ticks = taskManagerTicks();
  const started = performance.now();
  const { jobid } = await flink.json<{ jobid: string }>('POST', `/jars/${jarId}/run`, {
    entryClass,
    programArgsList: args,
  });
  let last = '';
  let lastChange = performance.now();
  let finishedAt: number;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const counts = await vertexCounts(jobid);
    const sourceOut = await sourceRecordsOut(jobid, counts[0].id);
    const key = JSON.stringify([sourceOut, ...counts.map((c) => [c.in, c.out])]);
    if (key !== last) {
      last = key;
      lastChange = performance.now();
      process.stderr.write(`  ${label}: source read ${sourceOut.toLocaleString('en')}\r`);
    }
    if (sourceOut >= EVENTS && performance.now() - lastChange > 2_000) {
      finishedAt = lastChange;
      break;
    }
    if (performance.now() - started > 30 * 60_000) throw new Error(`${label} did not finish in 30 minutes`);
  }
  const usedTicks = taskManagerTicks() - ticks - idleRate * ((performance.now() - started) / 1000);
  await flink.json('PATCH', `/jobs/${jobid}?mode=cancel`);
  process.stderr.write('\n');
  return { seconds: (finishedAt - started) / 1000, cpuSeconds: usedTicks / TICKS_PER_SECOND };
}

/** What the TaskManager burns with nothing of ours running (the platform's own job, timers, GC), per second. */
async function idleTicksPerSecond(): Promise<number> {
  const before = taskManagerTicks();
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  return (taskManagerTicks() - before) / 3;
}

async function main(): Promise<void> {
  process.stderr.write(`writing ${EVENTS.toLocaleString('en')} events to ${topic} (${PARTITIONS} partitions)\n`);
  await writeBacklog();
  const admin = createClickHouse({ url: platform.clickhouseUrl });
  await admin.command({ query: `CREATE DATABASE ${database}` });
  const clickhouse = createClickHouse({ url: platform.clickhouseUrl, database });
  await migrate(clickhouse, readMigrations(MIGRATIONS_DIR));
  const jarId = await flink.uploadJar(JAR);
  const common = ['--bootstrap-servers', platform.kafkaBrokers.join(','), '--topic', topic];
  try {
    const pass = await measure('pass-through', jarId, 'dev.socialpulse.flink.bench.PassThroughJob', [
      ...common,
      '--group-id',
      `bench-pass-${run}`,
    ]);
    const trending = await measure('trending', jarId, 'dev.socialpulse.flink.trending.TrendingTopicsJob', [
      ...common,
      '--group-id',
      `bench-trending-${run}`,
      '--clickhouse-url',
      platform.clickhouseUrl,
      '--clickhouse-database',
      database,
    ]);
    const rows = await (
      await clickhouse.query({
        query: 'SELECT window_size, count() AS c FROM trending_topics GROUP BY window_size',
        format: 'JSONEachRow',
      })
    ).json<{ window_size: string; c: string }>();
    const perCore = (r: { cpuSeconds: number }) => EVENTS / r.cpuSeconds;
    const table = [
      ['job', 'wall', 'TaskManager CPU', 'events/s', 'events/s per core', 'vs pass-through', 'vs Nexmark q5 anchor'],
      ...(
        [
          ['pass-through (parse, discard)', pass],
          ['trending (3 horizons, damping, dedup)', trending],
        ] as const
      ).map(([name, r]) => [
        name,
        `${r.seconds.toFixed(1)} s`,
        `${r.cpuSeconds.toFixed(1)} s`,
        Math.round(EVENTS / r.seconds).toLocaleString('en'),
        Math.round(perCore(r)).toLocaleString('en'),
        `${(perCore(r) / perCore(pass)).toFixed(2)}x`,
        `${(perCore(r) / ANCHOR_PER_CORE).toFixed(2)}x`,
      ]),
    ];
    const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
    for (const row of table) process.stdout.write(`${row.map((cell, c) => cell.padEnd(widths[c])).join('  ')}\n`);
    process.stdout.write(
      `${EVENTS.toLocaleString('en')} events over ${PARTITIONS} partitions; rows written per horizon: ${rows
        .map((r) => `${r.window_size} ${r.c}`)
        .join(', ')}\n`,
    );
  } finally {
    await admin.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    await Promise.all([admin.close(), clickhouse.close()]);
    const kafka = createKafka('bench-throughput', platform.kafkaBrokers, { logLevel: logLevel.NOTHING });
    const kafkaAdmin = kafka.admin();
    await kafkaAdmin.connect();
    await kafkaAdmin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await kafkaAdmin.disconnect();
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
