import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafka } from '@social-pulse/kafka';
import {
  bootstrapServers,
  installKafka,
  kafkaServices,
  Supervisor,
  versions,
  waitForLeaders,
} from '@social-pulse/pulse/testing';
import { TOPIC_PARTITIONS, TOPICS } from '@social-pulse/shared';
import { contentEvent, freePortRange } from '@social-pulse/testing';
import { logLevel, Partitioners } from 'kafkajs';
import { loadCollectorConfig } from '@social-pulse/collector/config';
import { KafkaRepository } from '@social-pulse/collector/kafka-repository';
import { IngestService } from '@social-pulse/collector/ingest-service';
import type { KafkaRecord } from '@social-pulse/collector/steps/route-event';

/**
 * The collector's Kafka writer (kafkajs, its own KafkaRepository) against librdkafka-based clients
 * doing the same job, side by side on one broker: the collector's own records (made by its
 * IngestService from SDK-sized batches of content events), published the way the collector
 * publishes them (one request's batch per call, many calls at once), idempotent, acks=all, LZ4,
 * keyed by user into a 32-partition topic. No HTTP: this measures the writer alone.
 *
 * The librdkafka clients are not dependencies of the project: they compile librdkafka from its
 * bundled source at install, which takes minutes. Install them in a directory of their own and
 * name it in KAFKA_CLIENTS_DIR; a client that is not there is skipped with a message:
 *
 *   mkdir -p /tmp/kafka-clients && cd /tmp/kafka-clients && npm init -y
 *   npm install node-rdkafka@3.6.1                       # node-gyp builds the bundled librdkafka
 *   CKJS_LINKING=dynamic npm_config_build_from_source=true npm install @confluentinc/kafka-javascript@1.10.1
 *     # (from source, linked to Debian's libssl/zlib; its default static build downloads OpenSSL, zstd, curl)
 *
 *   KAFKA_CLIENTS_DIR=/tmp/kafka-clients RDKAFKA_CLIENT=confluent node -r @swc-node/register bench/kafka-clients.bench.ts [requests=2000] [batch=50] [concurrency=20] [runs=3]
 *
 * RDKAFKA_CLIENT (confluent or node-rdkafka; the first installed by default) picks one librdkafka
 * client per run: the two cannot share a process (the librdkafka loaded first serves both).
 * confluent is measured twice: on its callback API and on its KafkaJS-compatible promise API.
 *
 * Figures per writer: events/s, its ratio to kafkajs, CPU ms per 1,000 events of the whole process
 * (librdkafka encodes and compresses on threads of its own) and of the JavaScript thread alone (the
 * thread the collector's HTTP and validation share); each topic's record count is checked against
 * the acknowledged events, and each key's partition against kafkajs's choice.
 */
const requests = Number(process.argv[2] ?? 2000);
const batchSize = Number(process.argv[3] ?? 50);
const concurrency = Number(process.argv[4] ?? 20);
const runs = Number(process.argv[5] ?? 3);
const CLIENTS_DIR = process.env.KAFKA_CLIENTS_DIR;
const PREFIX = `bench-clients-${Date.now()}.`;
const PARTITIONS = TOPIC_PARTITIONS[TOPICS.contentEvents];
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
/** Linux's USER_HZ, the unit of /proc's CPU times. */
const CLOCK_TICKS = 100;
const TAGS = ['worldcup', 'ai', 'music', 'election', 'movies', 'food', 'travel', 'gaming', 'fashion', 'science'];

/** The content events of bench/collector.bench.ts, so both benches write the same records. */
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

/** What the collector's IngestService needs of its repository: the interface every writer here has. */
interface Writer {
  name: string;
  topic: string;
  publish(records: KafkaRecord[]): Promise<void>;
  /** The partition each key was delivered to, where the client reports it. */
  partitions?: Map<string, number>;
  close(): Promise<void>;
}

/** librdkafka's producer as node-rdkafka and Confluent's client expose it (the part used here). */
interface RdkafkaProducer {
  connect(options: object, callback: (error: Error | null) => void): void;
  disconnect(callback: () => void): void;
  produce(
    topic: string,
    partition: number | null,
    value: Buffer,
    key: string,
    timestamp: number | null,
    opaque: unknown,
  ): void;
  poll(): void;
  setPollInBackground?(on: boolean): void;
  on(event: 'delivery-report', listener: (error: Error | null, report: DeliveryReport) => void): void;
  on(event: 'event.error', listener: (error: Error) => void): void;
}
interface DeliveryReport {
  partition: number;
  key?: Buffer | string;
  opaque: PendingPublish;
}
interface PendingPublish {
  remaining: number;
  error?: Error;
  resolve: () => void;
  reject: (error: Error) => void;
}
interface RdkafkaModule {
  Producer: new (conf: Record<string, unknown>, topicConf: Record<string, unknown>) => RdkafkaProducer;
  librdkafkaVersion: string;
}

/**
 * The collector's guarantees in librdkafka's terms. Idempotence implies acks=all, at most 5 requests
 * in flight and retries that keep their sequence numbers (librdkafka does not hand them back on a
 * failed send as kafkajs does, so no one-at-a-time queue is needed). murmur2_random is the Java
 * client's and kafkajs's partitioner for keyed records, so a user's events land where they do today.
 */
const RDKAFKA_CONF = {
  'enable.idempotence': true,
  'compression.codec': 'lz4',
  // Not librdkafka's 5 ms: the collector's records spread over 32 partitions, so 5 ms gathers one or
  // two records per partition batch and the broker's CPU per record doubles or triples (kafkajs's one
  // send at a time gathers a round trip's worth). Nor much more: 20 requests at once wait for the
  // linger, which caps a closed loop's rate (50 ms: about 20 × 50 events per 60 ms). RDKAFKA_LINGER_MS to try.
  'linger.ms': Number(process.env.RDKAFKA_LINGER_MS ?? 20),
};
/**
 * Topic-level properties go in a default topic configuration of their own: node-rdkafka replaces the
 * one librdkafka would build from the global settings (a partitioner set there is silently ignored).
 */
const RDKAFKA_TOPIC_CONF = { acks: -1, partitioner: 'murmur2_random', 'message.timeout.ms': 30_000 };

/** A client from KAFKA_CLIENTS_DIR, or undefined (with the reason) when it is not installed there. */
function loadClient<T>(name: string): T | string {
  if (!CLIENTS_DIR) return 'KAFKA_CLIENTS_DIR is not set';
  try {
    return createRequire(join(CLIENTS_DIR, 'package.json'))(name) as T;
  } catch (error) {
    return `not installed in ${CLIENTS_DIR} (${(error as Error).message.split('\n')[0]})`;
  }
}

/** A writer on librdkafka's callback API: one delivery report per record, a publish settles when all did. */
async function rdkafkaWriter(name: string, module: RdkafkaModule, brokers: string[], topic: string): Promise<Writer> {
  const producer = new module.Producer(
    {
      ...RDKAFKA_CONF,
      'bootstrap.servers': brokers.join(','),
      'client.id': `social-pulse-bench-${name}`,
      dr_cb: true,
    },
    RDKAFKA_TOPIC_CONF,
  );
  const partitions = new Map<string, number>();
  producer.on('event.error', (error) => console.error(`${name}: ${error.message}`));
  producer.on('delivery-report', (error, report) => {
    const pending = report.opaque;
    if (error) pending.error ??= error;
    else if (report.key !== undefined) partitions.set(report.key.toString(), report.partition);
    if (--pending.remaining === 0) {
      if (pending.error) pending.reject(pending.error);
      else pending.resolve();
    }
  });
  await new Promise<void>((resolve, reject) => producer.connect({}, (error) => (error ? reject(error) : resolve())));
  // Confluent's client can dispatch delivery reports from a thread of its own; node-rdkafka is polled.
  let polling: NodeJS.Timeout | undefined;
  if (producer.setPollInBackground) producer.setPollInBackground(true);
  else polling = setInterval(() => producer.poll(), 1);
  return {
    name: `${name} (librdkafka ${module.librdkafkaVersion})`,
    topic,
    partitions,
    publish: (records) =>
      new Promise<void>((resolve, reject) => {
        const pending: PendingPublish = { remaining: records.length, resolve, reject };
        for (const record of records) {
          producer.produce(topic, null, Buffer.from(record.value), record.key, null, pending);
        }
      }),
    close: async () => {
      clearInterval(polling);
      await new Promise<void>((resolve) => producer.disconnect(() => resolve()));
    },
  };
}

/** Confluent's KafkaJS-compatible promise API: the closest to the collector's code as it is. */
interface ConfluentKafkaJs {
  KafkaJS: {
    Kafka: new (config: object) => {
      producer(config: object): {
        connect(): Promise<void>;
        disconnect(): Promise<void>;
        send(record: { topic: string; messages: { key: string; value: string }[] }): Promise<unknown>;
      };
    };
  };
  librdkafkaVersion: string;
}

async function confluentKafkaJsWriter(module: ConfluentKafkaJs, brokers: string[], topic: string): Promise<Writer> {
  const producer = new module.KafkaJS.Kafka({ kafkaJS: { brokers, logLevel: 1 } }).producer({
    kafkaJS: { idempotent: true, acks: -1, compression: 'lz4' },
    partitioner: RDKAFKA_TOPIC_CONF.partitioner,
    'message.timeout.ms': RDKAFKA_TOPIC_CONF['message.timeout.ms'],
    'linger.ms': RDKAFKA_CONF['linger.ms'],
  });
  await producer.connect();
  return {
    name: `confluent KafkaJS API (librdkafka ${module.librdkafkaVersion})`,
    topic,
    publish: async (records) => {
      await producer.send({ topic, messages: records.map(({ key, value }) => ({ key, value })) });
    },
    close: () => producer.disconnect(),
  };
}

/** The collector's own writer: its KafkaRepository (kafkajs, SendQueue, verified sends), into the records' own topic. */
async function kafkajsWriter(brokers: string[], topic: string): Promise<Writer> {
  const repository = new KafkaRepository(loadCollectorConfig({ KAFKA_BROKERS: brokers.join(','), LOG_LEVEL: 'warn' }));
  repository.onModuleInit();
  while (!repository.isReady()) await new Promise((r) => setTimeout(r, 100));
  return {
    name: 'kafkajs (the collector’s KafkaRepository)',
    topic,
    publish: (records) => repository.publish(records),
    close: () => repository.onModuleDestroy(),
  };
}

/** The records the collector would write for `count` requests: its IngestService, its repository captured. */
async function collectorRecords(count: number, first: number): Promise<KafkaRecord[][]> {
  const batches: KafkaRecord[][] = [];
  const capture = { canPublish: () => true, publish: async (records: KafkaRecord[]) => void batches.push(records) };
  const config = loadCollectorConfig({ COLLECTOR_TOPIC_PREFIX: PREFIX });
  const ingest = new IngestService(config, capture as unknown as KafkaRepository);
  const request = { ip: '203.0.113.7', peer: '203.0.113.7', userAgent: CHROME, headers: {} };
  for (let r = 0; r < count; r++) {
    const events = Array.from({ length: batchSize }, (_, i) => event(first + r * batchSize + i));
    await ingest.ingest({ sent_at: new Date().toISOString(), events }, request);
  }
  return batches;
}

/** CPU seconds of this process's JavaScript thread alone (its task id is the process id), from /proc. */
function jsThreadSeconds(): number {
  const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** Publishes the batches, `concurrency` calls at once as concurrent requests would; CPU of the process and of its JS thread. */
async function measure(writer: Writer, batches: KafkaRecord[][]) {
  const load = loadavg()[0].toFixed(1);
  let next = 0;
  let events = 0;
  const cpu = process.cpuUsage();
  const js = jsThreadSeconds();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < batches.length) {
        const batch = batches[next++];
        await writer.publish(batch);
        events += batch.length;
      }
    }),
  );
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return {
    events,
    perSecond: (1000 * events) / ms,
    cpuPerThousand: (1000 * ((used.user + used.system) / 1000)) / events,
    jsPerThousand: (1e6 * (jsThreadSeconds() - js)) / events,
    load,
  };
}

async function main(): Promise<void> {
  // One librdkafka client per process: a second one's native module would bind to the first's librdkafka.
  const wanted = process.env.RDKAFKA_CLIENT ?? '';
  let client:
    | { name: 'confluent'; module: RdkafkaModule & ConfluentKafkaJs }
    | { name: 'node-rdkafka'; module: RdkafkaModule }
    | undefined;
  for (const [name, pkg] of [
    ['confluent', '@confluentinc/kafka-javascript'],
    ['node-rdkafka', 'node-rdkafka'],
  ] as const) {
    if (wanted && wanted !== name) continue;
    const loaded = loadClient<RdkafkaModule & ConfluentKafkaJs>(pkg);
    if (typeof loaded === 'string') {
      console.log(`${pkg}: skipped, ${loaded} (see the install commands atop this file)`);
      continue;
    }
    client = { name, module: loaded };
    break;
  }
  if (!client) console.log('no librdkafka client: measuring kafkajs alone');

  const dir = mkdtempSync(join(tmpdir(), 'pulse-kafka-clients-bench-'));
  const { libDir } = await installKafka();
  const cluster = { brokerCount: 1, basePort: await freePortRange(2) };
  const supervisor = new Supervisor(dir, () => undefined, { restartOnExit: false });
  const writers: Writer[] = [];
  try {
    await supervisor.startTogether(
      kafkaServices({ ...cluster, dir, libDir, version: versions.kafka.version, heap: '1g' }),
    );
    const brokers = bootstrapServers(cluster);
    const kafka = createKafka('bench', brokers, { logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    // kafkajs writes where the collector's records say (PREFIX + content-events); the others into topics of their own.
    const topics = [
      TOPICS.contentEvents,
      ...(client ? [`${client.name}-callbacks`] : []),
      ...(client?.name === 'confluent' ? ['confluent-kafkajs-api'] : []),
    ].map((name) => PREFIX + name);
    await admin.createTopics({
      waitForLeaders: false,
      topics: topics.map((topic) => ({
        topic,
        numPartitions: PARTITIONS,
        replicationFactor: 1,
        configEntries: [{ name: 'compression.type', value: 'lz4' }],
      })),
    });
    await waitForLeaders(admin, topics);

    writers.push(await kafkajsWriter(brokers, topics[0]));
    if (client) writers.push(await rdkafkaWriter(client.name, client.module, brokers, topics[1]));
    if (client?.name === 'confluent') writers.push(await confluentKafkaJsWriter(client.module, brokers, topics[2]));

    const acknowledged = new Map(writers.map((w) => [w, 0]));
    const results = new Map(writers.map((w) => [w, [] as Awaited<ReturnType<typeof measure>>[]]));
    const warmUp = await collectorRecords(Math.min(200, requests), 0);
    for (const writer of writers) acknowledged.set(writer, (await measure(writer, warmUp)).events);
    // The writers take turns, run by run, so each sees about the same load from whatever shares the machine.
    for (let run = 0; run < runs; run++) {
      const batches = await collectorRecords(requests, (run + 1) * requests * batchSize);
      for (const writer of writers) {
        const result = await measure(writer, batches);
        results.get(writer)!.push(result);
        acknowledged.set(writer, acknowledged.get(writer)! + result.events);
      }
    }

    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
    const base = median(results.get(writers[0])!.map((r) => r.perSecond));
    const choose = Partitioners.DefaultPartitioner();
    const partitionMetadata = Array.from({ length: PARTITIONS }, (_, partitionId) => ({
      partitionId,
      leader: 0,
      replicas: [],
      isr: [],
      partitionErrorCode: 0,
    }));
    const sample = warmUp[0][0];
    console.log(
      `\nKafka ${versions.kafka.version}, a broker of the bench’s own; ${PARTITIONS} partitions, replication 1, compression.type=lz4`,
    );
    console.log(
      `records: the collector's own (IngestService), ${requests} publishes × ${batchSize} per run, ${concurrency} at once, value ${Buffer.byteLength(sample.value)} B e.g.; all idempotent, acks=all, lz4, keyed by user_id; librdkafka linger.ms=${RDKAFKA_CONF['linger.ms']}`,
    );
    console.log(
      `\nwriter                                           | events/s per run                  | median  | × kafkajs | cpu ms/1k process (js thread) | records in topic`,
    );
    for (const writer of writers) {
      const rs = results.get(writer)!;
      const offsets = await admin.fetchTopicOffsets(writer.topic);
      const written = offsets.reduce((sum, o) => sum + Number(o.high) - Number(o.low), 0);
      const wrongPartitions = writer.partitions
        ? [...writer.partitions].filter(
            ([key, partition]) =>
              choose({ topic: writer.topic, partitionMetadata, message: { key, value: null } }) !== partition,
          ).length
        : 0;
      const ack = acknowledged.get(writer)!;
      console.log(
        `${writer.name.padEnd(48)} | ${rs.map((r) => `${r.perSecond.toFixed(0)} (load ${r.load})`).join(' ')} | ${median(rs.map((r) => r.perSecond)).toFixed(0)} | ${(median(rs.map((r) => r.perSecond)) / base).toFixed(2)} | ${median(rs.map((r) => r.cpuPerThousand)).toFixed(0)} (${median(rs.map((r) => r.jsPerThousand)).toFixed(0)}) | ${written} of ${ack} acknowledged${written === ack ? '' : ' — MISMATCH'}${writer.partitions ? `, ${wrongPartitions} of ${writer.partitions.size} keys on another partition than kafkajs's` : ''}`,
      );
    }
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
  } finally {
    for (const writer of writers) await writer.close().catch(() => undefined);
    await supervisor.stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
