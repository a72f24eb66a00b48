import { readFileSync } from 'node:fs';
import { FlinkRest } from '@social-pulse/activities';
import { createKafka } from '@social-pulse/kafka';
import { readState, repoRoot, stateDir } from '@social-pulse/pulse/testing';
import { platform } from '@social-pulse/testing';
import { CompressionTypes, logLevel } from 'kafkajs';

/**
 * What the Flink throughput benchmarks share: a backlog topic of their own, a job run over it from
 * the earliest offset until every record has passed every operator, the TaskManager's CPU time for
 * it (from /proc, less what it burns idle), and the table they print. Needs a running platform
 * (`npx pulse up --detach`) with no other load on it (demo traffic off).
 */
export const JAR = `${repoRoot}/flink/target/social-pulse-jobs.jar`;
export const PASS_THROUGH_CLASS = 'dev.socialpulse.flink.bench.PassThroughJob';
/** PassThroughJob's source name. */
export const PASS_THROUGH_SOURCE = 'events';

const flink = new FlinkRest(platform.flinkRestUrl);
const TICKS_PER_SECOND = 100;

export interface Measured {
  seconds: number;
  cpuSeconds: number;
}

/** Clock ticks of user and system CPU the TaskManager process has used. */
function taskManagerTicks(): number {
  const state = readState(stateDir());
  const pid = state?.services['flink-taskmanager-1']?.pid;
  if (!pid) throw new Error('no flink-taskmanager-1 in the platform state: run `npx pulse up --detach` first');
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
}

/**
 * Writes `count` records made by `record(i)` (key and value) to a new topic of `partitions`, then
 * `closing(p)`, if given, to each partition p.
 */
export async function writeBacklog(
  topic: string,
  partitions: number,
  count: number,
  record: (i: number) => { key: string; value: string },
  closing?: (partition: number) => { key: string; value: string },
): Promise<void> {
  const kafka = createKafka('bench-throughput', platform.kafkaBrokers, { logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  const batch = 5_000;
  for (let i = 0; i < count; i += batch) {
    const messages = Array.from({ length: Math.min(batch, count - i) }, (_, j) => record(i + j));
    await producer.send({ topic, messages, compression: CompressionTypes.None });
    if ((i / batch) % 40 === 0)
      process.stderr.write(`  backlog: ${i.toLocaleString('en')} / ${count.toLocaleString('en')}\n`);
  }
  if (closing) {
    const messages = Array.from({ length: partitions }, (_, partition) => ({ ...closing(partition), partition }));
    await producer.send({ topic, messages, compression: CompressionTypes.None });
  }
  await producer.disconnect();
}

export async function deleteTopic(topic: string): Promise<void> {
  const kafka = createKafka('bench-throughput', platform.kafkaBrokers, { logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
}

export const uploadJar = () => flink.uploadJar(JAR);

async function vertexCounts(jobId: string): Promise<{ id: string; in: number; out: number }[]> {
  const job = await flink.json<{ vertices: { id: string; metrics: Record<string, number> }[] }>(
    'GET',
    `/jobs/${jobId}`,
  );
  return job.vertices.map((v) => ({
    id: v.id,
    in: v.metrics['read-records'] ?? 0,
    out: v.metrics['write-records'] ?? 0,
  }));
}

/**
 * Records the Kafka source has emitted: an operator metric, since a source chained with its sink (the
 * pass-through job) sends nothing over the network for the vertex counts to show.
 */
async function sourceRecordsOut(jobId: string, vertexId: string, sourceName: string): Promise<number> {
  const metric = `Source__${sourceName}.numRecordsOut`;
  const [sum] = await flink.json<{ sum?: number }[]>(
    'GET',
    `/jobs/${jobId}/vertices/${vertexId}/subtasks/metrics?get=${metric}&agg=sum`,
  );
  return sum?.sum ?? 0;
}

/** What the TaskManager burns with nothing of ours running (the platform's own jobs, timers, GC), per second. */
async function idleTicksPerSecond(): Promise<number> {
  const before = taskManagerTicks();
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  return (taskManagerTicks() - before) / 3;
}

/**
 * How long the REST API's record counts stand still between refreshes: its metric fetcher updates
 * them at most every `metrics.fetcher.update-interval` (Flink's default, 10 s, which pulse keeps).
 * Counts that stayed the same for longer than this have really stopped.
 */
const COUNTS_REFRESH_MS = 10_000;

interface CpuSample {
  at: number;
  ticks: number;
}

/**
 * Runs a job over a backlog of `records`: from its start until its source (named `sourceName`) has
 * read every record and every record has passed every operator. Returns the wall time and the
 * TaskManager's CPU up to that end; cancels the job.
 *
 * The counts only say that the job ended between two refreshes, ten seconds apart, and a job keeps
 * working when its input ends (checkpoints of its state): so the end is where, between those two
 * refreshes, the TaskManager last worked at half its average rate ({@link processingEnd}), from its
 * CPU sampled every poll.
 *
 * With `awaitCommit`, for a job writing through an exactly-once sink, it cancels only once the last
 * rows are committed (see {@link awaitCommitted}), so that what the job wrote can be counted; that
 * wait is not measured.
 */
export async function measure(
  label: string,
  run: {
    jarId: string;
    entryClass: string;
    args: string[];
    sourceName: string;
    records: number;
    awaitCommit?: boolean;
  },
): Promise<Measured> {
  // Without a free slot Flink would keep restarting the job, waiting for one.
  const cluster = await flink.json<{ 'slots-total': number; 'slots-available': number }>('GET', '/overview');
  if (cluster['slots-available'] < 1)
    throw new Error(
      `${label}: no free task slot, the running jobs take all ${cluster['slots-total']}: ` +
        `start the platform with FLINK_TASK_SLOTS=${cluster['slots-total'] + 1}`,
    );
  const idleRate = await idleTicksPerSecond();
  const started = performance.now();
  const samples: CpuSample[] = [{ at: started, ticks: taskManagerTicks() }];
  const { jobid } = await flink.json<{ jobid: string }>('POST', `/jars/${run.jarId}/run`, {
    entryClass: run.entryClass,
    programArgsList: run.args,
  });
  let last = '';
  let lastChange = started;
  let changeBefore = started;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    samples.push({ at: performance.now(), ticks: taskManagerTicks() });
    const counts = await vertexCounts(jobid);
    const sourceOut = await sourceRecordsOut(jobid, counts[0].id, run.sourceName);
    const key = JSON.stringify([sourceOut, ...counts.map((c) => [c.in, c.out])]);
    if (key !== last) {
      last = key;
      changeBefore = lastChange;
      lastChange = performance.now();
      process.stderr.write(`  ${label}: source read ${sourceOut.toLocaleString('en')}\r`);
    }
    if (sourceOut >= run.records && performance.now() - lastChange > COUNTS_REFRESH_MS + 2_000) break;
    if (performance.now() - started > 30 * 60_000) throw new Error(`${label} did not finish in 30 minutes`);
  }
  const end = processingEnd(samples, changeBefore, lastChange);
  const usedTicks = end.ticks - samples[0].ticks - idleRate * ((end.at - started) / 1000);
  if (run.awaitCommit) await awaitCommitted(label, jobid, Date.now() - (performance.now() - lastChange));
  await flink.json('PATCH', `/jobs/${jobid}?mode=cancel`);
  process.stderr.write('\n');
  return { seconds: (end.at - started) / 1000, cpuSeconds: usedTicks / TICKS_PER_SECOND };
}

/**
 * The sample that ends the job's work: the last one in `(from, to]` (between the refresh before the
 * counts' last change and that change) whose trailing second ran at over half the TaskManager's
 * average rate up to `to`; `to`'s when none did. After its input, a job only checkpoints now and
 * then, far below that rate.
 */
function processingEnd(samples: CpuSample[], from: number, to: number): CpuSample {
  const atOrBefore = (time: number) => samples.filter((s) => s.at <= time).at(-1) ?? samples[0];
  const first = samples[0];
  const last = atOrBefore(to);
  const threshold = (last.ticks - first.ticks) / Math.max(last.at - first.at, 1) / 2;
  for (let i = samples.indexOf(last); i > 0 && samples[i].at > from; i--) {
    const before = atOrBefore(samples[i].at - 1_000);
    if ((samples[i].ticks - before.ticks) / Math.max(samples[i].at - before.at, 1) > threshold) return samples[i];
  }
  return last;
}

interface CheckpointStats {
  latest: { completed: { id: number; trigger_timestamp: number } | null };
}

/**
 * Waits until what the job emitted by `quietSince` (epoch ms, its counts' last change) is committed.
 * An exactly-once sink commits a checkpoint's rows when it hears the checkpoint is complete, which is
 * after the REST API shows it completed: so it waits for the first checkpoint triggered after
 * `quietSince` (its barrier follows every row), then for the next one, which the committer's task
 * only takes part in after the first one's commit has run.
 */
async function awaitCommitted(label: string, jobId: string, quietSince: number): Promise<void> {
  const deadline = performance.now() + 5 * 60_000;
  let after: number | undefined;
  for (;;) {
    const { latest } = await flink.json<CheckpointStats>('GET', `/jobs/${jobId}/checkpoints`);
    const completed = latest.completed;
    if (after === undefined && completed && completed.trigger_timestamp > quietSince) after = completed.id;
    if (after !== undefined && completed && completed.id > after) return;
    if (performance.now() > deadline)
      throw new Error(`${label}: no checkpoint completed after its last output in 5 minutes`);
    process.stderr.write(`  ${label}: waiting for the last commit\r`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The side-by-side table: each job's wall time, CPU, events/s per core, vs the pass-through and the anchor. */
export function printThroughput(
  records: number,
  anchor: { name: string; perCore: number },
  pass: Measured,
  jobs: [string, Measured][],
): void {
  const perCore = (r: Measured) => records / r.cpuSeconds;
  const table = [
    ['job', 'wall', 'TaskManager CPU', 'events/s', 'events/s per core', 'vs pass-through', `vs ${anchor.name} anchor`],
    ...[['pass-through (parse, discard)', pass] as [string, Measured], ...jobs].map(([name, r]) => [
      name,
      `${r.seconds.toFixed(1)} s`,
      `${r.cpuSeconds.toFixed(1)} s`,
      Math.round(records / r.seconds).toLocaleString('en'),
      Math.round(perCore(r)).toLocaleString('en'),
      `${(perCore(r) / perCore(pass)).toFixed(2)}x`,
      `${(perCore(r) / anchor.perCore).toFixed(2)}x`,
    ]),
  ];
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  for (const row of table) process.stdout.write(`${row.map((cell, c) => cell.padEnd(widths[c])).join('  ')}\n`);
}
