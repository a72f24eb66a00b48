import type { FlinkJobKey } from '@social-pulse/shared';
import { PLATFORM_SCOPE, activeScopedJobs } from './flink-jobs';
import { FlinkRest } from './flink-rest';
import { DEFAULT_MAX_PARALLELISM } from './flink-rescale.activities';

export interface FlinkAutoscaleDeps {
  flinkRestUrl: string;
  /** Only jobs of this scope are seen (flink-jobs.ts); default PLATFORM_SCOPE. */
  scope?: string;
}

/**
 * One reading of a running job's load, the inputs of the Flink Kubernetes Operator's autoscaler
 * (FLIP-271): how busy its busiest vertex is, how fast its sources read, and how much waits in Kafka.
 */
export interface JobLoadSample {
  job: FlinkJobKey;
  jobId: string;
  /** When it was read (the worker's clock, ms). */
  at: number;
  /** When the job started (Flink's clock, ms): a rescale or restart starts a new job. */
  startTime: number;
  parallelism: number;
  maxParallelism: number;
  /** Free task slots of the cluster. */
  slotsAvailable: number;
  /** `busyTimeMsPerSecond` of the busiest vertex, averaged over its subtasks (0–1000); null when Flink has none yet. */
  busyTimeMsPerSecond: number | null;
  busiestVertex: string | null;
  /** Records the sources read per second (their operators' `numRecordsInPerSecond`, summed over subtasks). */
  recordsInPerSecond: number | null;
  /** Records waiting in Kafka for the sources (their `pendingRecords`, summed); null when the sources report none. */
  pendingRecords: number | null;
}

interface Vertex {
  id: string;
  name: string;
  parallelism: number;
  maxParallelism?: number;
}

type Aggregated = { id: string; avg?: number | string; sum?: number | string }[];

const SOURCE_RATE = /^Source__.+\.numRecordsInPerSecond$/;
const SOURCE_PENDING = /^Source__.+\.pendingRecords$/;

/** A finite number from Flink's aggregate ("NaN" while a gauge has no value yet); null otherwise. */
const finite = (value: number | string | undefined): number | null => {
  const number = typeof value === 'string' ? Number(value) : value;
  return number !== undefined && Number.isFinite(number) ? number : null;
};

/** Activities of the autoscaling workflow: read each job's load from Flink's REST API. */
export function createFlinkAutoscaleActivities(deps: FlinkAutoscaleDeps) {
  const rest = new FlinkRest(deps.flinkRestUrl);
  const scope = deps.scope ?? PLATFORM_SCOPE;

  /**
   * The asked metrics of a vertex, aggregated over its subtasks. Flink answers `[]` when any
   * asked metric does not exist, so only metrics the vertex lists are asked.
   */
  const vertexMetrics = async (jobId: string, vertexId: string, wanted: (id: string) => boolean) => {
    const path = `/jobs/${jobId}/vertices/${vertexId}/subtasks/metrics`;
    const ids = (await rest.json<{ id: string }[]>('GET', path)).map((m) => m.id).filter(wanted);
    if (ids.length === 0) return new Map<string, { avg: number | null; sum: number | null }>();
    const values = await rest.json<Aggregated>(
      'GET',
      `${path}?get=${ids.map(encodeURIComponent).join(',')}&agg=avg,sum`,
    );
    return new Map(values.map((m) => [m.id, { avg: finite(m.avg), sum: finite(m.sum) }]));
  };

  return {
    /** The load of the newest running job of `job` in the worker's scope; null when none runs. */
    async sampleJobLoad(job: FlinkJobKey): Promise<JobLoadSample | null> {
      const running = (await activeScopedJobs(rest, scope, job)).find((j) => j.state === 'RUNNING');
      if (!running) return null;
      const details = await rest.json<{ maxParallelism?: number; 'start-time': number; vertices: Vertex[] }>(
        'GET',
        `/jobs/${running.jid}`,
      );
      const overview = await rest.json<{ 'slots-available': number }>('GET', '/overview');
      let busiest: { name: string; busy: number } | null = null;
      let recordsIn: number | null = null;
      let pending: number | null = null;
      for (const vertex of details.vertices) {
        const metrics = await vertexMetrics(
          running.jid,
          vertex.id,
          (id) => id === 'busyTimeMsPerSecond' || SOURCE_RATE.test(id) || SOURCE_PENDING.test(id),
        );
        const busy = metrics.get('busyTimeMsPerSecond')?.avg ?? null;
        if (busy !== null && (busiest === null || busy > busiest.busy)) busiest = { name: vertex.name, busy };
        for (const [id, value] of metrics) {
          if (SOURCE_RATE.test(id) && value.sum !== null) recordsIn = (recordsIn ?? 0) + value.sum;
          if (SOURCE_PENDING.test(id) && value.sum !== null) pending = (pending ?? 0) + value.sum;
        }
      }
      const bounds = [details.maxParallelism, ...details.vertices.map((v) => v.maxParallelism)].filter(
        (bound): bound is number => bound !== undefined && bound > 0,
      );
      return {
        job,
        jobId: running.jid,
        at: Date.now(),
        startTime: details['start-time'],
        parallelism: Math.max(...details.vertices.map((v) => v.parallelism)),
        maxParallelism: bounds.length > 0 ? Math.min(...bounds) : DEFAULT_MAX_PARALLELISM,
        slotsAvailable: overview['slots-available'],
        busyTimeMsPerSecond: busiest?.busy ?? null,
        busiestVertex: busiest?.name ?? null,
        recordsInPerSecond: recordsIn,
        pendingRecords: pending,
      };
    },
  };
}

export type FlinkAutoscaleActivities = ReturnType<typeof createFlinkAutoscaleActivities>;
