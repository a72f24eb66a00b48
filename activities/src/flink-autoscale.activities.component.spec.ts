import { FLINK_JOBS } from '@social-pulse/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFlinkAutoscaleActivities } from './flink-autoscale.activities';
import { runActivity as run } from './testing/activity-environment';
import { FakeFlinkRestServer } from './testing/fake-flink-rest-server';

const JOB = 'trending';
const JOB_NAME = FLINK_JOBS.trending.name;

describe('Flink autoscale activities', () => {
  let flink: FakeFlinkRestServer;

  beforeEach(async () => {
    flink = await FakeFlinkRestServer.start();
  });
  afterEach(async () => {
    await flink.close();
  });

  const activities = () => createFlinkAutoscaleActivities({ flinkRestUrl: flink.url });

  describe('sampleJobLoad', () => {
    it("should read the busiest vertex's busy time, the sources' rate and their pending records", async () => {
      flink.cluster.slotsTotal = 6;
      const job = flink.addJob({ name: JOB_NAME, parallelism: 2, startTime: 1_000 });
      flink.setVertexMetrics(job.jid, 'Source: events', {
        busyTimeMsPerSecond: [100, 300],
        'Source__events.numRecordsInPerSecond': [400, 600],
        'Source__events.pendingRecords': [50, 70],
        'Source__events.numRecordsOutPerSecond': 500,
      });
      flink.setVertexMetrics(job.jid, 'process', { busyTimeMsPerSecond: [500, 900], numRecordsInPerSecond: 1_000 });

      const sample = await run(activities().sampleJobLoad, JOB);

      expect(sample).toMatchObject({
        job: JOB,
        jobId: job.jid,
        startTime: 1_000,
        parallelism: 2,
        maxParallelism: 128,
        slotsAvailable: 4,
        busyTimeMsPerSecond: 700,
        busiestVertex: 'process -> sink: Writer -> sink: Committer',
        recordsInPerSecond: 1_000,
        pendingRecords: 120,
      });
      // Only metrics the vertex lists are asked for: Flink answers [] when one is unknown.
      const asked = flink.requestsTo('GET', /\/subtasks\/metrics$/).filter((r) => r.query.get);
      expect(asked.map((r) => r.query.get)).toEqual([
        'busyTimeMsPerSecond,Source__events.numRecordsInPerSecond,Source__events.pendingRecords',
        'busyTimeMsPerSecond',
      ]);
    });

    it('should report unknown figures as null: a source without pendingRecords, a job without busy time yet', async () => {
      const job = flink.addJob({ name: JOB_NAME });
      flink.setVertexMetrics(job.jid, 'Source: events', { 'Source__events.numRecordsInPerSecond': 10 });

      const sample = await run(activities().sampleJobLoad, JOB);

      expect(sample).toMatchObject({
        busyTimeMsPerSecond: null,
        busiestVertex: null,
        recordsInPerSecond: 10,
        pendingRecords: null,
      });
    });

    it('should return null when the job does not run', async () => {
      flink.addJob({ name: JOB_NAME, state: 'RESTARTING' });

      expect(await run(activities().sampleJobLoad, JOB)).toBeNull();
    });
  });
});
