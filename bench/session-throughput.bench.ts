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
 * Throughput of the Session Analyzer per core of TaskManager CPU, against a pass-through job that
 * parses the same records as its source does (dev.socialpulse.flink.bench.PassThroughJob
 * --records sessions), in one run; and both against the anchor, Nexmark q11 "user sessions"
 * (session windows per bidder), reported at 39.7 K events/s per core on Flink 1.13.
 *
 * The backlog: user and content events over three hours of event time. Visitors come and go in
 * overlapping 20-minute groups, so each stays about 80 minutes with gaps of a few minutes, and its
 * session closes 30 minutes after it leaves: sessions open, update, close and seal during the run,
 * and the job reports sessions in progress every two seconds as it would live. It writes to a
 * ClickHouse database of its own. Needs `npx pulse up --detach`, demo traffic off.
 *
 *   node -r @swc-node/register bench/session-throughput.bench.ts [events=1000000] [partitions=4]
 *
 * JOB_ARGS adds flags to the Session Analyzer's, to compare settings: JOB_ARGS='--checkpoint-interval-ms 5000'.
 */
const EVENTS = Number(process.argv[2] ?? 1_000_000);
const PARTITIONS = Number(process.argv[3] ?? 4);
const ANCHOR_PER_CORE = 39_700;
const SPAN_MS = 3 * 3_600_000;
const GROUP_MS = 20 * 60_000;
const ONLINE = 4_000;
const TYPES = [
  'user.page_viewed',
  'user.page_viewed',
  'user.page_viewed',
  'user.page_viewed',
  'user.page_viewed',
  'user.screen_viewed',
  'content.viewed',
  'content.liked',
  'content.commented',
  'content.shared',
  'content.post_created',
  'user.searched',
];
const DEVICES = [
  { type: 'desktop', os: 'Windows', browser: 'Chrome' },
  { type: 'mobile', os: 'iOS', browser: 'Safari' },
  { type: 'mobile', os: 'Android', browser: 'Chrome' },
];
const COUNTRIES = ['DE', 'US', 'FR', 'BR', 'JP'];

const run = Date.now().toString(36);
const topic = `bench-sessions-${run}`;
const database = `bench_sessions_${run}`;

/** A cheap, well-spread hash of i (no Math.random: the backlog is the same on every run). */
const spread = (i: number) => Math.imul(i ^ (i >>> 16), 0x45d9f3b) >>> 0;

/** One event as the collector writes it to Kafka, keyed by its visitor. */
function record(i: number, start: number): { key: string; value: string } {
  const offset = Math.floor((i / EVENTS) * SPAN_MS);
  const group = Math.floor(offset / GROUP_MS);
  const visitor = group * (ONLINE / 4) + (spread(i) % ONLINE);
  const at = new Date(start + offset).toISOString();
  const type = TYPES[spread(i + 7) % TYPES.length];
  return {
    key: `user-${visitor}`,
    value: JSON.stringify({
      event_id: uuidv7(),
      event_type: type,
      schema_version: 1,
      user_id: `user-${visitor}`,
      client_ts: at,
      event_time: at,
      received_at: at,
      context: {
        page: { path: `/page/${spread(i + 3) % 200}`, title: 'A page' },
        user_agent: BROWSER_USER_AGENT,
        device: DEVICES[visitor % DEVICES.length],
        is_bot: false,
        country: COUNTRIES[visitor % COUNTRIES.length],
        ip: '203.0.113.0',
      },
      properties: type.startsWith('content.') ? { content_id: `post-${i % 10_000}`, hashtags: [] } : {},
    }),
  };
}

async function main(): Promise<void> {
  process.stderr.write(`writing ${EVENTS.toLocaleString('en')} events to ${topic} (${PARTITIONS} partitions)\n`);
  const start = Date.now() - SPAN_MS - 60 * 60_000;
  await writeBacklog(topic, PARTITIONS, EVENTS, (i) => record(i, start));
  const admin = createClickHouse({ url: platform.clickhouseUrl });
  await admin.command({ query: `CREATE DATABASE ${database}` });
  const clickhouse = createClickHouse({ url: platform.clickhouseUrl, database });
  await migrate(clickhouse, readMigrations(MIGRATIONS_DIR));
  const jarId = await uploadJar();
  const brokers = platform.kafkaBrokers.join(',');
  try {
    const pass = await measure('pass-through', {
      jarId,
      entryClass: PASS_THROUGH_CLASS,
      args: [
        '--bootstrap-servers',
        brokers,
        '--topic',
        topic,
        '--records',
        'sessions',
        '--group-id',
        `bench-pass-${run}`,
      ],
      sourceName: PASS_THROUGH_SOURCE,
      records: EVENTS,
    });
    const sessions = await measure('session analyzer', {
      jarId,
      entryClass: 'dev.socialpulse.flink.sessions.SessionAnalyzerJob',
      args: [
        '--bootstrap-servers',
        brokers,
        '--topics',
        topic,
        '--group-id',
        `bench-sessions-${run}`,
        '--clickhouse-url',
        platform.clickhouseUrl,
        '--clickhouse-database',
        database,
        ...(process.env.JOB_ARGS?.split(/\s+/).filter(Boolean) ?? []),
      ],
      sourceName: 'user-and-content-events',
      records: EVENTS,
      awaitCommit: true,
    });
    printThroughput(EVENTS, { name: 'Nexmark q11', perCore: ANCHOR_PER_CORE }, pass, [
      ['session analyzer (dedup, sessions, early firings)', sessions],
    ]);
    const [counts] = await (
      await clickhouse.query({
        query: `SELECT uniqExact(session_id) AS sessions, countIf(status = 'sealed') AS sealed,
                       sum(events) AS events FROM sessions FINAL`,
        format: 'JSONEachRow',
      })
    ).json<{ sessions: string; sealed: string; events: string }>();
    const [all] = await (
      await clickhouse.query({ query: 'SELECT count() AS rows FROM sessions', format: 'JSONEachRow' })
    ).json<{ rows: string }>();
    process.stdout.write(
      `${EVENTS.toLocaleString('en')} events over ${PARTITIONS} partitions; ${Number(counts.sessions).toLocaleString('en')} sessions ` +
        `(${Number(counts.sealed).toLocaleString('en')} sealed) holding ${Number(counts.events).toLocaleString('en')} events; ` +
        `${Number(all.rows).toLocaleString('en')} session reports written\n`,
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
