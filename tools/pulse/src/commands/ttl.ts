import { formatBytes } from '@social-pulse/shared';
import {
  TTL_MAINTENANCE_WORKFLOW_ID,
  ttlMaintenanceProgressQuery,
  ttlMaintenanceWorkflow,
  type TtlMaintenanceInput,
  type TtlMaintenanceResult,
} from '@social-pulse/workflows';
import { PulseError, say } from '../console';
import { runFollowingSteps, withTemporal } from '../temporal';

export interface TtlOptions {
  /** Only these tables; default every table with a TTL. */
  table?: string[];
  dryRun?: boolean;
  /** `table=bytes` pairs, bytes with an optional KiB/MiB/GiB/TiB (or KB/MB/GB/TB) unit. */
  budget?: string[];
  defaultBudget?: string;
}

/** What `pulse ttl` does, for `pulse ttl --help`. */
export const TTL_HELP =
  'run ClickHouse TTL maintenance through its Temporal workflow: report rows and bytes past each table’s TTL, ' +
  'drop partitions entirely past it, MATERIALIZE TTL where partitions are partly past it, and check each table ' +
  'against its bytes budget';

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
};

/** `500GiB`, `1.5 TB`, `1048576` as bytes; a PulseError naming the value otherwise. */
export function parseBytes(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = match ? UNITS[match[2].toLowerCase()] : undefined;
  const bytes = match && unit ? Math.round(Number(match[1]) * unit) : NaN;
  if (!Number.isSafeInteger(bytes)) {
    throw new PulseError(`not a size: "${text}"`, 'bytes, or a number with KiB, MiB, GiB, TiB (or KB, MB, GB, TB)');
  }
  return bytes;
}

/** The workflow's input from the command's options; only what was given, so defaults stay the workflow's. */
export function ttlInput(options: TtlOptions): TtlMaintenanceInput {
  const input: TtlMaintenanceInput = {};
  const tables = (options.table ?? []).flatMap((t) => t.split(',')).filter(Boolean);
  if (tables.length > 0) input.tables = tables;
  if (options.dryRun) input.dryRun = true;
  for (const pair of options.budget ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new PulseError(`not a budget: "${pair}"`, 'table=size, e.g. --budget events=500GiB');
    input.budgets = { ...input.budgets, [pair.slice(0, at)]: parseBytes(pair.slice(at + 1)) };
  }
  if (options.defaultBudget !== undefined) input.defaultBudgetBytes = parseBytes(options.defaultBudget);
  return input;
}

/** One line per table (what was past the TTL, what went, its size against its budget), then the totals. */
export function ttlSummaryLines(result: TtlMaintenanceResult): { ok: string[]; warn: string[] } {
  const ok: string[] = [];
  const warn: string[] = [];
  for (const t of result.tables) {
    const reclaimed = result.dryRun
      ? 'dry run, nothing removed'
      : `reclaimed ${t.reclaimed.rows} rows, ${formatBytes(t.reclaimed.bytes)} (${t.reclaimed.partitionsDropped} partitions dropped, ${t.reclaimed.partitionsMaterialized} materialized)`;
    const line = `${t.table}: ${t.expired.rows} rows past the TTL (${formatBytes(t.expired.bytes)}); ${reclaimed}; ${formatBytes(t.size.bytes)} of ${formatBytes(t.size.budgetBytes)} budget`;
    (t.size.overBudget ? warn : ok).push(t.size.overBudget ? `${line}: OVER BUDGET` : line);
    if (t.partitionsKept.length > 0) warn.push(`${t.table}: kept ${t.partitionsKept.join(', ')}: live rows arrived`);
  }
  for (const s of result.skipped) warn.push(`${s.table}: skipped, ${s.reason}`);
  const { rows, bytes, partitionsDropped, partitionsMaterialized } = result.reclaimed;
  ok.push(
    result.dryRun
      ? `dry run: ${result.tables.reduce((sum, t) => sum + t.expired.rows, 0)} rows past their TTL in ${result.tables.length} tables`
      : `TTL maintenance reclaimed ${rows} rows, ${formatBytes(bytes)}: ${partitionsDropped} partitions dropped, ${partitionsMaterialized} materialized`,
  );
  return { ok, warn };
}

/**
 * `pulse ttl`: runs the TTL maintenance workflow on the worker and prints its steps as they happen.
 * A run already under way (a schedule's, or another terminal's) is followed rather than started twice.
 */
export async function ttl(options: TtlOptions = {}): Promise<TtlMaintenanceResult> {
  const input = ttlInput(options);
  const result = await withTemporal((client) =>
    runFollowingSteps(client, {
      workflow: ttlMaintenanceWorkflow,
      workflowId: TTL_MAINTENANCE_WORKFLOW_ID,
      args: [input],
      progress: ttlMaintenanceProgressQuery,
      started: `TTL maintenance${input.dryRun ? ' (dry run)' : ''}`,
      alreadyRunning: 'TTL maintenance is already running; following it (with the input it was started with)',
      failedAs: 'TTL maintenance failed',
    }),
  );
  const { ok, warn } = ttlSummaryLines(result);
  for (const line of warn) say.warn(line);
  for (const line of ok) say.ok(line);
  return result;
}
