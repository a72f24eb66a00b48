import { LATEST_TRENDING, TOPIC_HISTORY } from '@social-pulse/api/trending-queries';
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

  const row = (windowSize: string, windowEnd: string, rank: number, topic: string, computedAt: string) => {
    const end = Date.parse(`${windowEnd}Z`);
    const seconds = { '1m': 60, '5m': 300, '15m': 900 }[windowSize]!;
    const time = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
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
  const latest = async (window: string) =>
    (
      await client.query({
        query: LATEST_TRENDING,
        query_params: { window, since: '2026-01-01 00:00:00.000', limit: 50 },
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
    const end = '2026-11-26 10:00:02.000';
    await insert(['alpha', 'beta', 'gamma'].map((t, i) => row('1m', end, i + 1, t, '2026-11-26 10:00:03.000')));
    expect((await latest('1m')).map((r) => r.topic)).toEqual(['alpha', 'beta', 'gamma']);

    // The replay after a restart: beta fell out, gamma moved up.
    await insert(['alpha', 'gamma'].map((t, i) => row('1m', end, i + 1, t, '2026-11-26 10:05:00.000')));
    expect((await latest('1m')).map((r) => [r.rank, r.topic])).toEqual([
      [1, 'alpha'],
      [2, 'gamma'],
    ]);
  });

  it('should keep one history point per topic and minute, the latest window winning, replays not doubling', async () => {
    await insert([row('1m', '2026-11-26 10:00:04.000', 1, 'alpha', '2026-11-26 10:00:05.000')]);
    await insert([row('1m', '2026-11-26 10:00:04.000', 1, 'alpha', '2026-11-26 10:06:00.000')]);
    await insert([row('1m', '2026-11-26 10:01:10.000', 1, 'alpha', '2026-11-26 10:01:11.000')]);
    const points = await (
      await client.query({
        query: TOPIC_HISTORY,
        query_params: { window: '1m', topic: 'alpha', since: '2026-11-26 09:00:00' },
        format: 'JSONEachRow',
      })
    ).json<{ minute: string; window_end: string }>();
    expect(points.map((p) => [p.minute, p.window_end])).toEqual([
      ['2026-11-26 10:00:00', '2026-11-26 10:00:04.000'],
      ['2026-11-26 10:01:00', '2026-11-26 10:01:10.000'],
    ]);
  });

  it("should read only the asked horizon's recent partitions for the dashboard", async () => {
    // Four partitions: two horizons, two hours apart.
    await insert([row('5m', '2026-11-26 08:00:00.000', 1, 'old', '2026-11-26 08:00:01.000')]);
    await insert([row('5m', '2026-11-26 11:00:00.000', 1, 'new', '2026-11-26 11:00:01.000')]);
    await insert([row('15m', '2026-11-26 11:00:00.000', 1, 'other', '2026-11-26 11:00:01.000')]);
    const explain = await (
      await client.query({
        query: `EXPLAIN indexes = 1 ${LATEST_TRENDING}`,
        query_params: { window: '5m', since: '2026-11-26 10:55:00.000', limit: 50 },
        format: 'TabSeparatedRaw',
      })
    ).text();
    // Every read of trending_topics (the list and its generation subquery) selects the one
    // partition of 5m at 11:00 out of all the table's parts.
    const partitionLines = [...explain.matchAll(/Partition[\s\S]*?Parts: (\d+)\/(\d+)/g)];
    expect(partitionLines.length, explain).toBeGreaterThan(0);
    for (const [, selected, total] of partitionLines) {
      expect(Number(selected), explain).toBe(1);
      expect(Number(total), explain).toBeGreaterThan(1);
    }
    expect((await latest('5m')).map((r) => r.topic)).toEqual(['new']);
  });
});
