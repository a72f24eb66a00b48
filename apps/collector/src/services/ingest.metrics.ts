import { metricsRegistry } from '@social-pulse/observability';
import { Counter, Gauge, Histogram } from 'prom-client';

/** Collector metrics, labelled so dashboards can split accepted from rejected by reason. */
export const ingestMetrics = {
  events: new Counter({
    name: 'collector_events_total',
    help: 'Events received, by outcome and rejection reason',
    labelNames: ['outcome', 'reason'],
    registers: [metricsRegistry],
  }),
  batchSize: new Histogram({
    name: 'collector_batch_size_events',
    help: 'Events per posted batch',
    buckets: [1, 5, 10, 25, 50, 100, 250, 500],
    registers: [metricsRegistry],
  }),
  produceSeconds: new Histogram({
    name: 'collector_kafka_produce_seconds',
    help: 'Time until Kafka acknowledged a batch (acks=all)',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [metricsRegistry],
  }),
  requestsRejected: new Counter({
    name: 'collector_requests_rejected_total',
    help: 'Requests answered 4xx or 5xx as a whole (bad body, limits, auth, origin, rate limits, Kafka away), by reason',
    labelNames: ['status', 'reason'],
    registers: [metricsRegistry],
  }),
  inFlight: new Gauge({
    name: 'collector_http_requests_in_flight',
    help: 'HTTP requests received and not yet answered',
    registers: [metricsRegistry],
  }),
  pendingEvents: new Gauge({
    name: 'collector_kafka_pending_events',
    help: 'Events handed to Kafka and not yet acknowledged (bounded by COLLECTOR_MAX_PENDING_EVENTS)',
    registers: [metricsRegistry],
  }),
  inflatedBodies: new Counter({
    name: 'collector_request_bodies_inflated_total',
    help: 'Request bodies the collector started to decompress, by encoding (only after the write key passed)',
    labelNames: ['encoding'],
    registers: [metricsRegistry],
  }),
  publishFailures: new Counter({
    name: 'collector_kafka_publish_failures_total',
    help: 'Batches answered 503 because Kafka did not acknowledge them',
    registers: [metricsRegistry],
  }),
};

const REJECTION_REASONS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'origin_not_allowed',
  404: 'not_found',
  413: 'too_large',
  415: 'unsupported_content_type',
  429: 'rate_limited',
  503: 'kafka_unavailable',
};

/** Counts a whole-request rejection; the status says enough to keep the label set small. */
export function countRejectedRequest(status: number): void {
  if (status < 400) return;
  ingestMetrics.requestsRejected.inc({ status: String(status), reason: REJECTION_REASONS[status] ?? 'other' });
}
