// Types only: workflow code must stay deterministic and never load activity implementations.
import type {
  PartitionDrop,
  PartitionMaterialized,
  TableSize,
  TableTtlSurvey,
  TtlSurvey,
} from '@social-pulse/activities';

/**
 * The TTL maintenance workflow's decisions, as pure functions of what the activities found: which
 * partitions to drop, where to materialize the TTL, what each table's budget is, what was reclaimed.
 */

const GiB = 1024 ** 3;

/** The budget of a table without one of its own in TABLE_BUDGET_BYTES or the workflow's input. */
export const DEFAULT_TABLE_BUDGET_BYTES = 10 * GiB;

/**
 * Bytes on disk each table may grow to before the workflow reports it (and the worker's
 * pulse_clickhouse_table_over_budget{table} turns 1); the input's `budgets` override these. The raw
 * archive is the costliest table by design (90 days of every event); the rest fit the default.
 */
export const TABLE_BUDGET_BYTES: Readonly<Record<string, number>> = {
  events: 500 * GiB,
  sessions: 100 * GiB,
  ad_performance_changes: 50 * GiB,
};

export interface TtlMaintenancePlan {
  /** Partitions whose every row is past the TTL: dropped whole, which rewrites nothing. */
  drops: { table: string; partitionId: string; rows: number; bytes: number }[];
  /** Per table, the partitions that mix expired and live rows: MATERIALIZE TTL rewrites their parts. */
  materializations: { table: string; partitionIds: string[] }[];
}

/** Drop a partition when all its rows are expired; materialize the TTL where only some are. */
export function planTtlMaintenance(tables: readonly TableTtlSurvey[]): TtlMaintenancePlan {
  const plan: TtlMaintenancePlan = { drops: [], materializations: [] };
  for (const table of tables) {
    const partly: string[] = [];
    for (const partition of table.expiredPartitions) {
      if (partition.expiredRows <= 0) continue;
      if (partition.expiredRows >= partition.rows) {
        plan.drops.push({
          table: table.table,
          partitionId: partition.partitionId,
          rows: partition.rows,
          bytes: partition.bytes,
        });
      } else {
        partly.push(partition.partitionId);
      }
    }
    if (partly.length > 0) plan.materializations.push({ table: table.table, partitionIds: partly });
  }
  return plan;
}

/** Each table's budget: the input's, else the table's own default, else the default one. */
export function tableBudgets(
  tables: readonly string[],
  overrides: Readonly<Record<string, number>> = {},
  defaultBudgetBytes: number = DEFAULT_TABLE_BUDGET_BYTES,
): { table: string; budgetBytes: number }[] {
  return tables.map((table) => ({
    table,
    budgetBytes: Object.hasOwn(overrides, table)
      ? overrides[table]
      : Object.hasOwn(TABLE_BUDGET_BYTES, table)
        ? TABLE_BUDGET_BYTES[table]
        : defaultBudgetBytes,
  }));
}

export interface Reclaimed {
  rows: number;
  bytes: number;
  partitionsDropped: number;
  partitionsMaterialized: number;
}

export interface TableTtlReport {
  table: string;
  /** The table's delete TTL expression, from its own definition. */
  ttl: string;
  /** What was past the TTL when the run began (bytes: exact for whole parts, else by share of rows). */
  expired: { rows: number; bytes: number; partitions: number };
  /** What this run removed: rows and bytes of dropped partitions, and measured before/after a MATERIALIZE TTL. */
  reclaimed: Reclaimed;
  /** Partitions planned for a drop that held live rows again when their turn came, so were kept. */
  partitionsKept: string[];
  /** The table after the run, against its budget. */
  size: TableSize;
}

export interface TtlMaintenanceResult {
  dryRun: boolean;
  tables: TableTtlReport[];
  /** Tables this maintenance does not evaluate (no TTL, or a TTL that is not a plain delete), and why. */
  skipped: TtlSurvey['skipped'];
  reclaimed: Reclaimed;
  /** The tables larger than their budget after the run. */
  overBudget: string[];
}

/** The workflow's result from the survey, what each step did and the sizes after. */
export function summarize(
  dryRun: boolean,
  survey: TtlSurvey,
  drops: readonly PartitionDrop[],
  materialized: readonly { table: string; partitions: PartitionMaterialized[] }[],
  sizes: readonly TableSize[],
): TtlMaintenanceResult {
  const tables = survey.tables.map((table): TableTtlReport => {
    const reclaimed: Reclaimed = { rows: 0, bytes: 0, partitionsDropped: 0, partitionsMaterialized: 0 };
    const partitionsKept: string[] = [];
    for (const drop of drops.filter((d) => d.table === table.table)) {
      if (drop.outcome === 'live-rows') {
        partitionsKept.push(drop.partitionId);
        continue;
      }
      // 'gone': an earlier attempt of the step dropped it (its result lost with the worker), or a
      // TTL merge removed it since the survey: either way the surveyed figures left the disk.
      const surveyed = table.expiredPartitions.find((p) => p.partitionId === drop.partitionId);
      reclaimed.rows += drop.outcome === 'dropped' ? drop.rows : (surveyed?.rows ?? 0);
      reclaimed.bytes += drop.outcome === 'dropped' ? drop.bytes : (surveyed?.bytes ?? 0);
      reclaimed.partitionsDropped += 1;
    }
    for (const partition of materialized.find((m) => m.table === table.table)?.partitions ?? []) {
      if (partition.outcome !== 'materialized') continue;
      reclaimed.rows += partition.rowsReclaimed;
      reclaimed.bytes += partition.bytesReclaimed;
      reclaimed.partitionsMaterialized += 1;
    }
    const size = sizes.find((s) => s.table === table.table) ?? {
      table: table.table,
      rows: table.rows,
      bytes: table.bytes,
      budgetBytes: 0,
      overBudget: false,
    };
    return {
      table: table.table,
      ttl: table.ttl,
      expired: { rows: table.expiredRows, bytes: table.expiredBytes, partitions: table.expiredPartitions.length },
      reclaimed,
      partitionsKept,
      size,
    };
  });
  const total = (key: keyof Reclaimed) => tables.reduce((sum, t) => sum + t.reclaimed[key], 0);
  return {
    dryRun,
    tables,
    skipped: survey.skipped,
    reclaimed: {
      rows: total('rows'),
      bytes: total('bytes'),
      partitionsDropped: total('partitionsDropped'),
      partitionsMaterialized: total('partitionsMaterialized'),
    },
    overBudget: tables.filter((t) => t.size.overBudget).map((t) => t.table),
  };
}
