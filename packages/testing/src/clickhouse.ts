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
