import type { ClickHouseClient } from '@clickhouse/client';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { createClickHouse } from '@social-pulse/clickhouse';
import { ttlClauseOf } from './clickhouse-ttl-expression';
import { tableBudgetBytes, tableBytes, tableOverBudget } from './clickhouse-ttl.metrics';

export interface ClickHouseTtlDeps {
  clickhouseUrl: string;
  /** Opens the client one activity runs on, closed when it ends (tests pass a fake); default: a client of clickhouseUrl. */
  connect?: () => ClickHouseClient;
  /** Pause between two looks at system.mutations while a MATERIALIZE TTL runs (tests shorten it). */
  pollIntervalMs?: number;
  /** Heartbeat interval while a query runs (tests shorten it). */
  heartbeatMs?: number;
}

/** One partition's rows and bytes, and how many of them are past the table's TTL. */
export interface PartitionTtlFacts {
  partitionId: string;
  parts: number;
  rows: number;
  bytes: number;
  expiredRows: number;
  /** Exact for parts entirely past the TTL; else each part's bytes in proportion to its expired rows. */
  expiredBytes: number;
}

/** One table with a TTL, as the survey found it. */
export interface TableTtlSurvey {
  table: string;
  /** The table's delete TTL expression, from its own definition (system.tables). */
  ttl: string;
  rows: number;
  bytes: number;
  partitions: number;
  expiredRows: number;
  expiredBytes: number;
  /** The partitions that hold expired rows; partitions without any are left out. */
  expiredPartitions: PartitionTtlFacts[];
}

export interface TtlSurvey {
  tables: TableTtlSurvey[];
  /** Tables asked for (or found) whose TTL this maintenance does not evaluate, and why. */
  skipped: { table: string; reason: string }[];
}

export interface PartitionDrop {
  table: string;
  partitionId: string;
  /**
   * dropped: it was entirely expired and is gone now; gone: it no longer existed (dropped by an
   * earlier attempt of this activity, or a TTL merge); live-rows: it holds rows within the TTL now
   * (an insert since the survey), so it was kept.
   */
  outcome: 'dropped' | 'gone' | 'live-rows';
  rows: number;
  bytes: number;
}

export interface PartitionMaterialized {
  partitionId: string;
  /** materialized: a MATERIALIZE TTL ran (or an earlier attempt's was awaited); nothing-expired: none was needed. */
  outcome: 'materialized' | 'nothing-expired';
  rowsReclaimed: number;
  /** Bytes before less bytes after; negative when rewritten parts came out larger (tiny parts). */
  bytesReclaimed: number;
}

export interface TableSize {
  table: string;
  rows: number;
  bytes: number;
  budgetBytes: number;
  overBudget: boolean;
}

/** The failure type of a table name that is not a MergeTree table of the database. */
export const UNKNOWN_TABLE = 'UnknownTable';
/** The failure type of a MATERIALIZE TTL that ClickHouse reports failing. */
export const TTL_MUTATION_FAILED = 'TtlMutationFailed';

/** What a MATERIALIZE TTL attempt heartbeats: its figures from before, so a retry reports what the first attempt reclaimed. */
interface MaterializeCheckpoint {
  before: Record<string, PartitionFigures>;
}

interface PartitionFigures {
  rows: number;
  bytes: number;
  /** The newest block in the partition: later inserts get higher numbers and are left out of the "after". */
  maxBlock: number;
}

// Partition ids are digits or hex hashes (with '-' for negative keys); anything else is refused before it
// reaches SQL, where it also goes in as a parameter. The check is for the system.mutations command text.
const PARTITION_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Activities of the TTL maintenance workflow: survey what is past its TTL, drop whole expired
 * partitions, materialize the TTL where partitions are partly live, record table sizes. Each is
 * safe to repeat: a retry after the worker died finds the work done and says so.
 *
 * Table names are checked against system.tables and passed as {name:Identifier} parameters. The one
 * piece of SQL that is not a parameter is each table's TTL expression, read from that same table's
 * definition on the server (not from the caller).
 */
export function createClickHouseTtlActivities(deps: ClickHouseTtlDeps) {
  const pollMs = deps.pollIntervalMs ?? 500;
  const heartbeatMs = deps.heartbeatMs ?? 5_000;

  /**
   * Runs `fn` with a ClickHouse client of its own, heartbeating `detail()` while it works, so a
   * query that takes long does not look like a dead worker. `detail()` is read at each beat: an
   * activity that checkpoints in its heartbeat details keeps them there.
   */
  async function withClickHouse<T>(detail: () => unknown, fn: (ch: ClickHouseClient) => Promise<T>): Promise<T> {
    const ch = deps.connect?.() ?? createClickHouse({ url: deps.clickhouseUrl }, 'pulse-ttl-maintenance');
    const beat = setInterval(() => Context.current().heartbeat(detail()), heartbeatMs);
    try {
      return await fn(ch);
    } finally {
      clearInterval(beat);
      await ch.close();
    }
  }

  return {
    /**
     * Per table with a TTL (all of them, or `tables`): rows and bytes in total and past the TTL,
     * per partition. Reads only. Parts whose TTL metadata says they are all expired, or none, are
     * not scanned; the rest are counted with the table's TTL expression.
     */
    async surveyTtlTables(tables: string[] | null): Promise<TtlSurvey> {
      return withClickHouse(
        () => 'surveying tables',
        async (ch) => {
          const definitions = await mergeTreeTables(ch);
          for (const table of tables ?? []) {
            if (!definitions.has(table)) throw unknownTable(table);
          }
          const survey: TtlSurvey = { tables: [], skipped: [] };
          for (const [table, engineFull] of definitions) {
            if (tables && !tables.includes(table)) continue;
            const clause = ttlClauseOf(engineFull);
            if (clause.kind === 'none') {
              if (tables) survey.skipped.push({ table, reason: 'it has no TTL' });
            } else if (clause.kind === 'unsupported') {
              survey.skipped.push({ table, reason: `its TTL is not a plain delete: ${clause.ttl}` });
            } else {
              Context.current().heartbeat(`surveying ${table}`);
              survey.tables.push(await surveyTable(ch, table, clause.expression));
            }
          }
          return survey;
        },
      );
    },

    /**
     * Drops one partition if every row in it is past the TTL now (checked again here, with the
     * table's TTL expression, right before the drop). Repeating it finds the partition gone.
     */
    async dropExpiredPartition(table: string, partitionId: string): Promise<PartitionDrop> {
      checkPartitionId(partitionId);
      return withClickHouse(
        () => `dropping ${table} partition ${partitionId}`,
        async (ch) => {
          const ttl = await deleteTtlOf(ch, table);
          const [figures] = await partitionFigures(ch, table, [partitionId]);
          if (!figures) return { table, partitionId, outcome: 'gone', rows: 0, bytes: 0 };
          const live = await query<{ live: string }>(
            ch,
            `SELECT count() AS live FROM {table:Identifier} WHERE _partition_id = {partition:String} AND NOT ((${ttl}) <= now())`,
            { table, partition: partitionId },
          );
          if (Number(live[0].live) > 0) return { table, partitionId, outcome: 'live-rows', rows: 0, bytes: 0 };
          await ch.command({
            query: 'ALTER TABLE {table:Identifier} DROP PARTITION ID {partition:String}',
            query_params: { table, partition: partitionId },
          });
          return { table, partitionId, outcome: 'dropped', rows: figures.rows, bytes: figures.bytes };
        },
      );
    },

    /**
     * Runs `ALTER TABLE … MATERIALIZE TTL IN PARTITION ID …` for each partition that still holds
     * expired rows, and waits (heartbeating) until ClickHouse has applied it. A retry does not
     * start a second mutation: it awaits one still running, and skips partitions with nothing expired.
     */
    async materializeExpiredTtl(table: string, partitionIds: string[]): Promise<PartitionMaterialized[]> {
      partitionIds.forEach(checkPartitionId);
      // What an earlier attempt of this activity heartbeated, if it died (the worker killed, a timeout).
      const checkpoint = Context.current().info.heartbeatDetails as MaterializeCheckpoint | undefined;
      let details: MaterializeCheckpoint | undefined = checkpoint;
      return withClickHouse(
        () => details ?? `materializing the TTL of ${table}`,
        async (ch) => {
          await deleteTtlOf(ch, table);
          const before =
            checkpoint?.before ??
            Object.fromEntries((await partitionFigures(ch, table, partitionIds)).map((f) => [f.partitionId, f]));
          // The first heartbeat (sent at once; later ones are throttled), before any mutation starts: a retry
          // after a crash then reports what this attempt reclaimed rather than nothing.
          details = { before };
          Context.current().heartbeat(details);

          const materialized = new Set<string>();
          const earlier = new Set<string>();
          for (const partitionId of partitionIds) {
            if ((await pendingTtlMutations(ch, table, [partitionId])).length > 0) {
              materialized.add(partitionId);
            } else if (await hasExpiredParts(ch, table, partitionId)) {
              await ch.command({
                query: 'ALTER TABLE {table:Identifier} MATERIALIZE TTL IN PARTITION ID {partition:String}',
                query_params: { table, partition: partitionId },
                // Return at once and poll system.mutations, heartbeating, rather than hold one request open.
                clickhouse_settings: { mutations_sync: '0' },
              });
              materialized.add(partitionId);
            } else if (checkpoint?.before[partitionId]) {
              // Perhaps an earlier attempt's mutation finished: below, it counts if the partition shrank.
              earlier.add(partitionId);
            }
          }
          for (;;) {
            const pending = await pendingTtlMutations(ch, table, partitionIds);
            if (pending.length === 0) break;
            const failed = pending.find((m) => m.latest_fail_reason !== '');
            if (failed) {
              throw ApplicationFailure.create({
                type: TTL_MUTATION_FAILED,
                message: `${table}: ${failed.command} failed: ${failed.latest_fail_reason} (see system.mutations ${failed.mutation_id})`,
                nonRetryable: true,
              });
            }
            Context.current().heartbeat(details);
            await Context.current().sleep(pollMs);
          }

          const after = await partitionFigures(ch, table, partitionIds, before);
          return partitionIds.map((partitionId): PartitionMaterialized => {
            const was = before[partitionId];
            const now = after.find((f) => f.partitionId === partitionId) ?? { rows: 0, bytes: 0 };
            const shrank = was !== undefined && now.rows < was.rows;
            if (!was || !(materialized.has(partitionId) || (earlier.has(partitionId) && shrank))) {
              return { partitionId, outcome: 'nothing-expired', rowsReclaimed: 0, bytesReclaimed: 0 };
            }
            return {
              partitionId,
              outcome: 'materialized',
              rowsReclaimed: was.rows - now.rows,
              bytesReclaimed: was.bytes - now.bytes,
            };
          });
        },
      );
    },

    /**
     * Each table's rows and bytes on disk against its budget; sets the worker's gauges
     * pulse_clickhouse_table_bytes, pulse_clickhouse_table_budget_bytes and pulse_clickhouse_table_over_budget.
     */
    async recordTableSizes(budgets: { table: string; budgetBytes: number }[]): Promise<TableSize[]> {
      return withClickHouse(
        () => 'measuring tables',
        async (ch) => {
          const sizes = await query<{ table: string; rows: string; bytes: string }>(
            ch,
            `SELECT table, sum(rows) AS rows, sum(bytes_on_disk) AS bytes FROM system.parts
           WHERE database = currentDatabase() AND active AND table IN {tables:Array(String)} GROUP BY table`,
            { tables: budgets.map((b) => b.table) },
          );
          return budgets.map(({ table, budgetBytes }) => {
            const size = sizes.find((s) => s.table === table);
            const bytes = Number(size?.bytes ?? 0);
            const result = {
              table,
              rows: Number(size?.rows ?? 0),
              bytes,
              budgetBytes,
              overBudget: bytes > budgetBytes,
            };
            tableBytes.set({ table }, bytes);
            tableBudgetBytes.set({ table }, budgetBytes);
            tableOverBudget.set({ table }, result.overBudget ? 1 : 0);
            return result;
          });
        },
      );
    },
  };
}

export type ClickHouseTtlActivities = ReturnType<typeof createClickHouseTtlActivities>;

async function query<T>(ch: ClickHouseClient, sql: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await ch.query({ query: sql, query_params: params, format: 'JSONEachRow' });
  return result.json<T>();
}

/** The MergeTree tables of the database and their definitions (engine_full), by name. */
async function mergeTreeTables(ch: ClickHouseClient): Promise<Map<string, string>> {
  const rows = await query<{ name: string; engine_full: string }>(
    ch,
    `SELECT name, engine_full FROM system.tables
     WHERE database = currentDatabase() AND engine LIKE '%MergeTree' AND NOT is_temporary ORDER BY name`,
  );
  return new Map(rows.map((row) => [row.name, row.engine_full]));
}

/** The table's delete TTL expression; a failure when the table is unknown or has no plain delete TTL. */
async function deleteTtlOf(ch: ClickHouseClient, table: string): Promise<string> {
  const rows = await query<{ engine_full: string }>(
    ch,
    `SELECT engine_full FROM system.tables
     WHERE database = currentDatabase() AND name = {table:String} AND engine LIKE '%MergeTree'`,
    { table },
  );
  if (rows.length === 0) throw unknownTable(table);
  const clause = ttlClauseOf(rows[0].engine_full);
  if (clause.kind !== 'delete') {
    throw ApplicationFailure.create({
      type: UNKNOWN_TABLE,
      message: `${table} has no TTL this maintenance evaluates (${clause.kind})`,
      nonRetryable: true,
    });
  }
  return clause.expression;
}

function unknownTable(table: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: UNKNOWN_TABLE,
    message: `${table} is not a MergeTree table of the database`,
    nonRetryable: true,
    details: [{ table }],
  });
}

function checkPartitionId(partitionId: string): void {
  if (!PARTITION_ID.test(partitionId)) {
    throw ApplicationFailure.create({
      type: 'InvalidPartitionId',
      message: `not a partition id: ${JSON.stringify(partitionId).slice(0, 140)}`,
      nonRetryable: true,
    });
  }
}

interface PartRow {
  name: string;
  partition_id: string;
  rows: string;
  bytes: string;
  all_expired: number;
  may_have_expired: number;
}

/** One table's survey: part metadata first, then a count with the TTL expression over the parts that need one. */
async function surveyTable(ch: ClickHouseClient, table: string, ttl: string): Promise<TableTtlSurvey> {
  // delete_ttl_info_min/max are the least and greatest TTL of the part's rows, set when the part was
  // written; 0 when unknown (a part older than the TTL clause), which is counted like a partly expired part.
  const parts = await query<PartRow>(
    ch,
    `SELECT name, partition_id, rows, bytes_on_disk AS bytes,
            delete_ttl_info_max > toDateTime(0) AND delete_ttl_info_max <= now() AS all_expired,
            delete_ttl_info_min = toDateTime(0) OR delete_ttl_info_min <= now() AS may_have_expired
     FROM system.parts WHERE database = currentDatabase() AND table = {table:String} AND active AND rows > 0`,
    { table },
  );
  const toCount = parts.filter((p) => !Number(p.all_expired) && Number(p.may_have_expired)).map((p) => p.name);
  const counted = new Map<string, number>();
  if (toCount.length > 0) {
    const rows = await query<{ part: string; expired: string }>(
      ch,
      `SELECT _part AS part, count() AS expired FROM {table:Identifier}
       WHERE _part IN {parts:Array(String)} AND (${ttl}) <= now() GROUP BY _part`,
      { table, parts: toCount },
    );
    for (const row of rows) counted.set(row.part, Number(row.expired));
  }

  const partitions = new Map<string, PartitionTtlFacts>();
  for (const part of parts) {
    const rows = Number(part.rows);
    const bytes = Number(part.bytes);
    const expiredRows = Number(part.all_expired) ? rows : (counted.get(part.name) ?? 0);
    const facts = partitions.get(part.partition_id) ?? {
      partitionId: part.partition_id,
      parts: 0,
      rows: 0,
      bytes: 0,
      expiredRows: 0,
      expiredBytes: 0,
    };
    facts.parts += 1;
    facts.rows += rows;
    facts.bytes += bytes;
    facts.expiredRows += expiredRows;
    facts.expiredBytes += expiredRows === rows ? bytes : Math.round((bytes * expiredRows) / rows);
    partitions.set(part.partition_id, facts);
  }
  const all = [...partitions.values()];
  const expiredPartitions = all
    .filter((p) => p.expiredRows > 0)
    .sort((a, b) => a.partitionId.localeCompare(b.partitionId));
  const sum = (list: PartitionTtlFacts[], key: 'rows' | 'bytes' | 'expiredRows' | 'expiredBytes') =>
    list.reduce((total, p) => total + p[key], 0);
  return {
    table,
    ttl,
    rows: sum(all, 'rows'),
    bytes: sum(all, 'bytes'),
    partitions: all.length,
    expiredRows: sum(expiredPartitions, 'expiredRows'),
    expiredBytes: sum(expiredPartitions, 'expiredBytes'),
    expiredPartitions,
  };
}

/**
 * Rows, bytes and newest block of the active parts of each partition that has any. With `upTo`,
 * only parts no newer than that partition's newest block then: rows inserted since do not count
 * (a mutation keeps a part's block numbers; an insert gets new, higher ones).
 */
async function partitionFigures(
  ch: ClickHouseClient,
  table: string,
  partitionIds: string[],
  upTo?: Record<string, PartitionFigures>,
): Promise<(PartitionFigures & { partitionId: string })[]> {
  const limit = upTo
    ? // The partition's block then, looked up by its position in the list (indexOf is 1-based; 0, absent, gives 0).
      'AND max_block_number <= {upToBlocks:Array(Int64)}[indexOf({upToIds:Array(String)}, partition_id)]'
    : '';
  const rows = await query<{ partition_id: string; rows: string; bytes: string; max_block: string }>(
    ch,
    `SELECT partition_id, sum(rows) AS rows, sum(bytes_on_disk) AS bytes, max(max_block_number) AS max_block
     FROM system.parts
     WHERE database = currentDatabase() AND table = {table:String} AND active
       AND partition_id IN {partitions:Array(String)} ${limit}
     GROUP BY partition_id`,
    {
      table,
      partitions: partitionIds,
      upToIds: Object.keys(upTo ?? {}),
      upToBlocks: Object.values(upTo ?? {}).map((f) => f.maxBlock),
    },
  );
  return rows.map((row) => ({
    partitionId: row.partition_id,
    rows: Number(row.rows),
    bytes: Number(row.bytes),
    maxBlock: Number(row.max_block),
  }));
}

/** Whether any active part of the partition may hold expired rows, by its TTL metadata. */
async function hasExpiredParts(ch: ClickHouseClient, table: string, partitionId: string): Promise<boolean> {
  const rows = await query<{ parts: string }>(
    ch,
    `SELECT count() AS parts FROM system.parts
     WHERE database = currentDatabase() AND table = {table:String} AND active AND rows > 0
       AND partition_id = {partition:String} AND delete_ttl_info_min <= now()`,
    { table, partition: partitionId },
  );
  return Number(rows[0].parts) > 0;
}

interface MutationRow {
  mutation_id: string;
  command: string;
  latest_fail_reason: string;
}

/** The MATERIALIZE TTL mutations of these partitions that ClickHouse has not finished. */
async function pendingTtlMutations(
  ch: ClickHouseClient,
  table: string,
  partitionIds: string[],
): Promise<MutationRow[]> {
  return query<MutationRow>(
    ch,
    `SELECT mutation_id, command, latest_fail_reason FROM system.mutations
     WHERE database = currentDatabase() AND table = {table:String} AND NOT is_done AND NOT is_killed
       AND arrayExists(id -> position(command, concat('MATERIALIZE TTL IN PARTITION ID \\'', id, '\\'')) > 0,
                       {partitions:Array(String)})`,
    { table, partitions: partitionIds },
  );
}
