import { defineQuery, proxyActivities, setHandler } from '@temporalio/workflow';
import { formatBytes as bytes } from '@social-pulse/shared';
// Types only: workflow code must stay deterministic and never load activity implementations.
import type { ClickHouseTtlActivities, PartitionDrop, PartitionMaterialized } from '@social-pulse/activities';
import { planTtlMaintenance, summarize, tableBudgets, type TtlMaintenanceResult } from './ttl-maintenance.plan';
import { validateTtlMaintenanceInput } from './workflow-inputs';

export type { Reclaimed, TableTtlReport, TtlMaintenanceResult } from './ttl-maintenance.plan';

const quick = proxyActivities<ClickHouseTtlActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 3 },
});
// The survey scans partly expired parts and a MATERIALIZE TTL rewrites them: both heartbeat, so a
// dead worker is noticed in 30 s, and the retry resumes (a running mutation is awaited, not restarted).
const slow = proxyActivities<ClickHouseTtlActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { maximumAttempts: 3 },
});

/** The business id of a TTL maintenance run: one at a time, so two never drop or rewrite the same parts. */
export const TTL_MAINTENANCE_WORKFLOW_ID = 'clickhouse-ttl-maintenance';

export interface TtlMaintenanceInput {
  /** Only these tables (MergeTree tables of the database); default: every table with a TTL. */
  tables?: string[];
  /** Survey and measure only: drop and rewrite nothing. Default false. */
  dryRun?: boolean;
  /** Bytes budget per table, over TABLE_BUDGET_BYTES (ttl-maintenance.plan.ts). */
  budgets?: Record<string, number>;
  /** The budget of tables with none of their own; default DEFAULT_TABLE_BUDGET_BYTES (10 GiB). */
  defaultBudgetBytes?: number;
}

export interface TtlMaintenanceProgress {
  stage: 'starting' | 'survey' | 'drop' | 'materialize' | 'measure' | 'done';
  dryRun: boolean;
  steps: { at: string; step: string }[];
}

export const ttlMaintenanceProgressQuery = defineQuery<TtlMaintenanceProgress>('progress');

/**
 * Removes what ClickHouse's own TTL merges have not yet: surveys each table with a TTL (rows and
 * bytes past it, per partition, computed with the table's own TTL expression), drops partitions
 * entirely past it, runs MATERIALIZE TTL on partitions partly past it, then measures each table
 * against its bytes budget (also exported as the worker's pulse_clickhouse_table_* gauges).
 *
 * Safe to run again at any time, and to retry: every step re-checks what it finds before acting.
 * The input is checked first: anything but `{ tables?, dryRun?, budgets?, defaultBudgetBytes? }`
 * fails the workflow with a non-retryable 'InvalidWorkflowInput' ApplicationFailure.
 */
export async function ttlMaintenanceWorkflow(...args: [input?: TtlMaintenanceInput]): Promise<TtlMaintenanceResult> {
  const input = validateTtlMaintenanceInput(args);
  const progress: TtlMaintenanceProgress = { stage: 'starting', dryRun: input.dryRun, steps: [] };
  const note = (stage: TtlMaintenanceProgress['stage'], step: string) => {
    progress.stage = stage;
    progress.steps.push({ at: new Date().toISOString(), step });
  };
  setHandler(ttlMaintenanceProgressQuery, () => progress);

  note('survey', `surveying ${input.tables ? input.tables.join(', ') : 'every table with a TTL'}`);
  const survey = await slow.surveyTtlTables(input.tables);
  for (const table of survey.tables) {
    note(
      'survey',
      `${table.table}: ${table.expiredRows} of ${table.rows} rows past the TTL (${bytes(table.expiredBytes)} of ${bytes(table.bytes)}) in ${table.expiredPartitions.length} partitions`,
    );
  }
  for (const { table, reason } of survey.skipped) note('survey', `${table}: skipped, ${reason}`);

  const plan = planTtlMaintenance(survey.tables);
  const drops: PartitionDrop[] = [];
  const materialized: { table: string; partitions: PartitionMaterialized[] }[] = [];
  if (input.dryRun) {
    note(
      'survey',
      `dry run: would drop ${plan.drops.length} partitions and materialize the TTL of ${plan.materializations.length} tables`,
    );
  } else {
    // Drops first: they free whole partitions without rewriting a part.
    for (const drop of plan.drops) {
      note('drop', `${drop.table}: dropping partition ${drop.partitionId} (${drop.rows} rows, ${bytes(drop.bytes)})`);
      const result = await quick.dropExpiredPartition(drop.table, drop.partitionId);
      drops.push(result);
      if (result.outcome === 'live-rows') note('drop', `${drop.table}: kept ${drop.partitionId}, it has live rows now`);
    }
    for (const { table, partitionIds } of plan.materializations) {
      note('materialize', `${table}: MATERIALIZE TTL in ${partitionIds.length} partly expired partitions`);
      const partitions = await slow.materializeExpiredTtl(table, partitionIds);
      materialized.push({ table, partitions });
      const rows = partitions.reduce((sum, p) => sum + p.rowsReclaimed, 0);
      note('materialize', `${table}: ${rows} expired rows removed`);
    }
  }

  note('measure', 'measuring tables against their budgets');
  const tables = survey.tables.map((t) => t.table);
  const sizes = await quick.recordTableSizes(tableBudgets(tables, input.budgets, input.defaultBudgetBytes));
  const result = summarize(input.dryRun, survey, drops, materialized, sizes);
  for (const size of sizes.filter((s) => s.overBudget)) {
    note('measure', `${size.table} is over its budget: ${bytes(size.bytes)} > ${bytes(size.budgetBytes)}`);
  }
  note(
    'done',
    `reclaimed ${result.reclaimed.rows} rows, ${bytes(result.reclaimed.bytes)}: ${result.reclaimed.partitionsDropped} partitions dropped, ${result.reclaimed.partitionsMaterialized} materialized`,
  );
  return result;
}
