import { LATEST_CANARY_TOPICS, LATEST_TRENDING, TOPIC_HISTORY } from '@social-pulse/api/trending-queries';
import { MIGRATIONS_DIR, createClickHouse, migrate, readMigrations } from '@social-pulse/clickhouse';
import { platform } from '@social-pulse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The project's real migrations in a database of this test's own, read with the API's own SQL:
 * a replayed window's list replaces the earlier one whole, the history keeps one point per
 * minute, and the dashboard's read opens only the partitions it needs.
 */
describe('trending storage', () => {
  const database = `trending_storage_${Date.now()}`;
  const admin = createClickHouse({ url: platform.clickhouseUrl });
  const client = createClickHouse({ url: platform.clickhouseUrl, database });

  // Times from the start of the current hour: rows older than their TTL (120 window lengths) would
  // be dropped as they are inserted.
  const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
  const time = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
  const at = (minutes: number, seconds = 0) => time(hour + minutes * 60_000 + seconds * 1000);
  const row = (windowSize: string, windowEnd: string, rank: number, topic: string, computedAt: string) => {
    const end = Date.parse(`${windowEnd}Z`);
    const seconds = { '1m': 60, '5m': 300, '15m': 900 }[windowSize]!;
    return {
      window_size: windowSize,
      window_start: time(end - seconds * 1000),
      window_end: time(end),
      rank,
      topic,
      score: 10 - rank,
      mentions: 100 - rank,
      unique_authors: 50,
      weighted_mentions: 50,
      damping: 0.5,
      bot_mentions: 0,
      baseline: 5,
      velocity: 2,
      computed_at: computedAt,
    };
  };
  const insert = (rows: unknown[]) => client.insert({ table: 'trending_topics', values: rows, format: 'JSONEachRow' });
  const latest = async (window: string, query = LATEST_TRENDING) =>
    (
      await client.query({
        query,
        query_params: { window, since: at(-24 * 60), limit: 50 },
        format: 'JSONEachRow',
      })
    ).json<{ topic: string; rank: number }>();

  beforeAll(async () => {
    await admin.command({ query: `CREATE DATABASE ${database}` });
    await migrate(client, readMigrations(MIGRATIONS_DIR));
  });
  afterAll(async () => {
    await admin.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    await Promise.all([admin.close(), client.close()]);
  });

  it('should serve only the newest generation of a replayed window, so a dropped topic disappears', async () => {
    const end = at(0, 2);
    await insert(['alpha', 'beta', 'gamma'].map((t, i) => row('1m', end, i + 1, t, at(0, 3))));
    expect((await latest('1m')).map((r) => r.topic)).toEqual(['alpha', 'beta', 'gamma']);

    // The replay after a restart: beta fell out, gamma moved up.
    await insert(['alpha', 'gamma'].map((t, i) => row('1m', end, i + 1, t, at(5))));
    expect((await latest('1m')).map((r) => [r.rank, r.topic])).toEqual([
      [1, 'alpha'],
      [2, 'gamma'],
    ]);
  });

  it('should keep one history point per topic and minute, the latest window winning, replays not doubling', async () => {
    await insert([row('1m', at(0, 4), 1, 'alpha', at(0, 5))]);
    await insert([row('1m', at(0, 4), 1, 'alpha', at(6))]);
    await insert([row('1m', at(1, 10), 1, 'alpha', at(1, 11))]);
    const points = await (
      await client.query({
        query: TOPIC_HISTORY,
        query_params: { window: '1m', topic: 'alpha', since: at(-60).slice(0, 19) },
        format: 'JSONEachRow',
      })
    ).json<{ minute: string; window_end: string }>();
    expect(points.map((p) => [p.minute, p.window_end])).toEqual([
      [at(0).slice(0, 19), at(0, 4)],
      [at(1).slice(0, 19), at(1, 10)],
    ]);
  });

  it("should read only the asked horizon's recent partitions for the dashboard", async () => {
    // Four partitions: two horizons, two hours apart.
    await insert([row('5m', at(-120), 1, 'old', at(-120, 1))]);
    await insert([row('5m', at(0), 1, 'new', at(0, 1))]);
    await insert([row('15m', at(0), 1, 'other', at(0, 1))]);
    const explain = await (
      await client.query({
        query: `EXPLAIN indexes = 1 ${LATEST_TRENDING}`,
        query_params: { window: '5m', since: at(-5), limit: 50 },
        format: 'TabSeparatedRaw',
      })
    ).text();
    // The generation subquery reads the one partition of 5m in this hour out of the table's parts; the
    // outer read is planned on the subquery's set (empty while explaining) and so reads none.
    const table = await (
      await client.query({
        query:
          "SELECT count() AS parts FROM system.parts WHERE database = currentDatabase() AND table = 'trending_topics' AND active",
        format: 'JSONEachRow',
      })
    ).json<{ parts: string }>();
    const reads = [...explain.matchAll(/Partition\n[\s\S]*?Parts: (\d+)\/(\d+)/g)].map(([, s]) => Number(s));
    expect(reads.length, explain).toBeGreaterThan(0);
    expect(Math.max(...reads), explain).toBe(1);
    expect(Number(table[0].parts)).toBeGreaterThan(3);
    expect((await latest('5m')).map((r) => r.topic)).toEqual(['new']);
  });

  it("should keep the canary's topics out of the dashboard's list, and show them to the canary's query", async () => {
    // As the job writes them: the top N (here 2), then the canary's topics at the ranks after it.
    const end = at(3, 0);
    await insert([
      row('1m', end, 1, 'alpha', at(3, 1)),
      row('1m', end, 2, 'beta', at(3, 1)),
      row('1m', end, 51, 'CANARY:canary-1', at(3, 1)),
    ]);
    // A later window with no topic but the canary's: not the dashboard's latest.
    await insert([row('1m', at(3, 2), 51, 'CANARY:canary-2', at(3, 3))]);

    expect((await latest('1m')).map((r) => r.topic)).toEqual(['alpha', 'beta']);
    expect((await latest('1m', LATEST_CANARY_TOPICS)).map((r) => r.topic)).toEqual(['CANARY:canary-2']);
  });
});
