import type { ClickHouseClient } from '@clickhouse/client';
import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import { readMigrations } from '@social-pulse/clickhouse';
import { whileHeartbeating } from './heartbeat';
import { BACKFILL_VIEWS, isBackfillViewName } from '@social-pulse/shared';
import {
  chunkInsertSettings,
  chunkInsertSql,
  createViewSql,
  cutoverComment,
  dedupToken,
  deduplicationWindow,
  instantParam,
  measuresOf,
  planChunks,
  planQuerySql,
  reconcileSql,
  resolveViewDefinition,
  ttlDays,
  type Chunk,
  type HourCount,
  type TargetColumn,
  type ViewDefinition,
} from './view-backfill.sql';

export type { Chunk } from './view-backfill.sql';

export interface ViewBackfillDeps {
  clickhouse: ClickHouseClient;
  /** Where the views' definitions are read from: clickhouse/migrations (MIGRATIONS_DIR). */
  migrationsDir: string;
  /** Table and view names as they are in this database; tests map them to scratch copies. */
  rename?: (table: string) => string;
  /** Pause between two reconcile attempts while live writes settle (tests shorten it). */
  reconcileRetryMs?: number;
  /** How often a chunk being inserted heartbeats (the workflow's heartbeat timeout is a few of these). */
  heartbeatMs?: number;
}

/** The failure type of a switch that came too late to start the view before its cut-over; the workflow picks a later one. */
export const CUTOVER_PASSED = 'CutoverPassed';
/** The failure type of a target that would not drop a repeated chunk: it lacks non_replicated_deduplication_window. */
export const TARGET_WITHOUT_DEDUPLICATION = 'TargetWithoutDeduplicationWindow';

/** The view must exist this long before its cut-over, so that the DDL after the clock check lands in time. */
const CUTOVER_GUARD_MS = 2_000;
const DAY_MS = 86_400_000;

export interface BackfillViewDescription {
  view: string;
  target: string;
  source: string;
  timeColumn: string;
  cutoverColumn: string;
  /** The target's TTL in days; history older than it is not filled. Null: no TTL. */
  ttlDays: number | null;
  deduplicationWindow: number;
  /** The measures the reconcile compares. */
  measures: string[];
}

export interface BackfillPlan {
  /** The first day filled, an ISO instant at midnight UTC; null when there is no history to fill. */
  from: string | null;
  chunks: Chunk[];
  rows: number;
  /** Whether `from` was moved later to the target's TTL horizon. */
  clippedToTtl: boolean;
}

export interface FillResult {
  /** The index of the last chunk of the batch now in the target. */
  lastFinished: number;
  /** Chunks this attempt inserted, and the source rows the plan counted in them. */
  chunks: number;
  rows: number;
  /** Rows ClickHouse wrote to the target (0 for a chunk it dropped as a repeat; chDB always reports 0). */
  writtenRows: number;
  /** Chunks ClickHouse dropped as repeats of an earlier insert with the same token (not reported by chDB). */
  repeated: number;
  /** Set when this attempt resumed after an earlier one's last heartbeat: the chunk it had finished. */
  resumedAfter: number | null;
  ms: number;
}

export interface ReconcileResult {
  /** Whether every period's measures in the target equal the source's. */
  equal: boolean;
  periods: number;
  mismatched: number;
  /** Up to five periods that differ. */
  examples: string[];
  /** Per measure, the totals over all periods since `from`, as decimal strings (Int64 sums stay exact). */
  totals: Record<string, { target: string; source: string }>;
  attempts: number;
}

/**
 * Activities of the materialized-view backfill: each a step that can be repeated without harm,
 * because the workflow repeats any of them after a worker dies.
 */
export function createViewBackfillActivities(deps: ViewBackfillDeps) {
  const ch = deps.clickhouse;
  const heartbeatMs = deps.heartbeatMs ?? 2_000;
  const definitionOf = (view: string): ViewDefinition => {
    if (!isBackfillViewName(view)) throw ApplicationFailure.nonRetryable(`${view} is not a backfillable view`);
    const statements = readMigrations(deps.migrationsDir).flatMap((m) => m.statements);
    return resolveViewDefinition(view, BACKFILL_VIEWS[view], statements, deps.rename);
  };
  const rows = async <T>(query: string, params: Record<string, unknown> = {}): Promise<T[]> =>
    (await ch.query({ query, format: 'JSONEachRow', query_params: params })).json<T>();
  const tableInfo = async (name: string) =>
    (
      await rows<{ create_table_query: string; comment: string; engine: string }>(
        'SELECT create_table_query, comment, engine FROM system.tables WHERE database = currentDatabase() AND name = {name:String}',
        { name },
      )
    )[0];
  const serverNow = async () =>
    Date.parse(`${(await rows<{ now: string }>(`SELECT toString(now64(3, 'UTC')) AS now`))[0].now.replace(' ', 'T')}Z`);

  return {
    /** Resolves the view from its migration and checks its tables: both exist, and the target drops repeated inserts. */
    async describeBackfillView(view: string): Promise<BackfillViewDescription> {
      const def = definitionOf(view);
      const source = await tableInfo(def.source);
      const target = await tableInfo(def.target);
      if (!source || !target) {
        throw ApplicationFailure.nonRetryable(
          `${!source ? def.source : def.target} does not exist: apply the migrations first (npx pulse up)`,
        );
      }
      const window = deduplicationWindow(target.create_table_query);
      if (window === 0) {
        throw ApplicationFailure.create({
          type: TARGET_WITHOUT_DEDUPLICATION,
          nonRetryable: true,
          message:
            `${def.target} has no non_replicated_deduplication_window, so a repeated chunk would be counted twice; ` +
            `add a migration: ALTER TABLE ${def.target} MODIFY SETTING non_replicated_deduplication_window = 1000`,
        });
      }
      const columns = await rows<TargetColumn>(
        'SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = {table:String} ORDER BY position',
        { table: def.target },
      );
      return {
        view: def.view,
        target: def.target,
        source: def.source,
        timeColumn: def.timeColumn,
        cutoverColumn: def.cutoverColumn,
        ttlDays: ttlDays(target.create_table_query, def.periodColumn),
        deduplicationWindow: window,
        measures: measuresOf(columns).map((m) => m.column),
      };
    },

    /**
     * Replaces the view with one that counts rows written at or after `cutover`, and empties its
     * target, whose history the chunks then refill from rows written before it: each row is counted
     * once, by one side. In this order, all before the instant (checked against ClickHouse's own
     * clock): the old view stops, the target is emptied (after the stop, so nothing the old view
     * wrote survives), the new view starts. Rows written meanwhile are before the cut-over and so
     * in the chunks. A retry finds the view it created by its comment and does nothing; a switch
     * that would end after the instant fails with CUTOVER_PASSED.
     */
    async switchBackfillView(input: { view: string; cutover: string }): Promise<{ switched: boolean }> {
      const def = definitionOf(input.view);
      const cutoverMs = Date.parse(input.cutover);
      const existing = await tableInfo(def.view);
      if (existing?.comment === cutoverComment(input.cutover)) return { switched: false };
      const passed = async () => {
        const now = await serverNow();
        if (now < cutoverMs - CUTOVER_GUARD_MS) return;
        throw ApplicationFailure.create({
          type: CUTOVER_PASSED,
          nonRetryable: true,
          message: `the view ${def.view} could not start ${CUTOVER_GUARD_MS} ms before its cut-over ${input.cutover} (ClickHouse's clock: ${new Date(now).toISOString()})`,
        });
      };
      await passed();
      await ch.command({ query: `DROP VIEW IF EXISTS ${def.view}` });
      await ch.command({ query: `TRUNCATE TABLE ${def.target}` });
      await ch.command({ query: createViewSql(def, input.cutover) });
      // Late after all: what the view wrote is emptied by the next switch, with a later cut-over.
      await passed();
      return { switched: true };
    },

    /**
     * The chunks to fill: each day of source time from `from` that has rows written before the
     * cut-over, cut at hour boundaries into chunks of at most `maxChunkRows` source rows. `from`
     * defaults to the oldest such row; it never reaches back past the target's TTL, whose rows a
     * merge would drop again.
     */
    async planBackfillChunks(input: {
      view: string;
      cutover: string;
      from: string | null;
      maxChunkRows: number;
    }): Promise<BackfillPlan> {
      const def = definitionOf(input.view);
      const target = await tableInfo(def.target);
      const ttl = target ? ttlDays(target.create_table_query, def.periodColumn) : null;
      // The first whole day the TTL keeps for the whole run (a day of margin).
      const horizon = ttl === null ? 0 : startOfDay((await serverNow()) - ttl * DAY_MS) + 2 * DAY_MS;
      const asked = input.from === null ? 0 : Date.parse(input.from);
      const from = Math.max(asked, horizon);
      const hours = await rows<HourCount>(planQuerySql(def), {
        from: instantParam(new Date(from).toISOString()),
        cutover: instantParam(input.cutover),
      });
      const chunks = planChunks(
        hours.map((h) => ({ hour: h.hour, rows: Number(h.rows) })),
        input.maxChunkRows,
      );
      return {
        from: chunks.length === 0 ? null : chunks[0].from,
        chunks,
        rows: chunks.reduce((sum, c) => sum + c.rows, 0),
        clippedToTtl: horizon > asked,
      };
    },

    /**
     * Inserts each chunk of the batch into the target, in order, with its deduplication token, and
     * heartbeats the index of each finished one. A retry resumes after the chunk the last attempt
     * reported; the chunk it was inside repeats, and ClickHouse drops the repeat if it had landed.
     */
    async fillBackfillChunks(input: { view: string; cutover: string; chunks: Chunk[] }): Promise<FillResult> {
      const def = definitionOf(input.view);
      const context = Context.current();
      const beat = context.info.heartbeatDetails as { lastFinished?: number } | undefined;
      const resumedAfter = typeof beat?.lastFinished === 'number' ? beat.lastFinished : null;
      const started = Date.now();
      const result: FillResult = {
        lastFinished: resumedAfter ?? -1,
        chunks: 0,
        rows: 0,
        writtenRows: 0,
        repeated: 0,
        resumedAfter,
        ms: 0,
      };
      const sql = chunkInsertSql(def);
      for (const chunk of input.chunks) {
        if (resumedAfter !== null && chunk.index <= resumedAfter) continue;
        const { summary } = await whileHeartbeating(
          () => ({ lastFinished: result.lastFinished }),
          heartbeatMs,
          () =>
            ch.command({
              query: sql,
              query_params: {
                from: instantParam(chunk.from),
                to: instantParam(chunk.to),
                cutover: instantParam(input.cutover),
              },
              clickhouse_settings: chunkInsertSettings(dedupToken(def.view, input.cutover, chunk)),
              abort_signal: context.cancellationSignal,
            }),
        ).catch((error: unknown) => {
          // The client rejects an aborted request with a plain Error: report it as the cancellation it is.
          if (context.cancellationSignal.aborted) throw new CancelledFailure('backfill fill cancelled');
          throw error;
        });
        const written = Number(summary?.written_rows ?? 0);
        result.writtenRows += written;
        // A server that read rows and wrote none dropped the insert as a repeat. (chDB reports 0 for both.)
        if (written === 0 && Number(summary?.read_rows ?? 0) > 0) result.repeated++;
        result.chunks++;
        result.rows += chunk.rows;
        result.lastFinished = chunk.index;
        context.heartbeat({ lastFinished: chunk.index });
        // Cancellation (the workflow's, or a worker shutting down) arrives through heartbeats: stop between chunks.
        if (context.cancellationSignal.aborted) throw new CancelledFailure('backfill fill cancelled');
      }
      result.ms = Date.now() - started;
      return result;
    },

    /**
     * Compares the target with the view's SELECT over the source, period by period since `from`:
     * backfilled and live rows together. Live writes land in the source a moment before the view's
     * block lands in the target, so a difference is read again a few times before it counts.
     */
    async reconcileBackfillView(input: { view: string; from: string }): Promise<ReconcileResult> {
      const def = definitionOf(input.view);
      const columns = await rows<TargetColumn>(
        'SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = {table:String} ORDER BY position',
        { table: def.target },
      );
      const measures = measuresOf(columns);
      const sql = reconcileSql(def, measures);
      let result: ReconcileResult | undefined;
      for (let attempt = 1; attempt <= 3; attempt++) {
        const [row] = await rows<Record<string, unknown>>(sql, { from: instantParam(input.from) });
        const mismatched = Number(row.mismatched);
        result = {
          equal: mismatched === 0,
          periods: Number(row.periods),
          mismatched,
          examples: row.examples as string[],
          totals: Object.fromEntries(
            measures.map((m) => [
              m.column,
              { target: String(row[`target_${m.column}`]), source: String(row[`source_${m.column}`]) },
            ]),
          ),
          attempts: attempt,
        };
        if (result.equal) break;
        if (attempt < 3) await Context.current().sleep(deps.reconcileRetryMs ?? 2_000);
      }
      return result!;
    },
  };
}

export type ViewBackfillActivities = ReturnType<typeof createViewBackfillActivities>;

const startOfDay = (ms: number) => ms - (ms % DAY_MS);
