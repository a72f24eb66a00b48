import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FlinkRest } from '@social-pulse/activities';
import { repoRoot } from '@social-pulse/pulse/testing';
import { platform } from '@social-pulse/testing';
import { describe, expect, it } from 'vitest';

const JOBS_JAR = join(repoRoot, 'flink', 'target', 'social-pulse-jobs.jar');
// The worker's own client: it throws with Flink's first error lines on any answer but 2xx.
const flink = new FlinkRest(platform.flinkRestUrl);

describe('Flink session cluster', () => {
  it('should report a running TaskManager with free slots', async () => {
    const overview = await flink.json<{ taskmanagers: number; 'slots-total': number; 'flink-version': string }>(
      'GET',
      '/overview',
    );
    expect(overview.taskmanagers).toBeGreaterThanOrEqual(1);
    expect(overview['slots-total']).toBeGreaterThanOrEqual(1);
    expect(overview['flink-version']).toBe('2.2.0');
  });

  it('should run a job uploaded through the REST API to completion', async () => {
    expect(existsSync(JOBS_JAR), `${JOBS_JAR} is built by npm test (mvn package)`).toBe(true);
    const jarId = await flink.uploadJar(JOBS_JAR);
    try {
      const { jobid } = await flink.json<{ jobid: string }>('POST', `/jars/${jarId}/run`, {
        entryClass: 'dev.socialpulse.flink.smoke.SmokeJob',
        programArgsList: ['--count', '100'],
      });
      await expect
        .poll(async () => (await flink.json<{ state: string }>('GET', `/jobs/${jobid}`)).state, {
          timeout: 60_000,
          interval: 500,
        })
        .toBe('FINISHED');
    } finally {
      await flink.json('DELETE', `/jars/${jarId}`);
    }
  });
});
