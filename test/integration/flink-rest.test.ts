import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../tools/pulse/src/paths';
import { platform } from './platform';

const JOBS_JAR = join(repoRoot, 'flink', 'target', 'social-pulse-jobs.jar');

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(`${platform.flinkRestUrl}${path}`);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

describe('Flink session cluster', () => {
  it('should report a running TaskManager with free slots', async () => {
    const overview = await getJson<{ taskmanagers: number; 'slots-total': number; 'flink-version': string }>(
      '/overview',
    );
    expect(overview.taskmanagers).toBeGreaterThanOrEqual(1);
    expect(overview['slots-total']).toBeGreaterThanOrEqual(1);
    expect(overview['flink-version']).toBe('2.2.0');
  });

  it('should run a job uploaded through the REST API to completion', async () => {
    expect(existsSync(JOBS_JAR), `${JOBS_JAR} is built by npm test (mvn package)`).toBe(true);
    const form = new FormData();
    form.append(
      'jarfile',
      new Blob([readFileSync(JOBS_JAR)], { type: 'application/x-java-archive' }),
      'social-pulse-jobs.jar',
    );
    const upload = await fetch(`${platform.flinkRestUrl}/jars/upload`, { method: 'POST', body: form });
    expect(upload.status).toBe(200);
    const jarId = ((await upload.json()) as { filename: string }).filename.split('/').pop()!;
    try {
      const submit = await fetch(`${platform.flinkRestUrl}/jars/${jarId}/run`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          entryClass: 'dev.socialpulse.flink.smoke.SmokeJob',
          programArgsList: ['--count', '100'],
        }),
      });
      expect(submit.status, await submit.clone().text()).toBe(200);
      const { jobid } = (await submit.json()) as { jobid: string };
      await expect
        .poll(async () => (await getJson<{ state: string }>(`/jobs/${jobid}`)).state, {
          timeout: 60_000,
          interval: 500,
        })
        .toBe('FINISHED');
    } finally {
      await fetch(`${platform.flinkRestUrl}/jars/${jarId}`, { method: 'DELETE' });
    }
  });
});
