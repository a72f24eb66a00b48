import { metricsRegistry } from '@social-pulse/observability';
import { Counter, Gauge, Histogram } from 'prom-client';

/**
 * The canary's metrics on the worker's /metrics, per feature; monitoring/rules/pulse.rules.yml
 * alerts on them (EndToEndLatencyHigh, CanaryEventUnseen).
 */
export const canaryMetrics = {
  latency: new Histogram({
    name: 'pulse_canary_e2e_latency_seconds',
    help: "Time from the canary's sending an event to the collector until the API's read path shows it",
    labelNames: ['feature'],
    // Around the 5 s promise: fine below it, coarse up to the 60 s timeout's half.
    buckets: [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5, 7.5, 10, 15, 20, 30],
    registers: [metricsRegistry],
  }),
  oldestUnseen: new Gauge({
    name: 'pulse_canary_oldest_unseen_seconds',
    help: 'Age of the oldest canary event sent and not yet shown by the API; 0 when none is pending',
    labelNames: ['feature'],
    registers: [metricsRegistry],
  }),
  timeouts: new Counter({
    name: 'pulse_canary_timeouts_total',
    help: 'Canary events given up unseen after CANARY_TIMEOUT_MS',
    labelNames: ['feature'],
    registers: [metricsRegistry],
  }),
  sendFailures: new Counter({
    name: 'pulse_canary_send_failures_total',
    help: 'Canary events the collector did not accept (not pending: the alert on the collector covers them)',
    labelNames: ['feature'],
    registers: [metricsRegistry],
  }),
};
