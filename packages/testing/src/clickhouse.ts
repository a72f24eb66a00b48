/**
 * How many statements whose text contains `marker` the ClickHouse server at `url` is running now,
 * from its `system.processes` (read on a connection of its own; the chDB server lists the
 * statements of all its engine connections there, as ClickHouse does). For waiting until a slow
 * query has started, rather than sleeping: give the query a unique marker, e.g. a literal
 * `'<uuid>'` in its SELECT, and poll this until it is 1.
 */
export async function countRunningQueries(
  url: string,
  marker: string,
  init: { headers?: Record<string, string> } = {},
): Promise<number> {
  if (/['\\%]/.test(marker)) throw new Error(`a marker must not need quoting in SQL or LIKE: ${marker}`);
  const sql = `SELECT count() FROM system.processes WHERE query LIKE '%${marker}%' AND query NOT LIKE '%system.processes%'`;
  const res = await fetch(`${url}/?query=${encodeURIComponent(sql)}`, {
    method: 'POST',
    headers: init.headers,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`system.processes could not be read (${res.status}): ${text.slice(0, 300)}`);
  return Number(text.trim());
}

/** One rollup's figures next to the same aggregate computed from the raw `events` archive. */
export interface RollupCheck {
  table: string;
  rolled: { events: number; users: number; sessions: number };
  raw: { events: number; users: number; sessions: number };
}

const ROLLUPS = [
  { table: 'engagement_minute', period: 'toStartOfMinute(event_time)' },
  { table: 'engagement_hour', period: 'toStartOfHour(event_time)' },
  { table: 'engagement_day', period: 'toStartOfDay(event_time)' },
] as const;

/**
 * Each engagement rollup (clickhouse/migrations/0004_engagement_rollups.sql) against the raw
 * archive, over the periods whose start lies in [from, to): events, visitors and sessions. A view
 * fed a block twice (a replayed insert that got through) shows as more rolled events than raw.
 */
export async function checkEngagementRollups(url: string, from: Date, to: Date): Promise<RollupCheck[]> {
  const query = async (sql: string, params: Record<string, string>) => {
    const search = new URLSearchParams({ query: `${sql} FORMAT JSONEachRow`, ...params });
    const res = await fetch(`${url}/?${search}`, { method: 'POST', signal: AbortSignal.timeout(30_000) });
    const text = await res.text();
    if (!res.ok) throw new Error(`ClickHouse answered ${res.status}: ${text.slice(0, 300)}`);
    const row = JSON.parse(text) as { events: string; users: string; sessions: string };
    return { events: Number(row.events), users: Number(row.users), sessions: Number(row.sessions) };
  };
  const params = { param_from: from.toISOString().slice(0, 19), param_to: to.toISOString().slice(0, 19) };
  return Promise.all(
    ROLLUPS.map(async ({ table, period }) => ({
      table,
      rolled: await query(
        `SELECT sum(events) AS events, uniqMerge(users) AS users, uniqMerge(sessions) AS sessions FROM ${table}
         WHERE period >= {from:DateTime('UTC')} AND period < {to:DateTime('UTC')}`,
        params,
      ),
      raw: await query(
        `SELECT count() AS events, uniq(if(user_id != '', user_id, concat('a:', anonymous_id))) AS users,
                uniqIf(session_id, session_id != '') AS sessions FROM events
         WHERE ${period} >= {from:DateTime('UTC')} AND ${period} < {to:DateTime('UTC')}`,
        params,
      ),
    })),
  );
}
