import { metricsRegistry } from '@social-pulse/observability';
import { Counter, Gauge, Histogram } from 'prom-client';

/** The worker's figures of the answer refresh, on its /metrics. */
export const answerRefreshMetrics = {
  refreshes: new Counter({
    name: 'pulse_answer_refreshes_total',
    help: 'Refreshes of a pre-computed dashboard answer, by outcome (ok, failed: the previous answer kept)',
    labelNames: ['answer', 'outcome'],
    registers: [metricsRegistry],
  }),
  duration: new Histogram({
    name: 'pulse_answer_refresh_duration_seconds',
    help: 'Time to compute and write one pre-computed answer (all its request shapes)',
    labelNames: ['answer'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [metricsRegistry],
  }),
  lastSuccess: new Gauge({
    name: 'pulse_answer_last_refresh_timestamp_seconds',
    help: 'When a pre-computed answer was last written (Unix time): its age is time() minus this',
    labelNames: ['answer'],
    registers: [metricsRegistry],
  }),
};
