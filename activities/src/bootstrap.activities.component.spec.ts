import { FLINK_JOBS, TOPIC_PARTITIONS, TOPICS, type FlinkJobKey } from '@social-pulse/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBootstrapActivities, type BootstrapPorts, type DeployRecord } from './bootstrap.activities';
import { jobTagsConfiguration } from './flink-jobs';
import { inActivity, runActivity as run } from './testing/activity-environment';
import { FakeFlinkRestServer, userConfigOf } from './testing/fake-flink-rest-server';
import { FakeTopicAdmin } from './testing/fake-topic-admin';

const SHA = 'b'.repeat(64);
const WEEK_MS = String(7 * 24 * 60 * 60 * 1000);

/** The `user-config` the worker records on a job it starts for the platform. */
const tagged = (job: FlinkJobKey) =>
  userConfigOf(jobTagsConfiguration({ job, jar: 'jar-1_social-pulse-jobs.jar', args: [], scope: 'platform' }));

describe('bootstrap activities', () => {
  let flink: FakeFlinkRestServer;
  let kafka: FakeTopicAdmin;
  let deploys: Map<FlinkJobKey, DeployRecord>;
  let closed: number;

  beforeEach(async () => {
    flink = await FakeFlinkRestServer.start();
    kafka = new FakeTopicAdmin(1);
    deploys = new Map();
    closed = 0;
  });
  afterEach(() => flink.close());

  const activities = (ports: Partial<BootstrapPorts> = {}) =>
    createBootstrapActivities({
      kafkaAdmin: async () => ({ admin: kafka, close: async () => void (closed += 1) }),
      kafkaBrokerCount: kafka.brokers,
      clickhouse: { url: 'http://127.0.0.1:1', cluster: '' },
      flinkRestUrl: flink.url,
      lastDeploy: async (job) => deploys.get(job) ?? null,
      ensureSchedules: async () => ({ created: [], updated: [], removed: [], liveRefresher: 'running' }),
      ...ports,
    });

  describe('reconcileKafkaTopics', () => {
    it('should create every topic on an empty cluster with its partitions, retention, lz4 and min ISR', async () => {
      const report = await run(activities().reconcileKafkaTopics);

      expect(report).toEqual({
        topics: Object.keys(TOPIC_PARTITIONS),
        replicationFactor: 1,
        created: Object.keys(TOPIC_PARTITIONS),
        reconfigured: [],
        grown: [],
        underReplicated: [],
      });
      const events = kafka.topics.get(TOPICS.userEvents)!;
      expect(events.partitions).toBe(32);
      expect(Object.fromEntries(events.configs)).toEqual({
        'compression.type': 'lz4',
        'retention.ms': WEEK_MS,
        'min.insync.replicas': '1',
      });
      expect(closed).toBe(1);
    });

    it('should change nothing on a second run', async () => {
      await run(activities().reconcileKafkaTopics);
      kafka.calls.length = 0;

      const report = await run(activities().reconcileKafkaTopics);

      expect(report).toMatchObject({ created: [], reconfigured: [], grown: [], underReplicated: [] });
      expect(kafka.calls).not.toContain('createTopics');
      expect(kafka.calls).not.toContain('alterConfigs');
      expect(kafka.calls).not.toContain('createPartitions');
    });

    it('should set back a changed retention, add missing partitions and report a short replication', async () => {
      await run(activities().reconcileKafkaTopics);
      kafka.topics.get(TOPICS.adEvents)!.configs.set('retention.ms', '60000');
      kafka.topics.get(TOPICS.contentEvents)!.partitions = 8;
      kafka.brokers = 3;

      const report = await run(activities({ kafkaBrokerCount: 3 }).reconcileKafkaTopics);

      expect(report.replicationFactor).toBe(3);
      expect(report.reconfigured).toEqual(Object.keys(TOPIC_PARTITIONS));
      expect(report.grown).toEqual([{ topic: TOPICS.contentEvents, from: 8, to: 32 }]);
      expect(report.underReplicated).toHaveLength(Object.keys(TOPIC_PARTITIONS).length);
      expect(kafka.topics.get(TOPICS.adEvents)!.configs.get('retention.ms')).toBe(WEEK_MS);
      expect(kafka.topics.get(TOPICS.adEvents)!.configs.get('min.insync.replicas')).toBe('2');
      expect(kafka.topics.get(TOPICS.contentEvents)!.partitions).toBe(32);
    });

    it('should heartbeat while it waits for the brokers, and fail naming them when too few join', async () => {
      const { result, heartbeats } = inActivity(
        activities({ kafkaBrokerCount: 3, kafkaBrokerWaitMs: 1_500 }).reconcileKafkaTopics,
      );

      await expect(result).rejects.toThrow('only some of the 3 Kafka brokers joined the cluster');
      expect(heartbeats.length).toBeGreaterThan(0);
      expect(kafka.calls).not.toContain('createTopics');
      expect(closed).toBe(1);
    });
  });

  describe('checkJobDeployed', () => {
    const running = (job: FlinkJobKey) => flink.addJob({ name: FLINK_JOBS[job].name, userConfig: tagged(job) });

    it('should leave alone a job that runs what the last deploy of this jar started', async () => {
      const job = running('trending');
      deploys.set('trending', { status: 'COMPLETED', jarSha256: SHA, result: { jobId: job.jid, rolledBack: false } });

      expect(await run(activities().checkJobDeployed, 'trending', SHA)).toEqual({
        deploy: false,
        reason: `job ${job.jid} runs jar ${SHA.slice(0, 12)}`,
        jobId: job.jid,
      });
    });

    it('should deploy a job that does not run, runs another jar, was rolled back or was started otherwise', async () => {
      const check = (job: FlinkJobKey) => run(activities().checkJobDeployed, job, SHA);
      expect(await check('archive')).toMatchObject({ deploy: true, reason: 'not running', jobId: null });

      const trending = running('trending');
      deploys.set('trending', {
        status: 'COMPLETED',
        jarSha256: 'c'.repeat(64),
        result: { jobId: trending.jid, rolledBack: false },
      });
      expect(await check('trending')).toMatchObject({
        deploy: true,
        reason: `job ${trending.jid} runs another version`,
      });

      const sessions = running('sessions');
      deploys.set('sessions', {
        status: 'COMPLETED',
        jarSha256: SHA,
        result: { jobId: sessions.jid, rolledBack: true },
      });
      expect(await check('sessions')).toMatchObject({ deploy: true, reason: 'its last deploy rolled back' });

      const ads = running('ads');
      deploys.set('ads', { status: 'COMPLETED', jarSha256: SHA, result: { jobId: 'another-job', rolledBack: false } });
      expect(await check('ads')).toMatchObject({ deploy: true, reason: `job ${ads.jid} was started otherwise` });
    });

    it("should not count another scope's job (a test's) as the platform's", async () => {
      flink.addJob({
        name: FLINK_JOBS.trending.name,
        userConfig: userConfigOf(jobTagsConfiguration({ job: 'trending', jar: 'j', args: [], scope: 'test-1' })),
      });

      expect(await run(activities().checkJobDeployed, 'trending', SHA)).toMatchObject({ deploy: true, jobId: null });
    });
  });
});
