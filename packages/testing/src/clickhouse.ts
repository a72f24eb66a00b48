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

/** One rollup's figures next to the same aggregate computed from the table it is fed from. */
export interface RollupCheck {
  table: string;
  rolled: Record<string, number>;
  raw: Record<string, number>;
}

type Period = 'toStartOfMinute' | 'toStartOfHour' | 'toStartOfDay';
const ROLLUP_PERIODS: { suffix: string; period: Period }[] = [
  { suffix: 'minute', period: 'toStartOfMinute' },
  { suffix: 'hour', period: 'toStartOfHour' },
  { suffix: 'day', period: 'toStartOfDay' },
];

/** One row of numbers (every column read as a number) from the server at `url`. */
async function figures(url: string, sql: string, params: Record<string, string>): Promise<Record<string, number>> {
  const search = new URLSearchParams({ query: `${sql} FORMAT JSONEachRow`, ...params });
  const res = await fetch(`${url}/?${search}`, { method: 'POST', signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`ClickHouse answered ${res.status}: ${text.slice(0, 300)}`);
  const row = JSON.parse(text) as Record<string, string>;
  return Object.fromEntries(Object.entries(row).map(([name, value]) => [name, Number(value)]));
}

const rangeParams = (from: Date, to: Date) => ({
  param_from: from.toISOString().slice(0, 19),
  param_to: to.toISOString().slice(0, 19),
});

/**
 * Each engagement rollup (clickhouse/migrations/0004_engagement_rollups.sql) against the raw
 * archive, over the periods whose start lies in [from, to): events, visitors and sessions. A view
 * fed a block twice (a replayed insert that got through) shows as more rolled events than raw.
 */
export async function checkEngagementRollups(url: string, from: Date, to: Date): Promise<RollupCheck[]> {
  const params = rangeParams(from, to);
  return Promise.all(
    ROLLUP_PERIODS.map(async ({ suffix, period }) => ({
      table: `engagement_${suffix}`,
      rolled: await figures(
        url,
        `SELECT sum(events) AS events, uniqMerge(users) AS users, uniqMerge(sessions) AS sessions
         FROM engagement_${suffix} WHERE period >= {from:DateTime('UTC')} AND period < {to:DateTime('UTC')}`,
        params,
      ),
      raw: await figures(
        url,
        `SELECT count() AS events, uniq(if(user_id != '', user_id, concat('a:', anonymous_id))) AS users,
                uniqIf(session_id, session_id != '') AS sessions FROM events
         WHERE ${period}(event_time) >= {from:DateTime('UTC')} AND ${period}(event_time) < {to:DateTime('UTC')}`,
        params,
      ),
    })),
  );
}

/**
 * Each session rollup (clickhouse/migrations/0005_sessions.sql) against the sealed sessions it is
 * fed from, over the periods whose start lies in [from, to): sessions, events, bounces, visitors
 * and total duration. A sealed report that reached a view twice shows as more rolled sessions.
 */
export async function checkSessionRollups(url: string, from: Date, to: Date): Promise<RollupCheck[]> {
  const params = rangeParams(from, to);
  return Promise.all(
    ROLLUP_PERIODS.map(async ({ suffix, period }) => ({
      table: `session_${suffix}`,
      rolled: await figures(
        url,
        `SELECT sum(sessions) AS sessions, sum(events) AS events, sum(bounces) AS bounces,
                uniqMerge(users) AS users, sum(duration_ms_sum) AS duration_ms
         FROM session_${suffix} WHERE period >= {from:DateTime('UTC')} AND period < {to:DateTime('UTC')}`,
        params,
      ),
      raw: await figures(
        url,
        `SELECT count() AS sessions, sum(events) AS events, countIf(is_bounce) AS bounces,
                uniq(user_id) AS users, sum(duration_ms) AS duration_ms
         FROM sessions FINAL WHERE status = 'sealed'
           AND ${period}(session_start) >= {from:DateTime('UTC')} AND ${period}(session_start) < {to:DateTime('UTC')}`,
        params,
      ),
    })),
  );
}

/**
 * Each ad performance fact (clickhouse/migrations/0006_ad_performance.sql) against the change rows
 * it is fed from, over the periods whose start lies in [from, to): the measures and the users
 * reached. A view fed a block twice shows as more rolled than raw.
 */
export async function checkAdRollups(url: string, from: Date, to: Date): Promise<RollupCheck[]> {
  const params = rangeParams(from, to);
  const measures = ['impressions', 'clicks', 'attributed_clicks', 'conversions', 'unattributed_conversions'];
  const money = ['spend_micros', 'revenue_micros', 'unattributed_revenue_micros'];
  const sums = [...measures, ...money].map((m) => `sum(${m}) AS ${m}`).join(', ');
  return Promise.all(
    ROLLUP_PERIODS.map(async ({ suffix, period }) => ({
      table: `ad_performance_${suffix}`,
      rolled: await figures(
        url,
        `SELECT ${sums}, uniqMerge(users) AS users FROM ad_performance_${suffix}
         WHERE period >= {from:DateTime('UTC')} AND period < {to:DateTime('UTC')}`,
        params,
      ),
      raw: await figures(
        url,
        `SELECT ${sums}, uniqArray(reached) AS users FROM ad_performance_changes
         WHERE ${period}(minute) >= {from:DateTime('UTC')} AND ${period}(minute) < {to:DateTime('UTC')}`,
        params,
      ),
    })),
  );
}
