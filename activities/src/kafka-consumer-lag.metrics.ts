import { consumerGroupLags, createKafka } from '@social-pulse/kafka';
import { metricsRegistry } from '@social-pulse/observability';
import type { Admin } from 'kafkajs';
import { Gauge } from 'prom-client';

/** A scrape waits at most this long for Kafka; a slower answer leaves the last figures in place. */
const SCRAPE_TIMEOUT_MS = 5_000;

/**
 * `pulse_kafka_consumer_lag{group,topic,partition}` on the worker's /metrics: log-end offset minus
 * committed offset, read from Kafka at each scrape. Kafka's JMX exporter has no per-group lag (that
 * lives with the group coordinator's offsets, not in broker MBeans), so the worker, which always runs
 * beside the brokers, asks for it.
 */
export function registerKafkaConsumerLag(brokers: string[]): { stop: () => Promise<void> } {
  let admin: Admin | undefined;
  const connect = async () => {
    if (admin) return admin;
    const created = createKafka('worker-lag', brokers).admin();
    await created.connect();
    return (admin = created);
  };
  const name = 'pulse_kafka_consumer_lag';
  new Gauge({
    name,
    help: 'Records of a partition its consumer group has not committed yet (log-end offset minus committed offset)',
    labelNames: ['group', 'topic', 'partition'],
    registers: [metricsRegistry],
    async collect() {
      const lags = await Promise.race([
        connect().then(consumerGroupLags),
        new Promise<undefined>((resolve) => void setTimeout(resolve, SCRAPE_TIMEOUT_MS)),
      ]).catch(() => undefined);
      if (!lags) return;
      this.reset();
      for (const { group, topic, partition, lag } of lags)
        this.set({ group, topic, partition: String(partition) }, lag);
    },
  });
  return {
    stop: async () => {
      metricsRegistry.removeSingleMetric(name);
      await admin?.disconnect();
    },
  };
}
