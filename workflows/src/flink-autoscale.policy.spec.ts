import { describe, expect, it } from 'vitest';
import { recommendParallelism, type AutoscalePolicy, type LoadReading } from './flink-autoscale.policy';

const NOW = Date.parse('2026-11-27T12:00:00Z');
const HOUR = 3_600_000;

const POLICY: AutoscalePolicy = {
  targetUtilization: 0.7,
  minParallelism: 1,
  maxParallelism: 4,
  catchUpSeconds: 300,
  stabilizationMs: 300_000,
  scaleDownStableMs: 1_800_000,
  maxScaleDownFactor: 0.5,
};

/** A job running for two hours at `parallelism`, with room in the cluster. */
function reading(overrides: Partial<LoadReading> = {}): LoadReading {
  return {
    at: NOW,
    startTime: NOW - 2 * HOUR,
    parallelism: 1,
    maxParallelism: 128,
    slotsAvailable: 4,
    busyTimeMsPerSecond: 500,
    recordsInPerSecond: 1_000,
    pendingRecords: 0,
    ...overrides,
  };
}

/** Readings 10 s apart, each with its own overrides. */
const readings = (...each: Partial<LoadReading>[]) => each.map((o, i) => reading({ at: NOW + i * 10_000, ...o }));

describe(recommendParallelism.name, () => {
  describe('scaling up', () => {
    it('should scale up when the busiest vertex is busy above the target', () => {
      const result = recommendParallelism(readings({ busyTimeMsPerSecond: 900 }, { busyTimeMsPerSecond: 900 }), POLICY);

      expect(result).toMatchObject({ action: 'scale-up', current: 1, recommended: 2, withinBounds: true });
      expect(result.reason).toBe('busy 90% of the time, above the target 70%: 1 → 2');
      expect(result.figures).toMatchObject({ utilization: 0.9, capacityPerSubtask: 1111.11, required: 2 });
    });

    it('should scale up when the Kafka lag grows, even with the busy figure low', () => {
      const result = recommendParallelism(
        readings(
          { parallelism: 2, busyTimeMsPerSecond: 300, pendingRecords: 5_000 },
          { parallelism: 2, busyTimeMsPerSecond: 300, pendingRecords: 8_000 },
          { parallelism: 2, busyTimeMsPerSecond: 300, pendingRecords: 11_000 },
        ),
        POLICY,
      );

      // The rates alone ask for 2; a growing lag asks for one more, rounded up to an even key-group spread.
      expect(result).toMatchObject({ action: 'scale-up', current: 2, recommended: 4 });
      expect(result.reason).toBe('the Kafka lag grows by 300 records/s: 2 → 4');
      expect(result.figures.lagGrowthPerSecond).toBe(300);
    });

    it('should scale up to work off a standing lag within the catch-up time', () => {
      const result = recommendParallelism(readings({ pendingRecords: 600_000 }, { pendingRecords: 600_000 }), POLICY);

      // 1000 records/s arrive and 600000 wait: 3000 records/s for 300 s; one subtask takes 2000 fully busy.
      expect(result.figures.targetRatePerSecond).toBe(3_000);
      expect(result.figures.required).toBe(3);
      expect(result).toMatchObject({ action: 'scale-up', recommended: 4 });
      expect(result.reason).toMatch(/^600000 records wait: working them off within 300 s needs more: 1 → 4$/);
    });

    it('should stay within the free slots, counting those the job frees when it stops', () => {
      const busy = { busyTimeMsPerSecond: 1_000, recordsInPerSecond: 1_000, pendingRecords: 300_000 };

      const capped = recommendParallelism(readings({ ...busy, slotsAvailable: 1 }), POLICY);
      const none = recommendParallelism(readings({ ...busy, slotsAvailable: 0 }), POLICY);

      expect(capped).toMatchObject({ action: 'scale-up', recommended: 2 });
      expect(capped.reason).toContain("(3 wanted, capped by the cluster's free slots)");
      expect(none).toMatchObject({ action: 'hold', recommended: 1 });
      expect(none.reason).toContain('the cluster has no free slot to scale up into');
    });

    it('should not go above the policy maximum', () => {
      const result = recommendParallelism(readings({ parallelism: 4, busyTimeMsPerSecond: 950 }), POLICY);

      expect(result).toMatchObject({ action: 'hold', current: 4, recommended: 4 });
      expect(result.reason).toBe("6 wanted (busy 95%), but 4 is the policy's maximum");
    });
  });

  describe('scaling down', () => {
    const quiet = { parallelism: 4, busyTimeMsPerSecond: 100 };

    it('should scale down a quiet job that has run at its parallelism past the stable period, at most by half', () => {
      const result = recommendParallelism(readings(quiet, quiet, quiet), POLICY);

      expect(result.figures.required).toBe(1);
      expect(result).toMatchObject({ action: 'scale-down', current: 4, recommended: 2 });
      expect(result.reason).toBe('busy 10% of the time, below the target 70% for over 30 minutes: 4 → 2');
    });

    it('should wait for the stable period before scaling down', () => {
      const result = recommendParallelism(
        readings({ ...quiet, startTime: NOW - 10 * 60_000 }, { ...quiet, startTime: NOW - 10 * 60_000 }),
        POLICY,
      );

      expect(result).toMatchObject({ action: 'hold', recommended: 4 });
      expect(result.reason).toBe(
        '2 would do (utilisation 10%), but the job has run at 4 for 10 of the 30 minutes a scale down waits',
      );
    });

    it('should hold when one reading on its own does not want fewer subtasks', () => {
      const result = recommendParallelism(readings(quiet, { ...quiet, busyTimeMsPerSecond: 700 }, quiet), POLICY);

      expect(result.action).toBe('hold');
      expect(result.reason).toBe('the readings disagree on a scale down (1, 4, 1 wanted): holding');
    });

    it('should scale an idle job down to the minimum', () => {
      const idle = { parallelism: 2, busyTimeMsPerSecond: 0, recordsInPerSecond: 0, pendingRecords: 0 };

      const result = recommendParallelism(readings(idle, idle), POLICY);

      expect(result).toMatchObject({ action: 'scale-down', current: 2, recommended: 1 });
    });

    it('should not go below the policy minimum', () => {
      const result = recommendParallelism(readings({ parallelism: 2, busyTimeMsPerSecond: 50 }), {
        ...POLICY,
        minParallelism: 2,
      });

      expect(result).toMatchObject({ action: 'hold', recommended: 2 });
      expect(result.reason).toBe("1 would do (busy 5%), but 2 is the policy's minimum");
    });
  });

  describe('holding', () => {
    it('should hold when the parallelism is what the load needs', () => {
      const result = recommendParallelism(readings({ parallelism: 2, busyTimeMsPerSecond: 600 }), POLICY);

      expect(result).toMatchObject({ action: 'hold', current: 2, recommended: 2 });
      expect(result.reason).toBe('busy 60% of the time: 2 is what the load needs at the target 70%');
    });

    it('should decide nothing while a (re)started job settles', () => {
      const result = recommendParallelism(readings({ busyTimeMsPerSecond: 1_000, startTime: NOW - 60_000 }), POLICY);

      expect(result.action).toBe('hold');
      expect(result.reason).toBe('the job started 60 s ago: its metrics settle for 300 s first');
    });

    it('should hold when the job restarted between two readings', () => {
      const result = recommendParallelism(
        readings({ busyTimeMsPerSecond: 1_000 }, { busyTimeMsPerSecond: 1_000, startTime: NOW - HOUR, parallelism: 2 }),
        POLICY,
      );

      expect(result.action).toBe('hold');
      expect(result.reason).toBe('the job restarted while it was read: its readings are of two runs');
    });

    it('should hold when Flink reports no busy time or source rate yet', () => {
      const result = recommendParallelism(readings({ busyTimeMsPerSecond: null, recordsInPerSecond: null }), POLICY);

      expect(result).toMatchObject({ action: 'hold', figures: { required: null, utilization: null } });
      expect(result.reason).toBe('Flink reports no busy time or source rate for the job yet');
    });

    it('should say a job outside the bounds (set by hand) is outside them', () => {
      const result = recommendParallelism(readings({ parallelism: 6, busyTimeMsPerSecond: 600 }), POLICY);

      expect(result.withinBounds).toBe(false);
    });
  });
});
