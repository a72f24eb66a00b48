import { Client, Connection } from '@temporalio/client';
import { ConfigResourceTypes, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_REFRESHER_WORKFLOW_ID, PLATFORM_SCHEDULES } from '@social-pulse/activities/platform-schedules';
import { topicConfigs } from '@social-pulse/activities/kafka-topics';
import { createClickHouse, MIGRATIONS_DIR, readMigrations } from '@social-pulse/clickhouse';
import { createKafka } from '@social-pulse/kafka';
import { BOOTSTRAP_WORKFLOW_ID, FLINK_JOBS, TOPICS } from '@social-pulse/shared';
import { platform, runPulse } from '@social-pulse/testing';
import type { BootstrapResult } from '@social-pulse/workflows';

// The bootstrap workflow on the running platform. `pulse up` ran it to start the platform (so every
// test run starts with a bootstrap on an empty platform when .pulse/ was new); here the platform is
// checked against what it needs, tampered with, and `pulse bootstrap` brings it back.

const kafka = createKafka('tests-bootstrap', platform.kafkaBrokers, { logLevel: logLevel.NOTHING });
const admin = kafka.admin();
const clickhouse = createClickHouse({ url: platform.clickhouseUrl }, 'tests-bootstrap');
const WANTED_TOPICS = topicConfigs(platform.settings.KAFKA_BROKER_COUNT);
const TAMPERED_TOPIC = TOPICS.deadLetter;
// Tampered upwards, so that nothing of the shared platform's dead letters is deleted meanwhile.
const TAMPERED_RETENTION_MS = String(30 * 24 * 60 * 60 * 1000);
const TAMPERED_SCHEDULE = PLATFORM_SCHEDULES.find((s) => s.id.endsWith('ttl-maintenance'))!.id;

describe('bootstrap of the running platform', () => {
  let connection: Connection;
  let client: Client;

  beforeAll(async () => {
    await admin.connect();
    connection = await Connection.connect({ address: platform.temporalAddress });
    client = new Client({ connection });
  });
  afterAll(async () => {
    await admin.disconnect();
    await clickhouse.close();
    await connection?.close();
  });

  /** Each topic's wanted configs as Kafka has them. */
  async function topicSettings(): Promise<Record<string, Record<string, string>>> {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: WANTED_TOPICS.map((t) => ({
        type: ConfigResourceTypes.TOPIC,
        name: t.topic,
        configNames: t.configEntries!.map((e) => e.name),
      })),
    });
    return Object.fromEntries(
      resources.map((r) => [
        r.resourceName,
        Object.fromEntries(r.configEntries.map((e) => [e.configName, e.configValue])),
      ]),
    );
  }

  /** What the platform needs: topics, migrations, running jobs, Schedules and the live refresher. */
  async function expectPlatformComplete(): Promise<void> {
    const wanted = Object.fromEntries(
      WANTED_TOPICS.map((t) => [t.topic, Object.fromEntries(t.configEntries!.map((e) => [e.name, e.value]))]),
    );
    expect(await topicSettings()).toEqual(wanted);
    const metadata = await admin.fetchTopicMetadata({ topics: WANTED_TOPICS.map((t) => t.topic) });
    for (const t of WANTED_TOPICS) {
      const partitions = metadata.topics.find((m) => m.name === t.topic)!.partitions;
      expect(partitions.length, t.topic).toBe(t.numPartitions);
      expect(Math.min(...partitions.map((p) => p.replicas.length)), t.topic).toBe(t.replicationFactor);
    }

    const applied = await (
      await clickhouse.query({ query: 'SELECT version FROM schema_migrations ORDER BY version', format: 'JSONEachRow' })
    ).json<{ version: number }>();
    expect(applied.map((row) => Number(row.version))).toEqual(readMigrations(MIGRATIONS_DIR).map((m) => m.version));

    const { jobs } = (await (await fetch(`${platform.flinkRestUrl}/jobs/overview`)).json()) as {
      jobs: { name: string; state: string }[];
    };
    for (const { name } of Object.values(FLINK_JOBS)) {
      expect(jobs.filter((j) => j.name === name && j.state === 'RUNNING').length, name).toBeGreaterThanOrEqual(1);
    }

    for (const schedule of PLATFORM_SCHEDULES) {
      const description = await client.schedule.getHandle(schedule.id).describe();
      expect(description.state.paused, schedule.id).toBe(false);
    }
    const refresher = await client.workflow.getHandle(LIVE_REFRESHER_WORKFLOW_ID).describe();
    expect(refresher.status.name).toBe('RUNNING');
  }

  it('should have brought the platform to what it needs when `pulse up` started it', async () => {
    const started = await client.workflow.getHandle(BOOTSTRAP_WORKFLOW_ID).describe();
    expect(started.status.name).toBe('COMPLETED');

    await expectPlatformComplete();
  });

  it('should restore a deleted Schedule and a changed retention on the next bootstrap, and leave the rest', async () => {
    await client.schedule.getHandle(TAMPERED_SCHEDULE).delete();
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: TAMPERED_TOPIC,
          configEntries: [
            ...WANTED_TOPICS.find((t) => t.topic === TAMPERED_TOPIC)!.configEntries!.filter(
              (e) => e.name !== 'retention.ms',
            ),
            { name: 'retention.ms', value: TAMPERED_RETENTION_MS },
          ],
        },
      ],
    });
    expect((await topicSettings())[TAMPERED_TOPIC]['retention.ms']).toBe(TAMPERED_RETENTION_MS);

    const run = runPulse(['bootstrap'], { timeoutMs: 120_000 });

    expect(run.code, run.out).toBe(0);
    expect(run.out).toMatch(/Kafka topics ready: .*configs set on events-dlq/);
    expect(run.out).toMatch(/Temporal Schedules ready \(1 created/);
    const result = (await client.workflow.getHandle(BOOTSTRAP_WORKFLOW_ID).result()) as BootstrapResult;
    expect(result.topics).toMatchObject({ created: [], grown: [], reconfigured: [TAMPERED_TOPIC] });
    expect(result.migrations.applied).toEqual([]);
    expect(result.schedules).toMatchObject({ created: [TAMPERED_SCHEDULE], removed: [], liveRefresher: 'running' });
    // Jobs that still run what the last bootstrap deployed are left alone (another test may have redeployed one).
    for (const job of result.jobs) expect(['already deployed', 'deployed'], job.job).toContain(job.outcome);
    await expectPlatformComplete();
  });
});
