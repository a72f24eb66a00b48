import { metricsRegistry } from '@social-pulse/observability';
import { Counter, Histogram } from 'prom-client';

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
  publishFailures: new Counter({
    name: 'collector_kafka_publish_failures_total',
    help: 'Batches answered 503 because Kafka did not acknowledge them',
    registers: [metricsRegistry],
  }),
};
