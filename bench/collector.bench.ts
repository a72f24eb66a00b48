import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir, loadavg } from 'node:os';
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
import { contentEvent, freePortRange, readTopics, startCollector, waitReady } from '@social-pulse/testing';
import { logLevel, type Kafka } from 'kafkajs';

/**
 * The collector against Kafka's own producer, like for like: the same records into the same topic
 * layout on the same broker, with the settings each side needs for the collector's guarantees.
 *
 * 1. Concurrent clients post SDK-sized batches of content events (hashtags, browser context) to a
 *    collector of the bench's own (rate limits off), which validates, enriches and writes them
 *    keyed by user into a 32-partition topic: idempotent, acks=all, LZ4.
 * 2. The records the collector wrote are read back (their count proves none lost or doubled) and
 *    become ProducerPerformance's --payload-file, one value per line: Kafka's producer then sends
 *    the same number of those exact bytes into another 32-partition topic with Kafka's default
 *    producer settings plus acks=all and LZ4.
 * Both sides' settings and figures print side by side with the ratio and the machine's load.
 *
 * Starts a single Kafka broker of its own (free ports, a temporary directory) unless KAFKA_BROKERS
 * names one; topics are per run (`bench-<time>.`) and deleted afterwards.
 *
 *   node -r @swc-node/register bench/collector.bench.ts [requests=2000] [batch=50] [concurrency=20] [runs=1]
 */
const requests = Number(process.argv[2] ?? 2000);
const batchSize = Number(process.argv[3] ?? 50);
const concurrency = Number(process.argv[4] ?? 20);
const runs = Number(process.argv[5] ?? 1);
const KEY = 'bench-write-key';
const PREFIX = `bench-${Date.now()}.`;
const EVENTS_TOPIC = PREFIX + TOPICS.contentEvents;
const PERF_TOPIC = `${PREFIX}producer-perf`;
const PARTITIONS = TOPIC_PARTITIONS[TOPICS.contentEvents];
/** Kafka's producer settings beyond its defaults: what the collector's guarantees need. */
const PRODUCER_PROPS = ['acks=all', 'compression.type=lz4'];
/** The defaults of Kafka 3.9's producer that decide its batching, printed so the reference is named. */
const PRODUCER_DEFAULTS =
  'linger.ms=0 batch.size=16384 max.in.flight.requests.per.connection=5 enable.idempotence=true';
/** Linux's USER_HZ, the unit of /proc/<pid>/stat's CPU times. */
const CLOCK_TICKS = 100;
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

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });
const loadNow = () => loadavg()[0].toFixed(1);

/** CPU seconds (user + system) a process has used so far, from /proc; 0 when it cannot be read. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** A single broker of the bench's own; stopped by the returned function. */
async function ownKafka(dir: string) {
  const { libDir } = await installKafka();
  const cluster = { brokerCount: 1, basePort: await freePortRange(2) };
  const supervisor = new Supervisor(dir, () => undefined, { restartOnExit: false });
  await supervisor.startTogether(
    kafkaServices({ ...cluster, dir, libDir, version: versions.kafka.version, heap: '1g' }),
  );
  const pid = Object.values(supervisor.snapshot())[0].pid;
  return { brokers: bootstrapServers(cluster), libDir, pid, stop: () => supervisor.stopAll() };
}

async function createTopics(kafka: Kafka): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const topics = [EVENTS_TOPIC, PREFIX + TOPICS.deadLetter, PERF_TOPIC];
  await admin.createTopics({
    waitForLeaders: false,
    // As `pulse` creates the events topic: LZ4 on the broker too, so neither side is recompressed.
    topics: topics.map((topic) => ({
      topic,
      numPartitions: topic === PREFIX + TOPICS.deadLetter ? 1 : PARTITIONS,
      replicationFactor: 1,
      configEntries: [{ name: 'compression.type', value: 'lz4' }],
    })),
  });
  await waitForLeaders(admin, topics);
  await admin.disconnect();
}

async function deleteTopics(kafka: Kafka): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [EVENTS_TOPIC, PREFIX + TOPICS.deadLetter, PERF_TOPIC] }).catch(() => undefined);
  await admin.disconnect();
}

/** Request bodies made before the clock starts, so the client's own JSON work is not timed. */
function requestBodies(count: number, first: number): string[] {
  return Array.from({ length: count }, (_, r) =>
    JSON.stringify({
      sent_at: new Date().toISOString(),
      events: Array.from({ length: batchSize }, (_, i) => event(first + r * batchSize + i)),
    }),
  );
}

function post(url: URL, agent: Agent, body: string): Promise<{ status: number; accepted: number }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-write-key': KEY,
          'user-agent': CHROME,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          resolve({ status, accepted: status === 202 ? (JSON.parse(text) as { accepted: number }).accepted : 0 });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Which processes' CPU a side is charged with: the broker's always, plus its own. */
interface Pids {
  collector?: number;
  broker?: number;
}

async function benchCollector(url: string, bodies: string[], pids: Pids) {
  const target = new URL('/v1/batch', url);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let accepted = 0;
  let failed = 0;
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++];
      const started = performance.now();
      const answer = await post(target, agent, body);
      latencies.push(performance.now() - started);
      accepted += answer.accepted;
      if (answer.status !== 202) failed++;
    }
  };
  const load = loadNow();
  const cpu = { collector: cpuSeconds(pids.collector), broker: cpuSeconds(pids.broker), client: process.cpuUsage() };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const client = process.cpuUsage(cpu.client);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    accepted,
    failed,
    seconds,
    perSecond: accepted / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    load,
    cpu: {
      own: cpuSeconds(pids.collector) - cpu.collector,
      client: (client.user + client.system) / 1e6,
      broker: cpuSeconds(pids.broker) - cpu.broker,
    },
  };
}

/** Every record the collector wrote, read back from the start of its (fresh) topic. */
async function readBack(kafka: Kafka): Promise<{ values: string[]; keys: number; bytes: number }> {
  const values: string[] = [];
  const keys = new Set<string>();
  let bytes = 0;
  const reader = await readTopics(
    kafka,
    'collector-bench',
    ({ message }) => {
      values.push(message.value!.toString());
      keys.add(message.key!.toString());
      bytes += message.value!.length;
    },
    { topics: [EVENTS_TOPIC], fromBeginning: true },
  );
  await reader.settled();
  await reader.stop();
  return { values, keys: keys.size, bytes };
}

/** ProducerPerformance in a shell whose `times` reports the JVM's CPU seconds. */
function benchProducer(brokers: string[], libDir: string, payloadFile: string, records: number, pids: Pids) {
  const args = [
    '-cp',
    `${libDir}/*`,
    'org.apache.kafka.tools.ProducerPerformance',
    '--topic',
    PERF_TOPIC,
    '--num-records',
    String(records),
    '--payload-file',
    payloadFile,
    '--throughput',
    '-1',
    '--producer-props',
    `bootstrap.servers=${brokers[0]}`,
    ...PRODUCER_PROPS,
  ];
  const load = loadNow();
  const broker = cpuSeconds(pids.broker);
  const result = spawnSync('bash', ['-c', 'java "$@" && times', 'bench', ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const lines = result.stdout.trim().split('\n');
  // `times` prints the shell's user and system time, then its children's: "0m12.345s 0m1.234s".
  const [user, system] = [...(lines.pop() ?? '').matchAll(/(\d+)m([\d.]+)s/g)].map((m) => 60 * +m[1] + +m[2]);
  lines.pop();
  const summary = lines.pop() ?? '';
  const match = /([\d.]+) records\/sec.*?(\d+) ms 50th.*?(\d+) ms 99th/.exec(summary);
  if (!match || user === undefined) {
    throw new Error(`ProducerPerformance gave no summary:\n${result.stdout}\n${result.stderr}`);
  }
  return {
    summary,
    perSecond: Number(match[1]),
    p50: Number(match[2]),
    p99: Number(match[3]),
    load,
    cpu: { own: user + system, client: 0, broker: cpuSeconds(pids.broker) - broker },
  };
}

/** What either side measured; `cpu.client` is the bench's own HTTP client, charged to the collector. */
interface Side {
  perSecond: number;
  p50: number;
  p99: number;
  load: string;
  cpu: { own: number; client: number; broker: number };
}

/** CPU milliseconds per 1,000 records, its own process's (+ the broker's). */
const cpuPerThousand = (side: Side, records: number) =>
  `${((1e6 * (side.cpu.own + side.cpu.client)) / records).toFixed(0)}+${((1e6 * side.cpu.broker) / records).toFixed(0)}`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-collector-bench-'));
  const given = process.env.KAFKA_BROKERS?.split(',');
  const own = given ? undefined : await ownKafka(dir);
  try {
    await compare(dir, given ?? own!.brokers, own?.libDir ?? (await installKafka()).libDir, own?.pid);
  } finally {
    await own?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Both sides on the broker(s) given; `brokerPid` (the bench's own broker) has its CPU counted. */
async function compare(dir: string, brokers: string[], libDir: string, brokerPid?: number): Promise<void> {
  const given = brokerPid === undefined;
  const kafka = createKafka('bench', brokers, { logLevel: logLevel.NOTHING });
  const collector = await startCollector({
    KAFKA_BROKERS: brokers.join(','),
    COLLECTOR_WRITE_KEYS: KEY,
    COLLECTOR_TOPIC_PREFIX: PREFIX,
    COLLECTOR_IP_RATE_LIMIT: '1000000',
    COLLECTOR_KEY_RATE_LIMIT: '1000000',
    // e.g. COLLECTOR_NODE_OPTIONS='--require ./profile.js' to profile the collector alone.
    ...(process.env.COLLECTOR_NODE_OPTIONS && { NODE_OPTIONS: process.env.COLLECTOR_NODE_OPTIONS }),
  });
  const pids = { collector: collector.child.pid, broker: brokerPid };
  try {
    await createTopics(kafka);
    await waitReady(collector.url);
    // Warm-up: JIT, Kafka connections and partition metadata.
    const warmUp = await benchCollector(collector.url, requestBodies(Math.min(200, requests), 0), pids);
    const collectorRuns: Awaited<ReturnType<typeof benchCollector>>[] = [];
    const producerRuns: ReturnType<typeof benchProducer>[] = [];
    const runCollector = async (run: number) =>
      collectorRuns.push(
        await benchCollector(collector.url, requestBodies(requests, (run + 1) * requests * batchSize), pids),
      );

    // The first run's records (and the warm-up's) are the payload; then the sides take turns, so
    // each pair of runs sees about the same load from whatever else shares the machine.
    await runCollector(0);
    const written = await readBack(kafka);
    const acknowledged = warmUp.accepted + collectorRuns[0].accepted;
    const payloadFile = join(dir, 'collector-records.txt');
    writeFileSync(payloadFile, written.values.join('\n') + '\n');
    const records = collectorRuns[0].accepted;
    for (let run = 0; run < runs; run++) {
      if (run > 0) await runCollector(run);
      producerRuns.push(benchProducer(brokers, libDir, payloadFile, records, pids));
    }

    const avgSize = written.bytes / written.values.length;
    console.log(
      `\nKafka ${versions.kafka.version}, ${given ? `at ${brokers.join(',')}` : 'a broker of the bench’s own'}; topics ${PREFIX}*: ${PARTITIONS} partitions, replication 1, compression.type=lz4`,
    );
    console.log(
      `records: the collector's own, read back: ${fmt(written.values.length)} (${fmt(acknowledged)} acknowledged${written.values.length === acknowledged ? ', none lost or doubled' : ' — MISMATCH'}), ${fmt(written.keys)} keys, value ${avgSize.toFixed(0)} B on average`,
    );
    console.log(
      `collector: HTTP POST /v1/batch, ${requests} requests × ${batchSize} events, ${concurrency} concurrent (keep-alive); kafkajs idempotent, acks=all, lz4, keyed by user_id`,
    );
    console.log(
      `producer:  ProducerPerformance, ${fmt(records)} records from that --payload-file (null keys); ${PRODUCER_PROPS.join(' ')}; defaults ${PRODUCER_DEFAULTS}`,
    );
    console.log(
      `\nrun | collector events/s  p50 ms  p99 ms  cpu ms/1k | producer records/s  p50 ms  p99 ms  cpu ms/1k | ratio | load (1 min) before`,
    );
    for (let run = 0; run < runs; run++) {
      const c = collectorRuns[run];
      const p = producerRuns[run];
      console.log(
        `${String(run + 1).padStart(3)} | ${fmt(c.perSecond).padStart(18)}  ${c.p50.toFixed(0).padStart(6)}  ${c.p99.toFixed(0).padStart(6)}  ${cpuPerThousand(c, c.accepted).padStart(9)} | ${fmt(p.perSecond).padStart(18)}  ${String(p.p50).padStart(6)}  ${String(p.p99).padStart(6)}  ${cpuPerThousand(p, records).padStart(9)} | ${(c.perSecond / p.perSecond).toFixed(3)} | ${c.load} / ${p.load}${c.failed ? ` (${c.failed} requests failed)` : ''}`,
      );
    }
    const median = (xs: number[]) => {
      const sorted = [...xs].sort((a, b) => a - b);
      const middle = sorted.length / 2;
      return Number.isInteger(middle) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[Math.floor(middle)];
    };
    const spread = (xs: number[]) => `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`;
    const ratios = collectorRuns.map((c, run) => c.perSecond / producerRuns[run].perSecond);
    console.log(
      `\nmedian (min–max): collector ${spread(collectorRuns.map((r) => r.perSecond))} events/s; producer ${spread(producerRuns.map((r) => r.perSecond))} records/s; ratio ${median(ratios).toFixed(3)} (${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)})`,
    );
    console.log(
      'cpu ms/1k: CPU milliseconds per 1,000 records of the side itself (collector + bench client; ProducerPerformance’s JVM) + the broker’s',
    );
    console.log(`last ProducerPerformance summary: ${producerRuns[runs - 1].summary}`);
  } finally {
    await collector.stop();
    if (given) await deleteTopics(kafka);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
