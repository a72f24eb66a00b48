import type { BackfillViewSpec } from '@social-pulse/shared';

/**
 * The SQL of the materialized-view backfill, built from a view's migration statement. Pure
 * functions: identifiers are checked against IDENTIFIER before they are spliced in, and values
 * travel as query parameters ({name:Type}) except the cut-over instant inside the view's DDL,
 * which ClickHouse stores as text and which is built from a checked ISO instant.
 */

/** Plain, unquoted ClickHouse identifiers only: what every table and column of the platform is. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function identifier(name: string, what = 'identifier'): string {
  if (!IDENTIFIER.test(name)) throw new Error(`${what} ${JSON.stringify(name)} is not a plain identifier`);
  return name;
}

/** A view as the backfill needs it: names from the migration (renamed for scratch copies), columns from the catalogue. */
export interface ViewDefinition extends BackfillViewSpec {
  view: string;
  target: string;
  source: string;
  /** The SELECT's parts: the projection, the WHERE condition (or null) and the GROUP BY list. */
  projection: string;
  where: string | null;
  groupBy: string;
}

interface ParsedView {
  view: string;
  target: string;
  source: string;
  projection: string;
  where: string | null;
  groupBy: string;
}

const VIEW_STATEMENT =
  /^CREATE MATERIALIZED VIEW (?:IF NOT EXISTS )?(\w+) TO (\w+) AS SELECT (.+?) FROM (\w+)(?: WHERE (.+?))? GROUP BY (.+)$/i;

/**
 * A `CREATE MATERIALIZED VIEW <name> TO <target> AS SELECT … FROM <source> [WHERE …] GROUP BY …`
 * statement's parts, or null for any other statement (or a view of another shape: a join, a
 * subquery, no GROUP BY), which the backfill does not take apart.
 */
export function parseViewStatement(statement: string): ParsedView | null {
  const match = VIEW_STATEMENT.exec(statement.replace(/\s+/g, ' ').trim());
  if (!match) return null;
  const [, view, target, projection, source, where, groupBy] = match;
  if (/\b(?:FROM|JOIN|UNION)\b/i.test(`${projection} ${where ?? ''} ${groupBy}`)) return null;
  return { view, target, source, projection, where: where ?? null, groupBy };
}

/**
 * The newest definition of `view` among the migration statements (a later migration that
 * redefines a view wins), with its tables passed through `rename` (scratch copies in tests).
 */
export function resolveViewDefinition(
  view: string,
  spec: BackfillViewSpec,
  statements: readonly string[],
  rename: (table: string) => string = (table) => table,
): ViewDefinition {
  const parsed = statements
    .map(parseViewStatement)
    .filter((p) => p?.view === view)
    .at(-1);
  if (!parsed) throw new Error(`no migration defines the materialized view ${view} as SELECT … FROM … GROUP BY …`);
  for (const column of [spec.timeColumn, spec.cutoverColumn, spec.periodColumn]) identifier(column, 'column');
  return {
    ...spec,
    ...parsed,
    view: identifier(rename(parsed.view), 'view'),
    target: identifier(rename(parsed.target), 'table'),
    source: identifier(rename(parsed.source), 'table'),
  };
}

const ISO_INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}\.\d{3})Z$/;

/** A DateTime64(3, 'UTC') literal of an ISO instant as Date.toISOString() writes it; anything else throws. */
export function instantLiteral(iso: string): string {
  const match = ISO_INSTANT.exec(iso);
  if (!match || Number.isNaN(Date.parse(iso))) throw new Error(`${JSON.stringify(iso)} is not an ISO instant`);
  return `toDateTime64('${match[1]} ${match[2]}', 3, 'UTC')`;
}

/** The ISO instant as a DateTime64 query parameter value. */
export const instantParam = (iso: string): string => {
  instantLiteral(iso);
  return iso.slice(0, 23).replace('T', ' ');
};

/** The comment a backfilled view carries: how a retried switch recognises the view it created. */
export const cutoverComment = (cutover: string) => `backfill cutover ${cutover}`;

const whereWith = (def: ViewDefinition, condition: string) =>
  def.where === null ? condition : `(${def.where}) AND ${condition}`;

/** The live view from the cut-over on: the migration's SELECT, for rows written at or after the instant. */
export function createViewSql(def: ViewDefinition, cutover: string): string {
  const from = `${def.source} WHERE ${whereWith(def, `${def.cutoverColumn} >= ${instantLiteral(cutover)}`)}`;
  return (
    `CREATE MATERIALIZED VIEW ${def.view} TO ${def.target} AS SELECT ${def.projection} FROM ${from} ` +
    `GROUP BY ${def.groupBy} COMMENT '${cutoverComment(cutover)}'`
  );
}

/** The view's SELECT over the rows of source time [from, to) written before the cut-over. */
function historySelect(def: ViewDefinition, upperBound: boolean): string {
  const range =
    `${def.timeColumn} >= {from:DateTime64(3, 'UTC')}` +
    (upperBound ? ` AND ${def.timeColumn} < {to:DateTime64(3, 'UTC')}` : '');
  return (
    `SELECT ${def.projection} FROM ${def.source} ` +
    `WHERE ${whereWith(def, `${range} AND ${def.cutoverColumn} < {cutover:DateTime64(3, 'UTC')}`)} ` +
    `GROUP BY ${def.groupBy}`
  );
}

/** One chunk: the view's SELECT over [from, to) of history, into the target. Parameters: from, to, cutover. */
export const chunkInsertSql = (def: ViewDefinition): string => `INSERT INTO ${def.target} ${historySelect(def, true)}`;

/**
 * Settings of a chunk's INSERT: its token makes a repeat of the same chunk a no-op (the target's
 * non_replicated_deduplication_window remembers it), and squashing the whole chunk into one block
 * (one part per target partition, and a chunk lies in one day) makes the insert all or nothing, so a
 * repeat finds either nothing or exactly the blocks the token names.
 */
export function chunkInsertSettings(token: string) {
  return {
    insert_deduplicate: 1 as const,
    insert_deduplication_token: token,
    max_insert_threads: '1',
    min_insert_block_size_rows: '1000000000',
    min_insert_block_size_bytes: '68719476736',
  };
}

/** Unique per (view, cut-over, chunk): a chunk is named by its time range, so a re-plan keeps its token. */
export const dedupToken = (view: string, cutover: string, chunk: Pick<Chunk, 'from' | 'to'>) =>
  `backfill:${view}:${cutover}:${chunk.from}/${chunk.to}`;

/** Rows to fill per hour of source time since `from`, written before the cut-over. Parameters: from, cutover. */
export function planQuerySql(def: ViewDefinition): string {
  const written = whereWith(
    def,
    `${def.timeColumn} >= {from:DateTime64(3, 'UTC')} AND ${def.cutoverColumn} < {cutover:DateTime64(3, 'UTC')}`,
  );
  return (
    `SELECT toStartOfHour(${def.timeColumn}) AS hour, count() AS rows FROM ${def.source} ` +
    `WHERE ${written} GROUP BY hour ORDER BY hour`
  );
}

export interface HourCount {
  /** The hour's start, 'YYYY-MM-DD HH:MM:SS' in UTC (as ClickHouse writes a DateTime). */
  hour: string;
  rows: number;
}

export interface Chunk {
  index: number;
  /** ISO instants; [from, to) of source time. */
  from: string;
  to: string;
  /** Source rows the plan counted in it. */
  rows: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const toMs = (hour: string) => Date.parse(`${hour.replace(' ', 'T')}Z`);
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Chunks that tile each day holding rows, in order: hours are packed while the chunk stays within
 * `maxRows`, an hour above it is cut into equal slices, and the first and last chunk of a day reach
 * its midnights, so a row of that day that the plan did not count still falls in a chunk. A chunk
 * never crosses midnight, so it lies in one source partition and one target partition.
 */
export function planChunks(hours: readonly HourCount[], maxRows: number): Chunk[] {
  if (!(Number.isInteger(maxRows) && maxRows > 0)) throw new Error(`maxRows must be a positive integer`);
  const byDay = new Map<number, { start: number; rows: number }[]>();
  for (const { hour, rows } of hours) {
    const start = toMs(hour);
    if (Number.isNaN(start)) throw new Error(`bad hour ${JSON.stringify(hour)}`);
    if (rows <= 0) continue;
    const day = start - (start % DAY_MS);
    byDay.set(day, [...(byDay.get(day) ?? []), { start, rows }]);
  }
  const ranges: Omit<Chunk, 'index'>[] = [];
  for (const day of [...byDay.keys()].sort((a, b) => a - b)) {
    // cursor: where the day's next chunk starts; hours without rows join the chunk after them.
    let cursor = day;
    let open: { from: number; rows: number } | null = null;
    const close = (to: number) => {
      if (open) ranges.push({ from: iso(open.from), to: iso(to), rows: open.rows });
      open = null;
      cursor = to;
    };
    for (const bucket of byDay.get(day)!.sort((a, b) => a.start - b.start)) {
      if (bucket.rows > maxRows) {
        if (open) close(bucket.start);
        const slices = Math.ceil(bucket.rows / maxRows);
        const edges = Array.from({ length: slices + 1 }, (_, i) => bucket.start + Math.round((i * HOUR_MS) / slices));
        edges[0] = cursor;
        for (let i = 0; i < slices; i++) {
          const rows = Math.floor(bucket.rows / slices) + (i < bucket.rows % slices ? 1 : 0);
          ranges.push({ from: iso(edges[i]), to: iso(edges[i + 1]), rows });
        }
        cursor = edges[slices];
        continue;
      }
      if (open && open.rows + bucket.rows > maxRows) close(bucket.start);
      open ??= { from: cursor, rows: 0 };
      open.rows += bucket.rows;
    }
    if (open) close(day + DAY_MS);
    else if (cursor < day + DAY_MS) {
      // The day ended on a sliced hour: its last slice reaches midnight.
      ranges[ranges.length - 1] = { ...ranges[ranges.length - 1], to: iso(day + DAY_MS) };
    }
  }
  return ranges.map((range, index) => ({ index, ...range }));
}

export interface TargetColumn {
  name: string;
  type: string;
}

/** A measure the reconcile compares: its exact merge over the target's states, and over the view's SELECT. */
export interface Measure {
  column: string;
  merge: string;
  /**
   * The merge of the same column as the view's SELECT makes it, cast to the target's type: the
   * ads views store uniqArrayState(reached) as AggregateFunction(uniq, String), which uniqMerge
   * takes only once cast.
   */
  sourceMerge: string;
}

/**
 * The target's measures that merge exactly whatever the blocks were: sums and uniq states. Other
 * states (t-digests) depend on the order they were merged in, so two right answers may differ;
 * they are left out of the comparison.
 */
export function measuresOf(columns: readonly TargetColumn[]): Measure[] {
  const measures: Measure[] = [];
  for (const { name, type } of columns) {
    identifier(name, 'column');
    if (/^SimpleAggregateFunction\(sum, /.test(type)) {
      measures.push({ column: name, merge: `sum(${name})`, sourceMerge: `sum(${name})` });
    } else if (/^AggregateFunction\(uniq, /.test(type)) {
      if (type.includes("'")) throw new Error(`column ${name}: unexpected type ${type}`);
      measures.push({ column: name, merge: `uniqMerge(${name})`, sourceMerge: `uniqMerge(CAST(${name}, '${type}'))` });
    }
  }
  return measures;
}

/**
 * Per period since `from`: the target's measures against the same measures of the view's SELECT
 * over the source (every row, whichever side of the cut-over), and the periods that differ.
 * Parameter: from. One row: periods, mismatched, the first mismatched periods, and per measure the
 * target's and the source's totals.
 */
export function reconcileSql(def: ViewDefinition, measures: readonly Measure[]): string {
  if (measures.length === 0) throw new Error(`${def.target} has no measure to reconcile`);
  const p = def.periodColumn;
  const merged = measures.map((m) => `${m.merge} AS ${m.column}`).join(', ');
  const sourceMerged = measures.map((m) => `${m.sourceMerge} AS ${m.column}`).join(', ');
  const sourceRows =
    `SELECT ${def.projection} FROM ${def.source} ` +
    `WHERE ${whereWith(def, `${def.timeColumn} >= {from:DateTime64(3, 'UTC')}`)} GROUP BY ${def.groupBy}`;
  const differs = measures.map((m) => `t.${m.column} != s.${m.column}`).join(' OR ');
  const totals = measures.map(
    (m) => `toString(sum(t.${m.column})) AS target_${m.column}, toString(sum(s.${m.column})) AS source_${m.column}`,
  );
  return (
    `SELECT count() AS periods, countIf(${differs}) AS mismatched, ` +
    `arraySlice(arraySort(groupArrayIf(toString(${p}), ${differs})), 1, 5) AS examples, ${totals.join(', ')} ` +
    `FROM (SELECT ${p}, ${merged} FROM ${def.target} WHERE ${p} >= {from:DateTime64(3, 'UTC')} GROUP BY ${p}) AS t ` +
    `FULL OUTER JOIN (SELECT ${p}, ${sourceMerged} FROM (${sourceRows}) GROUP BY ${p}) AS s USING (${p})`
  );
}

const INTERVAL_DAYS: Record<string, number> = { Day: 1, Week: 7, Month: 31, Quarter: 92, Year: 366 };

/**
 * The target's TTL in whole days, from its CREATE TABLE as ClickHouse shows it
 * (`TTL period + toIntervalDay(14)`), rounded up; null when it has none this understands.
 */
export function ttlDays(createTableQuery: string, periodColumn: string): number | null {
  const match = new RegExp(`\\bTTL ${periodColumn} \\+ toInterval(Day|Week|Month|Quarter|Year)\\((\\d+)\\)`).exec(
    createTableQuery,
  );
  return match ? Number(match[2]) * INTERVAL_DAYS[match[1]] : null;
}

/** non_replicated_deduplication_window of a MergeTree table from its CREATE TABLE; 0 when unset. */
export function deduplicationWindow(createTableQuery: string): number {
  const match = /\bnon_replicated_deduplication_window = (\d+)/.exec(createTableQuery);
  return match ? Number(match[1]) : 0;
}
