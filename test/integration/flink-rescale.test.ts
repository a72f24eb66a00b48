import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlinkRest, createFlinkDeployActivities, readJobTags, type JobOverview } from '@social-pulse/activities';
import { MIGRATIONS_DIR, createClickHouse, migrate, readMigrations } from '@social-pulse/clickhouse';
import { createKafka } from '@social-pulse/kafka';
import { repoRoot } from '@social-pulse/pulse/testing';
import { FLINK_JOBS } from '@social-pulse/shared';
import { platform, startWorker, type AppProcess } from '@social-pulse/testing';
import {
  rescaleFlinkJobWorkflow,
  rescaleProgressQuery,
  savepointJobsWorkflow,
  type SavepointJobsResult,
} from '@social-pulse/workflows';
import { Client, Connection } from '@temporalio/client';
import { logLevel, type Producer } from 'kafkajs';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// An event archive job of this test's own (its own topics, consumer group, ClickHouse database,
// savepoint folder and job scope) beside the platform's on the shared Flink cluster, operated by a
// worker of the test's own: the platform's jobs and worker are never touched. The archive writes
// exactly once (ExactlyOnceClickHouseSink) and drops resent event ids (keyed state), which is what
// the exact counts across the rescale check.
const run = Date.now().toString(36);
const scope = `rescale-test-${run}`;
const taskQueue = `rescale-test-${run}`;
const topic = `rescale-test-${run}-events`;
const deadLetterTopic = `rescale-test-${run}-dlq`;
const database = `rescale_test_${run}`;
const JAR = join(repoRoot, 'flink', 'target', 'social-pulse-jobs.jar');
const BATCH = 40;
const BATCH_EVERY_MS = 100;

const flink = new FlinkRest(platform.flinkRestUrl);
const kafka = createKafka('rescale-test', platform.kafkaBrokers, { logLevel: logLevel.NOTHING });
const admin = createClickHouse({ url: platform.clickhouseUrl });
const clickhouse = createClickHouse({ url: platform.clickhouseUrl, database });

/** The archive's program arguments: this test's topics, group and database; addresses without credentials. */
function archiveArguments(): string[] {
  const url = new URL(platform.clickhouseUrl);
  url.username = '';
  url.password = '';
  return [
    '--bootstrap-servers',
    platform.kafkaBrokers.join(','),
    '--topics',
    topic,
    '--dead-letter-topic',
    deadLetterTopic,
    '--group-id',
    `rescale-test-${run}`,
    '--clickhouse-url',
    url.toString().replace(/\/$/, ''),
    '--clickhouse-database',
    database,
    '--checkpoint-interval-ms',
    '1000',
  ];
}

/** Event ids into the test's topic, as the collector writes events, in batches until stopped. */
class EventFlow {
  readonly sent: string[] = [];
  readonly startedAt = Date.now();
  private running = true;
  private loop: Promise<void> | undefined;

  constructor(private readonly producer: Producer) {}

  start(): void {
    this.loop = (async () => {
      while (this.running) {
        await this.send(Array.from({ length: BATCH }, () => randomUUID()));
        await new Promise((resolve) => setTimeout(resolve, BATCH_EVERY_MS));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Sends events with these ids; an id counts as sent once Kafka acknowledged it. */
  async send(ids: string[], resent = false): Promise<void> {
    const now = new Date().toISOString();
    await this.producer.send({
      topic,
      messages: ids.map((id) => ({
        key: id,
        value: JSON.stringify({
          event_id: id,
          event_type: 'content.viewed',
          schema_version: 1,
          user_id: `rescale-user-${id.slice(0, 2)}`,
          event_time: now,
          received_at: now,
          properties: { content_id: id.slice(0, 8) },
          context: { country: 'NL', is_bot: false },
        }),
      })),
    });
    if (!resent) this.sent.push(...ids);
  }
}

describe('rescaling a Flink job, and its savepoint schedule', () => {
  let worker: AppProcess | undefined;
  let connection: Connection;
  let client: Client;
  let producer: Producer;
  let jarId: string | undefined;
  let savepointDir: string;

  const savepointFolders = () =>
    existsSync(join(savepointDir, 'archive'))
      ? readdirSync(join(savepointDir, 'archive'))
          .filter((name) => name.startsWith('savepoint-'))
          .sort()
      : [];

  /** This test's active archive jobs (its scope's): the platform's are never among them. */
  async function ownJobs(): Promise<{ jid: string; state: string }[]> {
    const { jobs } = await flink.json<{ jobs: JobOverview[] }>('GET', '/jobs/overview');
    const own = [];
    for (const job of jobs.filter(
      (j) => j.name === FLINK_JOBS.archive.name && !['FINISHED', 'CANCELED', 'FAILED'].includes(j.state),
    )) {
      const config = await flink.json<{ 'execution-config': { 'user-config': Record<string, string> } }>(
        'GET',
        `/jobs/${job.jid}/config`,
      );
      if (readJobTags(config['execution-config']['user-config']).scope === scope) own.push(job);
    }
    return own;
  }

  const parallelismOf = async (jobId: string) =>
    (await flink.json<{ vertices: { parallelism: number }[] }>('GET', `/jobs/${jobId}`)).vertices.map(
      (v) => v.parallelism,
    );

  async function archived(): Promise<{ rows: number; ids: string[] }> {
    const rows = await (
      await clickhouse.query({ query: 'SELECT toString(event_id) AS id FROM events', format: 'JSONEachRow' })
    ).json<{ id: string }>();
    return { rows: rows.length, ids: [...new Set(rows.map((r) => r.id))].sort() };
  }

  /** The test's worker: its own savepoint folder and job scope, on the platform's services. */
  const workerEnv = () => ({
    FLINK_REST_URL: platform.flinkRestUrl,
    KAFKA_BROKERS: platform.kafkaBrokers.join(','),
    CLICKHOUSE_URL: platform.clickhouseUrl,
    FLINK_SAVEPOINT_DIR: savepointDir,
    FLINK_JOB_SCOPE: scope,
  });

  /** Events the tests sent, each once as far as the archive must tell (resends are not counted). */
  const allSent: string[] = [];

  /** Every sent id in the archive, each exactly once, also after two more checkpoints of `jobId`. */
  async function expectArchivedExactly(jobId: string): Promise<void> {
    const expected = [...allSent].sort();
    await expect
      .poll(async () => (await archived()).ids.length, { timeout: 60_000, interval: 1_000 })
      .toBe(expected.length);
    // Two more checkpoints: a repeated insert would have landed by then.
    const completed = async () =>
      (await flink.json<{ counts: { completed: number } }>('GET', `/jobs/${jobId}/checkpoints`)).counts.completed;
    const now = await completed();
    await expect.poll(completed, { timeout: 30_000, interval: 500 }).toBeGreaterThanOrEqual(now + 2);
    const result = await archived();
    console.log(`${expected.length} events sent (some twice), ${result.rows} rows archived`);
    expect(result.ids).toEqual(expected);
    expect(result.rows).toBe(expected.length);
  }

  const savepoints = (keep: number) =>
    client.workflow.execute(savepointJobsWorkflow, {
      taskQueue,
      workflowId: `${taskQueue}-savepoints-${randomUUID().slice(0, 8)}`,
      args: [{ jobs: ['archive'], keep }],
    });

  beforeAll(async () => {
    // The cluster is shared: the job needs one slot now and two after the rescale (one freed by its stop).
    const cluster = await flink.json<{ 'slots-available': number; 'slots-total': number }>('GET', '/overview');
    expect(cluster['slots-available'], `free task slots of ${cluster['slots-total']}`).toBeGreaterThanOrEqual(2);
    expect(existsSync(JAR), `${JAR} is built by npm test (mvn package)`).toBe(true);
    savepointDir = mkdtempSync(join(tmpdir(), 'pulse-rescale-savepoints-'));

    const kafkaAdmin = kafka.admin();
    await kafkaAdmin.connect();
    await kafkaAdmin.createTopics({
      topics: [
        { topic, numPartitions: 4 },
        { topic: deadLetterTopic, numPartitions: 1 },
      ],
      waitForLeaders: true,
    });
    await kafkaAdmin.disconnect();
    producer = kafka.producer();
    await producer.connect();
    await admin.command({ query: `CREATE DATABASE ${database}` });
    await migrate(clickhouse, readMigrations(MIGRATIONS_DIR));

    connection = await Connection.connect({ address: platform.temporalAddress });
    client = new Client({ connection });
    worker = await startWorker(taskQueue, workerEnv());

    // Started as the worker starts a job (the production request), recording jar, arguments and scope.
    jarId = await flink.uploadJar(JAR);
    const starter = createFlinkDeployActivities({
      flinkRestUrl: platform.flinkRestUrl,
      flinkProjectDir: join(repoRoot, 'flink'),
      savepointDir,
      jobArguments: archiveArguments,
      scope,
    });
    // In an activity's context, as on the worker: the start heartbeats.
    const jobId: string = await new MockActivityEnvironment().run(starter.startJob, jarId, 'archive' as const, null, {
      parallelism: 1,
    });
    await vi.waitFor(
      async () => {
        const history = await flink.json<{ latest?: { completed?: unknown } }>('GET', `/jobs/${jobId}/checkpoints`);
        expect(history.latest?.completed).toBeTruthy();
      },
      { timeout: 60_000, interval: 500 },
    );
  }, 180_000);

  afterAll(async () => {
    for (const job of await ownJobs().catch(() => []))
      await flink.json('PATCH', `/jobs/${job.jid}?mode=cancel`).catch(() => undefined);
    await worker?.stop();
    await connection?.close();
    await producer?.disconnect();
    if (jarId) await flink.json('DELETE', `/jars/${jarId}`).catch(() => undefined);
    await admin.command({ query: `DROP DATABASE IF EXISTS ${database}` }).catch(() => undefined);
    await Promise.all([admin.close(), clickhouse.close()]);
    const kafkaAdmin = kafka.admin();
    await kafkaAdmin.connect();
    await kafkaAdmin.deleteTopics({ topics: [topic, deadLetterTopic] }).catch(() => undefined);
    await kafkaAdmin.disconnect();
    if (savepointDir) rmSync(savepointDir, { recursive: true, force: true });
  }, 120_000);

  it('should rescale from 1 to 2 while events flow, every event archived exactly once, keeping the last N savepoints', async () => {
    const flow = new EventFlow(producer);
    flow.start();

    // Three scheduled runs keeping 2: the oldest savepoint goes on the third.
    const runs: SavepointJobsResult[] = [];
    for (let i = 0; i < 3; i++) runs.push(await savepoints(2));
    expect(runs.map((r) => r.jobs[0].outcome)).toEqual(['taken', 'taken', 'taken']);
    expect(runs.map((r) => r.jobs[0].prune!.deleted.length)).toEqual([0, 0, 1]);
    expect(savepointFolders()).toEqual(
      runs
        .slice(1)
        .map((r) => r.jobs[0].savepoint!.split('/').pop()!)
        .sort(),
    );
    const [before] = await ownJobs();
    expect(await parallelismOf(before.jid)).toEqual([1, 1, 1]);

    const rescaled = await client.workflow.execute(rescaleFlinkJobWorkflow, {
      taskQueue,
      workflowId: `${taskQueue}-rescale`,
      args: [{ job: 'archive', parallelism: 2 }],
    });
    const rate = Math.round(flow.sent.length / ((Date.now() - flow.startedAt) / 1000));
    console.log(
      `rescale 1 → 2 with ~${rate} events/s flowing: processing paused ${rescaled.pausedMs} ms, ` +
        `first checkpoint after ${rescaled.verifiedMs} ms (job ${rescaled.jobId})`,
    );
    expect(rescaled).toMatchObject({ from: 1, to: 2, parallelism: 2, rolledBack: false, previousJobId: before.jid });
    expect((await ownJobs()).map((j) => j.jid)).toEqual([rescaled.jobId]);
    expect(await parallelismOf(rescaled.jobId)).toEqual([2, 2, 2]);

    // Events keep coming at the new parallelism; then ids sent before the rescale are sent again,
    // which the restored (and redistributed) dedup state must drop.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await flow.stop();
    await flow.send(flow.sent.slice(0, 200), true);

    // The rescale's savepoint is in use (the new job restored from it): kept even with keep 1.
    const after = await savepoints(1);
    expect(after.jobs[0].prune).toMatchObject({ inUse: [rescaled.savepoint] });
    expect(after.jobs[0].prune!.kept).toEqual([after.jobs[0].savepoint]);
    expect(savepointFolders()).toHaveLength(2);

    allSent.push(...flow.sent);
    await expectArchivedExactly(rescaled.jobId);
  }, 180_000);

  it('should finish a rescale back to 1 on the next worker when its worker is killed as it starts the job', async () => {
    const flow = new EventFlow(producer);
    flow.start();
    const [before] = await ownJobs();
    const handle = await client.workflow.start(rescaleFlinkJobWorkflow, {
      taskQueue,
      workflowId: `${taskQueue}-rescale-back`,
      args: [{ job: 'archive', parallelism: 1 }],
    });
    // Killed once the job is stopped and its successor is being submitted (Flink runs the program's main meanwhile).
    await vi.waitFor(
      async () => expect(['start', 'verify']).toContain((await handle.query(rescaleProgressQuery)).stage),
      {
        timeout: 60_000,
        interval: 20,
      },
    );
    const stage = (await handle.query(rescaleProgressQuery)).stage;
    await worker!.stop('SIGKILL');
    worker = await startWorker(taskQueue, workerEnv());
    const result = await handle.result();
    // By Flink's clocks: when the old job ended and the new one ran (submitted by whichever attempt got through).
    const ended = (await flink.json<{ 'end-time': number }>('GET', `/jobs/${before.jid}`))['end-time'];
    const running = (await flink.json<{ timestamps: { RUNNING: number } }>('GET', `/jobs/${result.jobId}`)).timestamps
      .RUNNING;
    console.log(
      `rescale 2 → 1, worker killed at stage ${stage}: the new job ran ${running - ended} ms after the old one ` +
        `stopped (Flink's clock); the workflow saw it running after ${result.pausedMs} ms (the start is retried ` +
        `once its heartbeats stop for 3 s), first checkpoint after ${result.verifiedMs} ms`,
    );

    expect(result).toMatchObject({ from: 2, to: 1, parallelism: 1, rolledBack: false, previousJobId: before.jid });
    expect((await ownJobs()).map((j) => j.jid)).toEqual([result.jobId]);
    expect(await parallelismOf(result.jobId)).toEqual([1, 1, 1]);
    await flow.stop();
    // Ids from before both rescales, and from before this one: the twice-redistributed dedup state drops them.
    await flow.send([...allSent.slice(0, 100), ...flow.sent.slice(0, 100)], true);
    allSent.push(...flow.sent);
    await expectArchivedExactly(result.jobId);
  }, 150_000);
});
