import type { FlinkRest } from './flink-rest';

/** One reading of a running job's health metrics from Flink's REST API. */
export interface JobHealthSample {
  at: number;
  /** The job's restarts since it was submitted (job metric numRestarts). */
  restarts: number;
  /** Failed checkpoints since it was submitted. */
  failedCheckpoints: number;
  /** Records the job's sources emitted (Source__*.numRecordsOut, summed over subtasks). */
  recordsIn: number;
  /** Records its sinks took (*__Writer.numRecordsIn, summed over subtasks). */
  recordsOut: number;
  /** The largest Kafka consumer lag of its sources (records-lag-max); null before the consumer reports one. */
  lag: number | null;
}

/** What counts as unhealthy during a deploy's watch period; each measured from the watch's first sample. */
export interface JobHealthThresholds {
  /** Sources emitting at least this many records while the sinks take none: the new version drops its output. */
  minRecordsForOutput: number;
  /** Lag that grows at every sample and by more than this over the watch: the new version cannot keep up. */
  lagGrowth: number;
}

export const DEFAULT_JOB_HEALTH_THRESHOLDS: JobHealthThresholds = { minRecordsForOutput: 100, lagGrowth: 10_000 };

export type UnhealthySignal = 'restarts' | 'checkpoint-failures' | 'no-output' | 'lag-growing';

export interface JobHealthVerdict {
  signal: UnhealthySignal;
  /** The figures behind it, for people. */
  detail: string;
}

/**
 * Restarts and failed checkpoints condemn a new job as soon as they appear; a job that drops all
 * its output or falls further behind at every sample is only judged over the whole watch
 * (`final`), since a few quiet seconds or a burst of lag say nothing on their own.
 */
export function unhealthySignal(
  samples: readonly JobHealthSample[],
  thresholds: JobHealthThresholds,
  final: boolean,
): JobHealthVerdict | null {
  if (samples.length < 2) return null;
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (last.restarts > first.restarts) {
    return { signal: 'restarts', detail: `restarted ${last.restarts - first.restarts} time(s) during the watch` };
  }
  if (last.failedCheckpoints > first.failedCheckpoints) {
    return {
      signal: 'checkpoint-failures',
      detail: `${last.failedCheckpoints - first.failedCheckpoints} checkpoint(s) failed during the watch`,
    };
  }
  if (!final) return null;
  const recordsIn = last.recordsIn - first.recordsIn;
  if (recordsIn >= thresholds.minRecordsForOutput && last.recordsOut === first.recordsOut) {
    return { signal: 'no-output', detail: `its sources emitted ${recordsIn} records and its sinks took none` };
  }
  const lags = samples.map((s) => s.lag);
  if (lags.every((lag) => lag !== null)) {
    const rising = lags.every((lag, i) => i === 0 || lag > lags[i - 1]);
    const growth = (lags.at(-1) as number) - lags[0];
    if (rising && growth > thresholds.lagGrowth) {
      return { signal: 'lag-growing', detail: `its consumer lag grew at every sample, by ${growth} records` };
    }
  }
  return null;
}

/** The operator metrics a sample reads, found once per job: they are named after its operators. */
export interface JobMetricIds {
  /** Per vertex id, the metric ids to sum (records) or take the max of (lag). */
  vertices: { id: string; recordsIn: string[]; recordsOut: string[]; lag: string[] }[];
}

const SOURCE_OUT = /^Source__[^.]+\.numRecordsOut$/;
const SINK_IN = /__Writer\.numRecordsIn$/;
const SOURCE_LAG = /\.KafkaConsumer\.records-lag-max$/;

/** Lists each vertex's metrics once and keeps the ids of its sources' output, sinks' input and Kafka lag. */
export async function jobMetricIds(rest: FlinkRest, jobId: string): Promise<JobMetricIds> {
  const { vertices } = await rest.json<{ vertices: { id: string }[] }>('GET', `/jobs/${jobId}`);
  const found = await Promise.all(
    vertices.map(async ({ id }) => {
      const metrics = await rest.json<{ id: string }[]>('GET', `/jobs/${jobId}/vertices/${id}/subtasks/metrics`);
      const ids = metrics.map((m) => m.id);
      return {
        id,
        recordsIn: ids.filter((m) => SOURCE_OUT.test(m)),
        recordsOut: ids.filter((m) => SINK_IN.test(m)),
        lag: ids.filter((m) => SOURCE_LAG.test(m)),
      };
    }),
  );
  return { vertices: found.filter((v) => v.recordsIn.length + v.recordsOut.length + v.lag.length > 0) };
}

/** Reads one sample: the job's restarts and checkpoint counts, and its operators' records and lag. */
export async function sampleJobHealth(rest: FlinkRest, jobId: string, ids: JobMetricIds): Promise<JobHealthSample> {
  const aggregate = async (vertex: string, metrics: string[], agg: 'sum' | 'max') => {
    if (metrics.length === 0) return [];
    const values = await rest.json<Record<string, number | string>[]>(
      'GET',
      `/jobs/${jobId}/vertices/${vertex}/subtasks/metrics?get=${metrics.map(encodeURIComponent).join(',')}&agg=${agg}`,
    );
    return values.map((v) => Number(v[agg])).filter((n) => Number.isFinite(n));
  };
  const [restarts, checkpoints, perVertex] = await Promise.all([
    rest.json<{ id: string; value: string }[]>('GET', `/jobs/${jobId}/metrics?get=numRestarts`),
    rest.json<{ counts?: { failed?: number } }>('GET', `/jobs/${jobId}/checkpoints`),
    Promise.all(
      ids.vertices.map(async (v) => ({
        recordsIn: await aggregate(v.id, v.recordsIn, 'sum'),
        recordsOut: await aggregate(v.id, v.recordsOut, 'sum'),
        lag: await aggregate(v.id, v.lag, 'max'),
      })),
    ),
  ]);
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const lags = perVertex.flatMap((v) => v.lag).filter((lag) => lag >= 0);
  return {
    at: Date.now(),
    restarts: Number(restarts[0]?.value ?? 0),
    failedCheckpoints: checkpoints.counts?.failed ?? 0,
    recordsIn: sum(perVertex.flatMap((v) => v.recordsIn)),
    recordsOut: sum(perVertex.flatMap((v) => v.recordsOut)),
    lag: lags.length > 0 ? Math.max(...lags) : null,
  };
}
