import type { BackfillViewSpec } from '@social-pulse/shared';
import {
  identifier,
  parseViewStatement,
  resolveViewDefinition,
  type Measure,
  type ViewDefinition,
} from './view-backfill.sql';

/**
 * The SQL of the user erasure, and its pure planning: which tables hold a user, which rollups
 * counted them and for which periods, and how those periods are recomputed. The rollups' SQL is
 * not written here: each view's SELECT is read from its migration (view-backfill.sql.ts parses
 * it) and only restricted to the periods. Values travel as query parameters.
 */

/**
 * The sources of rollups the erasure recomputes, with the column each is partitioned by (the
 * range a period's rows lie in). Every materialized view the migrations define over one of them
 * (`CREATE MATERIALIZED VIEW … TO … AS SELECT … FROM <source> … GROUP BY …`) is recomputed.
 * `cutoverColumn` is the backfill's and unused here (sessions have no write time): it is set to
 * the time column so that the view definitions parse the same way as the backfill's.
 */
export const ERASURE_SOURCES: Readonly<Record<string, BackfillViewSpec>> = Object.freeze({
  events: { timeColumn: 'event_time', cutoverColumn: 'event_time', periodColumn: 'period' },
  sessions: { timeColumn: 'session_start', cutoverColumn: 'session_start', periodColumn: 'period' },
  ad_performance_changes: { timeColumn: 'minute', cutoverColumn: 'minute', periodColumn: 'period' },
});

/** The tables that hold a user's rows, in the order they are erased. */
export const ERASURE_TABLES = ['events', 'sessions', 'dead_letters', 'ad_performance_changes'] as const;
export type ErasureTable = (typeof ERASURE_TABLES)[number];

/**
 * Who the user is in each table's terms. Parameters: userId (String), anonymousIds (the anonymous
 * ids linked to the user, Array(String)), visitors (the user id and 'a:' + each anonymous id: how
 * sessions and ad reach name a visitor, Array(String)), needles (the JSON fragments that name the
 * user or an anonymous id in a dead letter's excerpt, Array(String)).
 *
 * - events: the user's own rows, and the anonymous rows (no user id) of a linked anonymous id;
 *   a row of another user that carries the same anonymous id (a shared device) is that user's.
 * - sessions: the visitor column is the user id, or 'a:' and the anonymous id.
 * - dead_letters: no typed user column; the excerpt is the rejected event as sent (JSON, possibly
 *   cut short), searched for `"user_id":"<id>"` or `"anonymous_id":"<id>"`.
 * - ad_performance_changes: `reached` lists visitors; the rows stay (their counts are per
 *   dimension, not per user) and the user is taken out of the list.
 */
export const USER_CONDITION: Readonly<Record<ErasureTable, string>> = Object.freeze({
  events: `(user_id = {userId:String} OR (user_id = '' AND has({anonymousIds:Array(String)}, anonymous_id)))`,
  sessions: `has({visitors:Array(String)}, user_id)`,
  dead_letters: `multiSearchAny(excerpt, {needles:Array(String)})`,
  ad_performance_changes: `hasAny(reached, {visitors:Array(String)})`,
});

/** The query parameters of USER_CONDITION for a user and its linked anonymous ids. */
export function userParams(userId: string, anonymousIds: readonly string[]) {
  const anonymous = [...new Set(anonymousIds)].filter((id) => id !== '');
  const json = (value: string) => JSON.stringify(value);
  return {
    userId,
    anonymousIds: anonymous,
    visitors: [userId, ...anonymous.map((id) => `a:${id}`)],
    needles: [`"user_id":${json(userId)}`, ...anonymous.map((id) => `"anonymous_id":${json(id)}`)],
  };
}

/** The anonymous ids the user's own events carry (the SDK's identify links them). Parameter: userId. */
export const linkedAnonymousIdsSql =
  `SELECT arraySort(groupUniqArray(anonymous_id)) AS ids FROM events ` +
  `WHERE user_id = {userId:String} AND anonymous_id != ''`;

export const countUserRowsSql = (table: ErasureTable) =>
  `SELECT count() AS rows FROM ${identifier(table, 'table')} WHERE ${USER_CONDITION[table]}`;

/**
 * Removes the user from a table, waited on: a lightweight DELETE (rows marked deleted at once,
 * dropped by the next merge) for the tables whose rows are the user's, an UPDATE of `reached`
 * (a mutation) for the ad changes, whose rows are not.
 */
export function eraseSql(table: ErasureTable): string {
  if (table === 'ad_performance_changes') {
    return (
      `ALTER TABLE ad_performance_changes UPDATE reached = arrayFilter(v -> NOT has({visitors:Array(String)}, v), reached) ` +
      `WHERE ${USER_CONDITION.ad_performance_changes}`
    );
  }
  return `DELETE FROM ${identifier(table, 'table')} WHERE ${USER_CONDITION[table]}`;
}

/** Settings that make a delete or mutation return only once it is applied. */
export const WAIT_FOR_MUTATION = { lightweight_deletes_sync: '2', mutations_sync: '2' } as const;

/** A view of a source the erasure recomputes, as its migration defines it, with its period's length. */
export interface ErasureView extends ViewDefinition {
  /** The expression of the view's period over the source's time column, e.g. toStartOfHour(event_time). */
  periodExpression: string;
  periodMs: number;
}

/**
 * Every materialized view over the erasure's sources, newest definition of each, in the order
 * the migrations define them. Views of another shape (a subquery) are not over these sources.
 */
export function erasureViews(statements: readonly string[]): ErasureView[] {
  const names = [
    ...new Set(
      statements
        .map(parseViewStatement)
        .filter((p) => p !== null && Object.hasOwn(ERASURE_SOURCES, p.source))
        .map((p) => p!.view),
    ),
  ];
  return names.map((view) => {
    const source = statements
      .map(parseViewStatement)
      .filter((p) => p?.view === view)
      .at(-1)!.source;
    const def = resolveViewDefinition(view, ERASURE_SOURCES[source], statements);
    const periodExpression = periodExpressionOf(def);
    return { ...def, periodExpression, periodMs: periodLength(periodExpression, def.timeColumn) };
  });
}

/** The items of a projection, split at its top-level commas. */
function projectionItems(projection: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < projection.length; i++) {
    const c = projection[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      items.push(projection.slice(start, i).trim());
      start = i + 1;
    }
  }
  items.push(projection.slice(start).trim());
  return items;
}

/** The expression the view's SELECT names its period column with (`toStartOfMinute(event_time) AS period`). */
export function periodExpressionOf(def: Pick<ViewDefinition, 'projection' | 'periodColumn' | 'view'>): string {
  const suffix = ` AS ${def.periodColumn}`;
  const item = projectionItems(def.projection).find((i) => i.endsWith(suffix));
  if (!item) throw new Error(`the view ${def.view} names no ${def.periodColumn} column`);
  return item.slice(0, -suffix.length).trim();
}

const PERIOD_FUNCTIONS: Record<string, number> = { Minute: 60_000, Hour: 3_600_000, Day: 86_400_000 };

/**
 * The length of a period: toStartOfMinute/Hour/Day of the time column, or the time column itself,
 * which is then a minute already (ad_performance_changes.minute). Anything else is refused: the
 * erasure would not know which source rows a period holds.
 */
export function periodLength(expression: string, timeColumn: string): number {
  if (expression === timeColumn) return 60_000;
  const match = /^toStartOf(Minute|Hour|Day)\((\w+)\)$/.exec(expression.replace(/\s+/g, ''));
  if (!match || match[2] !== timeColumn) {
    throw new Error(`the period ${JSON.stringify(expression)} is not toStartOfMinute/Hour/Day(${timeColumn})`);
  }
  return PERIOD_FUNCTIONS[match[1]];
}

/** The periods of a view the user's rows fell in (the view's own WHERE applied). Parameters as USER_CONDITION. */
export function userPeriodsSql(view: ErasureView, table: ErasureTable): string {
  const where = view.where === null ? USER_CONDITION[table] : `(${view.where}) AND ${USER_CONDITION[table]}`;
  return (
    `SELECT DISTINCT toString(${view.periodExpression}) AS period FROM ${view.source} ` +
    `WHERE ${where} ORDER BY period`
  );
}

export interface PeriodRange {
  /** ISO instants: [from, to) of periods, and so of the source's time column. */
  from: string;
  to: string;
  /** Periods in the range that the user's rows fell in. */
  periods: number;
}

const DAY_MS = 86_400_000;
const toMs = (period: string) => Date.parse(`${period.replace(' ', 'T')}Z`);
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Ranges of whole periods covering `periods` ('YYYY-MM-DD HH:MM:SS', UTC), each recomputed with
 * one delete and one insert: adjacent periods join, and so do periods at most `joinGap` periods
 * apart (recomputing an untouched period in between is exact too, and cheaper than another round
 * trip). A range of sub-day periods never crosses midnight, so it lies in one day's partition.
 */
export function planRanges(periods: readonly string[], periodMs: number, joinGap = 15): PeriodRange[] {
  const starts = [...new Set(periods.map(toMs))].sort((a, b) => a - b);
  if (starts.some(Number.isNaN)) throw new Error(`bad period in ${JSON.stringify(periods.slice(0, 3))}`);
  const ranges: { from: number; to: number; periods: number }[] = [];
  for (const start of starts) {
    if (start % periodMs !== 0 && periodMs <= DAY_MS) throw new Error(`${iso(start)} is not a period start`);
    const last = ranges.at(-1);
    const sameDay = periodMs >= DAY_MS || (last && Math.floor(last.from / DAY_MS) === Math.floor(start / DAY_MS));
    if (last && sameDay && start - last.to <= joinGap * periodMs) {
      last.to = start + periodMs;
      last.periods++;
    } else ranges.push({ from: start, to: start + periodMs, periods: 1 });
  }
  return ranges.map((r) => ({ from: iso(r.from), to: iso(r.to), periods: r.periods }));
}

/**
 * The first instant whose periods can be recomputed: the start of the first whole day the source
 * still holds (its TTL drops rows older than `sourceTtlDays`, a day at a time), a day of margin
 * included. An older period cannot be rebuilt from the source without losing the other users' rows.
 */
export function recomputeHorizon(nowMs: number, sourceTtlDays: number | null): number {
  if (sourceTtlDays === null) return 0;
  const start = nowMs - sourceTtlDays * DAY_MS;
  return start - (start % DAY_MS) + 2 * DAY_MS;
}

const INTERVAL_DAYS: Record<string, number> = { Day: 1, Week: 7, Month: 31, Quarter: 92, Year: 366 };

/** A source table's TTL in days from its CREATE TABLE (`TTL toDateTime(event_time) + toIntervalDay(90)`); null: none. */
export function sourceTtlDays(createTableQuery: string, timeColumn: string): number | null {
  const match = new RegExp(
    `\\bTTL (?:toDateTime\\(${timeColumn}\\)|${timeColumn}) \\+ toInterval(Day|Week|Month|Quarter|Year)\\((\\d+)\\)`,
  ).exec(createTableQuery);
  return match ? Number(match[2]) * INTERVAL_DAYS[match[1]] : null;
}

/** A marker in the text of each recompute query: a retry waits until an abandoned one has ended. */
export const recomputeMarker = (erasureId: string, view: string) => `erasure ${erasureId} recompute ${view}`;

/** The target's rows of the periods [from, to). Parameters: from, to. */
export const rangeDeleteSql = (view: ErasureView) =>
  `DELETE FROM ${view.target} WHERE ${view.periodColumn} >= {from:DateTime64(3, 'UTC')} AND ${view.periodColumn} < {to:DateTime64(3, 'UTC')}`;

/** The view's SELECT over the source rows of [from, to): what the view would have written for those periods. */
function rangeSelect(view: ErasureView): string {
  const range = `${view.timeColumn} >= {from:DateTime64(3, 'UTC')} AND ${view.timeColumn} < {to:DateTime64(3, 'UTC')}`;
  const where = view.where === null ? range : `(${view.where}) AND ${range}`;
  return `SELECT ${view.projection} FROM ${view.source} WHERE ${where} GROUP BY ${view.groupBy}`;
}

/** The periods [from, to) refilled from the (user-free) source. Parameters: from, to. */
export const rangeInsertSql = (view: ErasureView, marker: string) =>
  `/* ${marker} */ INSERT INTO ${view.target} ${rangeSelect(view)}`;

/**
 * Per period of [from, to), the target's measures against the view's SELECT over the source: the
 * number of periods and of those that differ. Parameters: from, to.
 */
export function rangeCompareSql(view: ErasureView, measures: readonly Measure[]): string {
  if (measures.length === 0) throw new Error(`${view.target} has no measure to compare`);
  const p = view.periodColumn;
  const merged = measures.map((m) => `${m.merge} AS ${m.column}`).join(', ');
  const sourceMerged = measures.map((m) => `${m.sourceMerge} AS ${m.column}`).join(', ');
  const differs = measures.map((m) => `t.${m.column} != s.${m.column}`).join(' OR ');
  return (
    `SELECT count() AS periods, countIf(${differs}) AS mismatched FROM ` +
    `(SELECT ${p}, ${merged} FROM ${view.target} WHERE ${p} >= {from:DateTime64(3, 'UTC')} AND ${p} < {to:DateTime64(3, 'UTC')} GROUP BY ${p}) AS t ` +
    `FULL OUTER JOIN (SELECT ${p}, ${sourceMerged} FROM (${rangeSelect(view)}) GROUP BY ${p}) AS s USING (${p})`
  );
}

/**
 * The deduplication token of one refill. A refill always follows a delete of its periods, so a
 * token reused after a delete would make ClickHouse drop the refill as a repeat (the token outlives
 * the rows it wrote): each round of each attempt has its own, and a repeated request of one round
 * (a client retry of the same INSERT) is dropped.
 */
export const recomputeToken = (
  erasureId: string,
  view: string,
  range: Pick<PeriodRange, 'from' | 'to'>,
  round: string,
) => `erasure:${erasureId}:${view}:${range.from}/${range.to}:${round}`;

/** Redis MATCH patterns escape *, ?, [ and \ in a literal part. */
export const globLiteral = (text: string) => text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
