import { spawnSync } from 'node:child_process';
import { createEnrichClientStep } from '@social-pulse/collector/steps/enrich-client';
import { createEnrichEventStep } from '@social-pulse/collector/steps/enrich-event';
import { createRouteEventStep } from '@social-pulse/collector/steps/route-event';
import { validateEvent } from '@social-pulse/events';
import { createKafka } from '@social-pulse/kafka';
import { expectedInstallation } from '@social-pulse/pulse/testing';
import { TOPIC_PARTITIONS, TOPICS } from '@social-pulse/shared';
import { contentEvent, platform, startCollector, waitReady } from '@social-pulse/testing';
import { logLevel } from 'kafkajs';

/**
 * Collector throughput against Kafka's own producer on the same broker: realistic batches (SDK-
 * sized, content events with hashtags and browser context) posted by concurrent clients to a
 * collector of its own (topics prefixed `bench.`, rate limits off), then Kafka's
 * ProducerPerformance with the same number of records of the same size, acks=all and LZ4 like
 * the collector, into `bench.producer-perf`. Prints accepted events/s, p50/p99 request latency,
 * the producer's records/s and the ratio. Needs the platform's Kafka (`npx pulse up --detach`).
 *
 *   node -r @swc-node/register bench/collector.bench.ts [requests=2000] [batch=50] [concurrency=20]
 */
const requests = Number(process.argv[2] ?? 2000);
const batchSize = Number(process.argv[3] ?? 50);
const concurrency = Number(process.argv[4] ?? 20);
const brokers = process.env.KAFKA_BROKERS ?? platform.kafkaBrokers.join(',');
const KEY = 'bench-write-key';
const PREFIX = 'bench.';
const PERF_TOPIC = 'bench.producer-perf';
const kafkaLibs = `${expectedInstallation().kafkaLibDir}/*`;
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const TAGS = ['worldcup', 'ai', 'music', 'election', 'movies', 'food', 'travel', 'gaming', 'fashion', 'science'];

const event = (n: number) =>
  contentEvent({
    event_type: (['content.viewed', 'content.liked', 'content.shared'] as const)[n % 3],
    user_id: `user-${n % 5000}`,
    session_id: `s-${n % 800}`,
    context: {
      page: { url: `https://social.example/p/${n % 1000}`, path: `/p/${n % 1000}`, title: 'A post' },
      locale: 'en-GB',
      screen: { width: 1440, height: 900 },
      user_agent: CHROME,
    },
    properties: {
      content_id: `post-${n % 20000}`,
      author_id: `user-${(n * 7) % 5000}`,
      hashtags: [TAGS[n % 10], TAGS[(n * 3) % 10]],
    },
  });

/** The size of one record as the collector writes it, through the collector's own steps. */
function recordSize(): number {
  const validated = validateEvent(event(1));
  if (!validated.ok) throw new Error(validated.reason);
  const enriched = createEnrichClientStep({ countryHeaders: ['cf-ipcountry'] })(
    createEnrichEventStep()(validated.event, { receivedAt: Date.now() }),
    { ip: '127.0.0.1', userAgent: CHROME, headers: { 'cf-ipcountry': 'GB' } },
  );
  return Buffer.byteLength(createRouteEventStep()(enriched).value);
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function ensureTopics(): Promise<void> {
  const admin = createKafka('bench', brokers.split(','), { logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const existing = new Set(await admin.listTopics());
  const wanted = [
    { topic: PREFIX + TOPICS.contentEvents, numPartitions: TOPIC_PARTITIONS[TOPICS.contentEvents] },
    { topic: PREFIX + TOPICS.deadLetter, numPartitions: TOPIC_PARTITIONS[TOPICS.deadLetter] },
    { topic: PERF_TOPIC, numPartitions: TOPIC_PARTITIONS[TOPICS.contentEvents] },
  ].filter((t) => !existing.has(t.topic));
  if (wanted.length) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: wanted.map((t) => ({
        ...t,
        replicationFactor: 1,
        configEntries: [
          { name: 'compression.type', value: 'lz4' },
          { name: 'retention.ms', value: String(3_600_000) },
        ],
      })),
    });
  }
  await admin.disconnect();
}

async function benchCollector(url: string, requests: number) {
  const latencies: number[] = [];
  let accepted = 0;
  let failed = 0;
  let issued = 0;
  const worker = async () => {
    while (issued < requests) {
      const n = issued++;
      const body = JSON.stringify({
        sent_at: new Date().toISOString(),
        events: Array.from({ length: batchSize }, (_, i) => event(n * batchSize + i)),
      });
      const started = performance.now();
      const res = await fetch(`${url}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-write-key': KEY, 'user-agent': CHROME, 'cf-ipcountry': 'GB' },
        body,
      });
      const answer = (await res.json()) as { accepted?: number };
      latencies.push(performance.now() - started);
      if (res.status === 202) accepted += answer.accepted ?? 0;
      else failed++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    accepted,
    failed,
    seconds,
    eventsPerSecond: accepted / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

function benchProducer(records: number, size: number) {
  const result = spawnSync(
    'java',
    [
      '-cp',
      kafkaLibs,
      'org.apache.kafka.tools.ProducerPerformance',
      '--topic',
      PERF_TOPIC,
      '--num-records',
      String(records),
      '--record-size',
      String(size),
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${brokers.split(',')[0]}`,
      'acks=all',
      'compression.type=lz4',
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const summary = result.stdout.trim().split('\n').pop() ?? '';
  const match = /([\d.]+) records\/sec.*?([\d.]+) ms avg latency.*?(\d+) ms 50th.*?(\d+) ms 99th/.exec(summary);
  if (!match) throw new Error(`ProducerPerformance gave no summary:\n${result.stdout}\n${result.stderr}`);
  return {
    summary,
    recordsPerSecond: Number(match[1]),
    avgMs: Number(match[2]),
    p50: Number(match[3]),
    p99: Number(match[4]),
  };
}

async function main(): Promise<void> {
  await ensureTopics();
  const collector = await startCollector({
    KAFKA_BROKERS: brokers,
    COLLECTOR_WRITE_KEYS: KEY,
    COLLECTOR_TOPIC_PREFIX: PREFIX,
    COLLECTOR_IP_RATE_LIMIT: '1000000',
    COLLECTOR_KEY_RATE_LIMIT: '1000000',
  });
  let collectorResult;
  try {
    await waitReady(collector.url);
    // Warm-up: JIT, Kafka connections and partition metadata.
    await benchCollector(collector.url, Math.min(200, requests));
    collectorResult = await benchCollector(collector.url, requests);
  } finally {
    await collector.stop();
  }
  const size = recordSize();
  const producer = benchProducer(collectorResult.accepted, size);

  const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });
  console.log(`\ncollector: ${requests} requests × ${batchSize} events, ${concurrency} concurrent, record ${size} B`);
  console.log(
    `  accepted ${fmt(collectorResult.accepted)} events in ${collectorResult.seconds.toFixed(1)} s → ${fmt(collectorResult.eventsPerSecond)} events/s; request latency p50 ${collectorResult.p50.toFixed(1)} ms, p99 ${collectorResult.p99.toFixed(1)} ms; ${collectorResult.failed} failed`,
  );
  console.log(`kafka ProducerPerformance (acks=all, lz4, ${fmt(collectorResult.accepted)} records of ${size} B):`);
  console.log(`  ${fmt(producer.recordsPerSecond)} records/s; latency p50 ${producer.p50} ms, p99 ${producer.p99} ms`);
  console.log(`  ${producer.summary}`);
  console.log(
    `ratio collector / producer: ${(collectorResult.eventsPerSecond / producer.recordsPerSecond).toFixed(3)}`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
