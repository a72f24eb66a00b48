import { describe, expect, it } from 'vitest';
import { DEFAULT_JOB_HEALTH_THRESHOLDS, unhealthySignal, type JobHealthSample } from './flink-job-health';

const sample = (over: Partial<JobHealthSample> = {}): JobHealthSample => ({
  at: 0,
  restarts: 0,
  failedCheckpoints: 0,
  recordsIn: 0,
  recordsOut: 0,
  lag: 0,
  ...over,
});
const judge = (samples: JobHealthSample[], final = true) =>
  unhealthySignal(samples, DEFAULT_JOB_HEALTH_THRESHOLDS, final);

describe(unhealthySignal.name, () => {
  it('should find a job healthy that moves records through and keeps up', () => {
    expect(
      judge([
        sample(),
        sample({ recordsIn: 500, recordsOut: 40, lag: 30 }),
        sample({ recordsIn: 900, recordsOut: 90 }),
      ]),
    ).toBeNull();
  });

  it('should condemn restarts and failed checkpoints at once, before the watch ends', () => {
    expect(judge([sample({ restarts: 1 }), sample({ restarts: 3 })], false)).toEqual({
      signal: 'restarts',
      detail: 'restarted 2 time(s) during the watch',
    });
    expect(judge([sample({ failedCheckpoints: 2 }), sample({ failedCheckpoints: 3 })], false)).toMatchObject({
      signal: 'checkpoint-failures',
    });
  });

  it('should judge missing output only over the whole watch, and only when records flowed in', () => {
    const dropping = [sample({ recordsOut: 7 }), sample({ recordsIn: 150, recordsOut: 7 })];
    expect(judge(dropping, false)).toBeNull();
    expect(judge(dropping)).toEqual({
      signal: 'no-output',
      detail: 'its sources emitted 150 records and its sinks took none',
    });
    // A quiet stream is not a broken job.
    expect(judge([sample(), sample({ recordsIn: 99 })])).toBeNull();
  });

  it('should condemn a lag that grows at every sample by more than the threshold, not one that dips', () => {
    const rising = [sample({ lag: 100 }), sample({ lag: 6_000 }), sample({ lag: 12_000 })];
    expect(judge(rising)).toMatchObject({ signal: 'lag-growing', detail: expect.stringContaining('11900') });
    expect(judge([sample({ lag: 100 }), sample({ lag: 20_000 }), sample({ lag: 15_000 })])).toBeNull();
    expect(judge([sample({ lag: 100 }), sample({ lag: 200 }), sample({ lag: 300 })])).toBeNull();
    // Unknown lag (the consumer has not reported yet) judges nothing.
    expect(judge([sample({ lag: null }), sample({ lag: 50_000 })])).toBeNull();
  });

  it('should need two samples to judge', () => {
    expect(judge([sample({ restarts: 5 })])).toBeNull();
  });
});
