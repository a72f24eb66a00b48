/**
 * The autoscaling policy: from a few readings of a job's load, the parallelism it should run at.
 * Pure and deterministic (the workflow runs it), anchored on the Flink Kubernetes Operator's
 * autoscaler (FLIP-271, `job.autoscaler.*`), reduced to one decision per job:
 *
 * 1. **Capacity.** A subtask of the busiest vertex, busy `busyTimeMsPerSecond` of each second
 *    while the sources read `recordsInPerSecond`, could take `recordsIn / busy / parallelism`
 *    source records per second fully busy (the operator's "true processing rate").
 * 2. **Target rate.** What arrives (`recordsIn` plus the growth of the Kafka lag, `pendingRecords`)
 *    plus the lag worked off within `catchUpSeconds` (the operator's `catch-up.duration`).
 * 3. **Parallelism** = ⌈target rate / (capacity per subtask × targetUtilization)⌉ (the operator's
 *    `target.utilization`, 0.7): busy above the target, or a lag that grows, scales up.
 * 4. **Guards.** Nothing is decided while a (re)started job settles (`stabilization.interval`); a
 *    scale down needs every reading to agree, a lag that does not grow, and the job to have run at
 *    its parallelism for `scaleDownStableMs` (`scale-down.interval`), and goes down at most by
 *    `maxScaleDownFactor` (`max.scale-down.factor`). The result stays within [min, max], within
 *    the cluster's free slots, and is rounded up to a divisor of the max parallelism where one
 *    lies within the bounds, so that key groups spread evenly (the operator's default
 *    `scaling.key-group.partitions.adjust.mode`, EVENLY_SPREAD).
 *
 * The stable period is the job's own uptime at its parallelism rather than a history of earlier
 * recommendations: each scheduled run is a workflow of its own and keeps no memory between runs.
 */

export interface AutoscalePolicy {
  /** The share of each second the busiest vertex should be busy (0.7 leaves room for bursts and catch-up). */
  targetUtilization: number;
  minParallelism: number;
  maxParallelism: number;
  /** Within how long a lag should be worked off. */
  catchUpSeconds: number;
  /** How long after a (re)start nothing is decided: a restarted job catches up and looks busy. */
  stabilizationMs: number;
  /** How long a job must have run at its parallelism before it is scaled down. */
  scaleDownStableMs: number;
  /** The largest share of its parallelism a scale down removes at once (0.5: at most half). */
  maxScaleDownFactor: number;
}

/** One reading of a job's load (activities' JobLoadSample, as the policy needs it). */
export interface LoadReading {
  at: number;
  startTime: number;
  parallelism: number;
  maxParallelism: number;
  slotsAvailable: number;
  busyTimeMsPerSecond: number | null;
  recordsInPerSecond: number | null;
  pendingRecords: number | null;
}

export type AutoscaleAction = 'scale-up' | 'scale-down' | 'hold';

export interface Recommendation {
  action: AutoscaleAction;
  current: number;
  /** The parallelism to run at; `current` when holding. */
  recommended: number;
  /** Why, in a sentence for people. */
  reason: string;
  /** Whether the current parallelism lies within [min, max]: a job set outside by hand is left alone. */
  withinBounds: boolean;
  /** The figures it was decided on (averages over the readings; lag as last read). */
  figures: {
    readings: number;
    utilization: number | null;
    recordsInPerSecond: number | null;
    pendingRecords: number | null;
    lagGrowthPerSecond: number | null;
    /** Source records per second one subtask takes fully busy; null when it cannot be told. */
    capacityPerSubtask: number | null;
    targetRatePerSecond: number | null;
    /** The parallelism the rates ask for, before bounds, guards and rounding. */
    required: number | null;
  };
}

// Readings of an idle job: no measurable capacity, nothing waiting.
const IDLE_RECORDS_PER_SECOND = 0.01;
const IDLE_UTILIZATION = 0.005;

const average = (values: (number | null)[]): number | null => {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return known.length === 0 ? null : known.reduce((a, b) => a + b, 0) / known.length;
};

const round = (value: number | null, digits = 2) =>
  value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits;

/** The parallelism the rates of one reading (or their averages) ask for; null when they cannot tell. */
function requiredParallelism(
  parallelism: number,
  utilization: number | null,
  recordsIn: number | null,
  targetRate: number,
  policy: AutoscalePolicy,
): { required: number | null; capacityPerSubtask: number | null } {
  if (recordsIn === null || utilization === null) return { required: null, capacityPerSubtask: null };
  if (recordsIn < IDLE_RECORDS_PER_SECOND || utilization < IDLE_UTILIZATION) {
    // Nothing to measure capacity by: an idle job needs one subtask, unless records wait.
    return { required: targetRate > 0 ? null : 1, capacityPerSubtask: null };
  }
  const capacityPerSubtask = recordsIn / utilization / parallelism;
  const required = Math.max(1, Math.ceil(targetRate / (capacityPerSubtask * policy.targetUtilization) - 1e-9));
  return { required, capacityPerSubtask };
}

/** The smallest divisor of `maxParallelism` from `p` to `upTo` (key groups spread evenly); `p` when none. */
function alignToKeyGroups(p: number, upTo: number, maxParallelism: number): number {
  for (let candidate = p; candidate <= Math.min(upTo, Math.floor(maxParallelism / 2)); candidate++) {
    if (maxParallelism % candidate === 0) return candidate;
  }
  return p;
}

/** The parallelism a job should run at, from its load readings (oldest first, at least one). */
export function recommendParallelism(readings: LoadReading[], policy: AutoscalePolicy): Recommendation {
  if (readings.length === 0) throw new Error('recommendParallelism needs at least one reading');
  const last = readings.at(-1)!;
  const first = readings[0];
  const current = last.parallelism;
  const withinBounds = current >= policy.minParallelism && current <= policy.maxParallelism;

  const utilization = average(
    readings.map((r) => (r.busyTimeMsPerSecond === null ? null : r.busyTimeMsPerSecond / 1000)),
  );
  const recordsIn = average(readings.map((r) => r.recordsInPerSecond));
  const pending = last.pendingRecords;
  const spanSeconds = (last.at - first.at) / 1000;
  const lagGrowth =
    first.pendingRecords !== null && pending !== null && spanSeconds > 0
      ? (pending - first.pendingRecords) / spanSeconds
      : null;
  const targetRate =
    recordsIn === null ? null : Math.max(0, recordsIn + (lagGrowth ?? 0)) + (pending ?? 0) / policy.catchUpSeconds;
  const { required, capacityPerSubtask } =
    targetRate === null
      ? { required: null, capacityPerSubtask: null }
      : requiredParallelism(current, utilization, recordsIn, targetRate, policy);
  const figures: Recommendation['figures'] = {
    readings: readings.length,
    utilization: round(utilization, 3),
    recordsInPerSecond: round(recordsIn),
    pendingRecords: pending,
    lagGrowthPerSecond: round(lagGrowth),
    capacityPerSubtask: round(capacityPerSubtask),
    targetRatePerSecond: round(targetRate),
    required,
  };
  const hold = (reason: string): Recommendation => ({
    action: 'hold',
    current,
    recommended: current,
    reason,
    withinBounds,
    figures,
  });
  const percent = (share: number | null) => (share === null ? '?' : `${Math.round(share * 100)}%`);

  if (readings.some((r) => r.startTime !== last.startTime || r.parallelism !== current)) {
    return hold('the job restarted while it was read: its readings are of two runs');
  }
  const uptime = last.at - last.startTime;
  if (uptime < policy.stabilizationMs) {
    return hold(
      `the job started ${Math.round(uptime / 1000)} s ago: its metrics settle for ${policy.stabilizationMs / 1000} s first`,
    );
  }
  // A lag that grows by more than 5% of the input rate, with over a second of input waiting, is
  // falling behind even when the busy figure (a bottleneck elsewhere, back pressure) says otherwise.
  const falling =
    lagGrowth !== null &&
    pending !== null &&
    recordsIn !== null &&
    lagGrowth > 0.05 * Math.max(recordsIn, 1) &&
    pending > recordsIn;
  let wanted = required;
  if (wanted === null) {
    if (!falling) {
      return hold(
        recordsIn === null || utilization === null
          ? 'Flink reports no busy time or source rate for the job yet'
          : `records wait (${pending ?? '?'}) but the job reads none: not a question of parallelism`,
      );
    }
    wanted = current + 1;
  } else if (falling && wanted <= current) {
    wanted = current + 1;
  }

  const bounded = Math.min(policy.maxParallelism, Math.max(policy.minParallelism, wanted));
  if (bounded === current && wanted !== current) {
    return hold(
      wanted > current
        ? `${wanted} wanted (busy ${percent(utilization)}), but ${current} is the policy's maximum`
        : `${wanted} would do (busy ${percent(utilization)}), but ${current} is the policy's minimum`,
    );
  }
  if (bounded > current) {
    // The job's own slots are freed when it stops.
    const affordable = Math.min(bounded, last.slotsAvailable + current, last.maxParallelism);
    const target = alignToKeyGroups(
      affordable,
      Math.min(policy.maxParallelism, last.slotsAvailable + current),
      last.maxParallelism,
    );
    const why =
      utilization !== null && utilization > policy.targetUtilization
        ? `busy ${percent(utilization)} of the time, above the target ${percent(policy.targetUtilization)}`
        : falling
          ? `the Kafka lag grows by ${Math.round(lagGrowth ?? 0)} records/s`
          : `${pending} records wait: working them off within ${policy.catchUpSeconds} s needs more`;
    if (target <= current) return hold(`${why}, but the cluster has no free slot to scale up into`);
    const capped = target < bounded ? ` (${bounded} wanted, capped by the cluster's free slots)` : '';
    return {
      action: 'scale-up',
      current,
      recommended: target,
      reason: `${why}: ${current} → ${target}${capped}`,
      withinBounds,
      figures,
    };
  }
  if (bounded < current) {
    const lowest = Math.max(
      bounded,
      Math.ceil(current * (1 - policy.maxScaleDownFactor) - 1e-9),
      policy.minParallelism,
    );
    const target = alignToKeyGroups(lowest, current - 1, last.maxParallelism);
    if (target >= current)
      return hold(
        `utilisation ${percent(utilization)} is low, but ${current} is the smallest even spread of key groups`,
      );
    // Every reading on its own must want fewer subtasks: one quiet moment is no trend.
    const each = readings.map((r) => {
      const rate =
        r.recordsInPerSecond === null ? null : r.recordsInPerSecond + (r.pendingRecords ?? 0) / policy.catchUpSeconds;
      const u = r.busyTimeMsPerSecond === null ? null : r.busyTimeMsPerSecond / 1000;
      return rate === null ? null : requiredParallelism(current, u, r.recordsInPerSecond, rate, policy).required;
    });
    if (each.some((p) => p === null || p >= current)) {
      return hold(`the readings disagree on a scale down (${each.map((p) => p ?? '?').join(', ')} wanted): holding`);
    }
    if (lagGrowth !== null && lagGrowth > 0)
      return hold(`utilisation ${percent(utilization)} is low, but the lag grows`);
    if (uptime < policy.scaleDownStableMs) {
      return hold(
        `${target} would do (utilisation ${percent(utilization)}), but the job has run at ${current} for ` +
          `${Math.round(uptime / 60_000)} of the ${Math.round(policy.scaleDownStableMs / 60_000)} minutes a scale down waits`,
      );
    }
    return {
      action: 'scale-down',
      current,
      recommended: target,
      reason: `busy ${percent(utilization)} of the time, below the target ${percent(policy.targetUtilization)} for over ${Math.round(policy.scaleDownStableMs / 60_000)} minutes: ${current} → ${target}`,
      withinBounds,
      figures,
    };
  }
  return hold(
    `busy ${percent(utilization)} of the time: ${current} is what the load needs at the target ${percent(policy.targetUtilization)}`,
  );
}
