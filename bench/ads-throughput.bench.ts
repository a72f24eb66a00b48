import { MIGRATIONS_DIR, createClickHouse, migrate, readMigrations } from '@social-pulse/clickhouse';
import { SCHEMA_VERSION, uuidv7 } from '@social-pulse/events';
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
 * Throughput of the Ad Performance Calculator per core of TaskManager CPU, against a pass-through
 * job that parses the same records as its source does (dev.socialpulse.flink.bench.PassThroughJob
 * --records ads), in one run; and both against the anchors, Nexmark's join queries q9 "winning
 * bids" and q20 "expanded bids", reported at 14.2 K and 19.0 K events/s per core on Flink 1.13.
 *
 * The backlog: an hour of event time of 20,000 visitors seeing 200 ads of 50 campaigns — mostly
 * impressions, 2 % clicks on an earlier impression, a fifth of those converting a few minutes later,
 * and identify events (a tenth of the visitors sign in, some changing their profile later), so every
 * stage works: links, profiles, both joins and the per-minute sums. It writes to a ClickHouse
 * database of its own. Needs `npx pulse up --detach`, demo traffic off.
 *
 *   node -r @swc-node/register bench/ads-throughput.bench.ts [events=1000000] [partitions=4]
 *
 * JOB_ARGS adds flags to the job's, to compare settings: JOB_ARGS='--checkpoint-interval-ms 5000'.
 */
const EVENTS = Number(process.argv[2] ?? 1_000_000);
const PARTITIONS = Number(process.argv[3] ?? 4);
const ANCHORS = { q9: 14_200, q20: 19_000 };
const SPAN_MS = 3_600_000;
const VISITORS = 20_000;
const DEVICES = [
  { type: 'desktop', os: 'Windows', browser: 'Chrome' },
  { type: 'mobile', os: 'iOS', browser: 'Safari' },
  { type: 'mobile', os: 'Android', browser: 'Chrome' },
];
const COUNTRIES = ['DE', 'US', 'FR', 'BR', 'JP'];
const AGE_BANDS = ['18-24', '25-34', '35-44', '45-54'];
const CURRENCIES = ['USD', 'EUR'];

const run = Date.now().toString(36);
const topic = `bench-ads-${run}`;
const database = `bench_ads_${run}`;

/** A cheap, well-spread hash of i (no Math.random: the backlog is the same on every run). */
const spread = (i: number) => Math.imul(i ^ (i >>> 16), 0x45d9f3b) >>> 0;

/** Record i's role: 1.5 % identify, 2 % clicks, 0.4 % conversions, the rest impressions. */
function roleOf(i: number): 'identify' | 'click' | 'conversion' | 'impression' {
  const r = spread(i + 11) % 1000;
  return r < 15 ? 'identify' : r < 35 ? 'click' : r < 39 ? 'conversion' : 'impression';
}

/** One event as the collector writes it to Kafka, keyed by its visitor. */
function record(i: number, start: number): { key: string; value: string } {
  const at = new Date(start + Math.floor((i / EVENTS) * SPAN_MS)).toISOString();
  const visitor = spread(i) % VISITORS;
  const signedIn = visitor % 10 === 0;
  const campaign = visitor % 50;
  const role = roleOf(i);
  const envelope = {
    event_id: uuidv7(),
    schema_version: SCHEMA_VERSION,
    ...(signedIn ? { user_id: `user-${visitor}` } : {}),
    anonymous_id: `anon-${visitor}`,
    client_ts: at,
    event_time: at,
    received_at: at,
    context: {
      user_agent: BROWSER_USER_AGENT,
      device: DEVICES[visitor % DEVICES.length],
      is_bot: false,
      country: COUNTRIES[visitor % COUNTRIES.length],
      ip: '203.0.113.0',
    },
  };
  const key = signedIn ? `user-${visitor}` : `anon-${visitor}`;
  if (role === 'identify') {
    return {
      key: `user-${visitor}`,
      value: JSON.stringify({
        ...envelope,
        event_type: 'user.identified',
        user_id: `user-${visitor}`,
        properties: { traits: { age_band: AGE_BANDS[(visitor + (i % 2)) % AGE_BANDS.length], gender: 'female' } },
      }),
    };
  }
  const ad = {
    campaign_id: `campaign-${campaign}`,
    ad_id: `ad-${campaign}-${visitor % 4}`,
    currency: CURRENCIES[campaign % CURRENCIES.length],
  };
  // Clicks point at an impression 1-500 records earlier, conversions at a click 1,000-3,000 earlier
  // (minutes in event time); some of those are other roles, so some clicks and conversions stay
  // unattributed, as in life.
  const properties =
    role === 'impression'
      ? { ...ad, impression_id: `imp-${i}`, cost_micros: 2_000 }
      : role === 'click'
        ? { ...ad, impression_id: `imp-${i - 1 - (spread(i + 3) % 500)}`, click_id: `clk-${i}`, cost_micros: 50_000 }
        : { ...ad, click_id: `clk-${i - 1_000 - (spread(i + 5) % 2_000)}`, revenue_micros: 30_000_000 };
  return { key, value: JSON.stringify({ ...envelope, event_type: `ad.${role}`, properties }) };
}

/**
 * What ends each partition: an identify a minute after the backlog, of a user of its own. The job
 * holds ad events until its watermark passes their time, and the watermark follows the events read
 * (the wall clock only once a partition is caught up, which a backlog an hour old never is): without
 * a later event, the last second of the backlog would wait for traffic that never comes.
 */
function closing(partition: number, end: number): { key: string; value: string } {
  const at = new Date(end + 60_000).toISOString();
  const user = `bench-end-${partition}`;
  return {
    key: user,
    value: JSON.stringify({
      event_id: uuidv7(),
      schema_version: SCHEMA_VERSION,
      event_type: 'user.identified',
      user_id: user,
      client_ts: at,
      event_time: at,
      received_at: at,
      context: { user_agent: BROWSER_USER_AGENT, is_bot: false, country: 'DE', ip: '203.0.113.0' },
      properties: { traits: {} },
    }),
  };
}

async function main(): Promise<void> {
  process.stderr.write(`writing ${EVENTS.toLocaleString('en')} events to ${topic} (${PARTITIONS} partitions)\n`);
  const start = Date.now() - SPAN_MS - 10 * 60_000;
  await writeBacklog(
    topic,
    PARTITIONS,
    EVENTS,
    (i) => record(i, start),
    (p) => closing(p, start + SPAN_MS),
  );
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
      args: ['--bootstrap-servers', brokers, '--topic', topic, '--records', 'ads', '--group-id', `bench-pass-${run}`],
      sourceName: PASS_THROUGH_SOURCE,
      records: EVENTS + PARTITIONS,
    });
    const ads = await measure('ad performance', {
      jarId,
      entryClass: 'dev.socialpulse.flink.ads.AdPerformanceJob',
      args: [
        '--bootstrap-servers',
        brokers,
        '--topics',
        topic,
        '--group-id',
        `bench-ads-${run}`,
        '--clickhouse-url',
        platform.clickhouseUrl,
        '--clickhouse-database',
        database,
        ...(process.env.JOB_ARGS?.split(/\s+/).filter(Boolean) ?? []),
      ],
      sourceName: 'ad-and-identify-events',
      records: EVENTS + PARTITIONS,
      // The sums below are read from the table: its last rows commit at a checkpoint after the end.
      awaitCommit: true,
    });
    printThroughput(EVENTS, { name: 'Nexmark q20', perCore: ANCHORS.q20 }, pass, [
      ['ad performance (links, profiles, joins, sums)', ads],
    ]);
    process.stdout.write(`vs Nexmark q9 anchor (14.2 K/core): ${(EVENTS / ads.cpuSeconds / ANCHORS.q9).toFixed(2)}x\n`);
    const [sums] = await (
      await clickhouse.query({
        query: `SELECT sum(impressions) AS impressions, sum(clicks) AS clicks, sum(attributed_clicks) AS attributed,
                       sum(conversions) AS conversions, sum(unattributed_conversions) AS unattributed,
                       count() AS rows FROM ad_performance_changes`,
        format: 'JSONEachRow',
      })
    ).json<Record<string, string>>();
    const expected = { impression: 0, click: 0, conversion: 0 } as Record<string, number>;
    for (let i = 0; i < EVENTS; i++) expected[roleOf(i)] = (expected[roleOf(i)] ?? 0) + 1;
    process.stdout.write(
      `${EVENTS.toLocaleString('en')} events over ${PARTITIONS} partitions: ${sums.impressions} impressions ` +
        `(sent ${expected.impression}), ${sums.clicks} clicks (sent ${expected.click}; ${sums.attributed} attributed), ` +
        `${Number(sums.conversions) + Number(sums.unattributed)} conversions (sent ${expected.conversion}; ` +
        `${sums.conversions} attributed); ${Number(sums.rows).toLocaleString('en')} change rows written\n`,
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
