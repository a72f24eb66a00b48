/**
 * The materialized views the backfill workflow can (re)build, by view name. The view's SQL is not
 * repeated here: its target, source and SELECT are read from the migration that defines it
 * (clickhouse/migrations, the newest `CREATE MATERIALIZED VIEW <name>` wins), so the migration
 * stays the one place the view is written. What the migrations do not say lives here:
 *
 * - `timeColumn`: the source column the source is partitioned by (`toDate(<timeColumn>)`); history
 *   is filled in chunks of it, day by day, so each chunk lands in one target partition.
 * - `cutoverColumn`: the source column the cut-over between backfill and the live view is made on.
 *   It is the time the row was written (the collector's receive time, the job's change time), not
 *   the event's time: a late event with an old event time but a new write time is then counted by
 *   the live view once, where a cut-over on event time would lose it between the two.
 * - `periodColumn`: the target's period, by which the result is reconciled.
 */
export interface BackfillViewSpec {
  timeColumn: string;
  cutoverColumn: string;
  periodColumn: string;
}

const engagement: BackfillViewSpec = { timeColumn: 'event_time', cutoverColumn: 'received_at', periodColumn: 'period' };
const adPerformance: BackfillViewSpec = { timeColumn: 'minute', cutoverColumn: 'changed_at', periodColumn: 'period' };

export const BACKFILL_VIEWS = {
  engagement_minute_mv: engagement,
  engagement_hour_mv: engagement,
  engagement_day_mv: engagement,
  ad_performance_minute_mv: adPerformance,
  ad_performance_hour_mv: adPerformance,
  ad_performance_day_mv: adPerformance,
} as const satisfies Record<string, BackfillViewSpec>;

export type BackfillViewName = keyof typeof BACKFILL_VIEWS;

/** Own keys only, so `constructor` or `__proto__` are not views. */
export function isBackfillViewName(value: unknown): value is BackfillViewName {
  return typeof value === 'string' && Object.hasOwn(BACKFILL_VIEWS, value);
}

/** One backfill of a view at a time: a second start finds the first running. */
export const backfillWorkflowId = (view: BackfillViewName) => `backfill-view-${view}`;
