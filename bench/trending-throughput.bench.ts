import { MIGRATIONS_DIR, createClickHouse, migrate, readMigrations } from '@social-pulse/clickhouse';
import { uuidv7 } from '@social-pulse/events';
import { BROWSER_USER_AGENT, platform } from '@social-pulse/testing';
import {
  PASS_THROUGH_CLASS,
  PASS_THROUGH_SOURCE,
  deleteTopic,
  measure,
  printThroughput,
  uploadJar,
  writeBacklog,
} from './flink-throughput';

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

const run = Date.now().toString(36);
const topic = `bench-content-${run}`;
const database = `bench_trending_${run}`;

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

async function main(): Promise<void> {
  process.stderr.write(`writing ${EVENTS.toLocaleString('en')} events to ${topic} (${PARTITIONS} partitions)\n`);
  const start = Date.now() - 20 * 60_000;
  await writeBacklog(topic, PARTITIONS, EVENTS, (i) => ({ key: `user-${i}`, value: record(i, start) }));
  const admin = createClickHouse({ url: platform.clickhouseUrl });
  await admin.command({ query: `CREATE DATABASE ${database}` });
  const clickhouse = createClickHouse({ url: platform.clickhouseUrl, database });
  await migrate(clickhouse, readMigrations(MIGRATIONS_DIR));
  const jarId = await uploadJar();
  const common = ['--bootstrap-servers', platform.kafkaBrokers.join(','), '--topic', topic];
  try {
    const pass = await measure('pass-through', {
      jarId,
      entryClass: PASS_THROUGH_CLASS,
      args: [...common, '--records', 'content', '--group-id', `bench-pass-${run}`],
      sourceName: PASS_THROUGH_SOURCE,
      records: EVENTS,
    });
    const trending = await measure('trending', {
      jarId,
      entryClass: 'dev.socialpulse.flink.trending.TrendingTopicsJob',
      args: [
        ...common,
        '--group-id',
        `bench-trending-${run}`,
        '--clickhouse-url',
        platform.clickhouseUrl,
        '--clickhouse-database',
        database,
      ],
      sourceName: 'content-events',
      records: EVENTS,
    });
    const rows = await (
      await clickhouse.query({
        query: 'SELECT window_size, count() AS c FROM trending_topics GROUP BY window_size',
        format: 'JSONEachRow',
      })
    ).json<{ window_size: string; c: string }>();
    printThroughput(EVENTS, { name: 'Nexmark q5', perCore: ANCHOR_PER_CORE }, pass, [
      ['trending (3 horizons, damping, dedup)', trending],
    ]);
    process.stdout.write(
      `${EVENTS.toLocaleString('en')} events over ${PARTITIONS} partitions; rows written per horizon: ${rows
        .map((r) => `${r.window_size} ${r.c}`)
        .join(', ')}\n`,
    );
  } finally {
    await admin.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    await Promise.all([admin.close(), clickhouse.close()]);
    await deleteTopic(topic);
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
