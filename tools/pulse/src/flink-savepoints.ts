import { join } from 'node:path';
import { FLINK_JOBS, type FlinkJobKey } from '@social-pulse/shared';
import { say } from './console';
import { sleep } from './processes';

interface JobOverview {
  jid: string;
  name: string;
  state: string;
}

/**
 * Stops every running platform job with a savepoint in its job folder, where the next deploy
 * (on the next `pulse up`) resumes from it: window state and Kafka offsets survive a restart.
 */
export async function savepointRunningJobs(
  flinkRestUrl: string,
  savepointDir: string,
  timeoutMs = 60_000,
): Promise<void> {
  const byName = new Map<string, FlinkJobKey>(
    Object.entries(FLINK_JOBS).map(([key, job]) => [job.name, key as FlinkJobKey]),
  );
  let jobs: JobOverview[];
  try {
    const res = await fetch(`${flinkRestUrl}/jobs/overview`, { signal: AbortSignal.timeout(5000) });
    jobs = ((await res.json()) as { jobs: JobOverview[] }).jobs.filter(
      (j) => j.state === 'RUNNING' && byName.has(j.name),
    );
  } catch {
    return; // no JobManager to ask: nothing to save
  }
  await Promise.all(
    jobs.map(async (job) => {
      const key = byName.get(job.name)!;
      say.step(`taking a savepoint of ${job.name} before stopping`);
      try {
        const stop = await fetch(`${flinkRestUrl}/jobs/${job.jid}/stop`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ drain: false, targetDirectory: join(savepointDir, key) }),
        });
        const { 'request-id': trigger } = (await stop.json()) as { 'request-id': string };
        const deadline = Date.now() + timeoutMs;
        while (Date.now() < deadline) {
          const status = (await (await fetch(`${flinkRestUrl}/jobs/${job.jid}/savepoints/${trigger}`)).json()) as {
            status: { id: string };
            operation?: { location?: string; 'failure-cause'?: unknown };
          };
          if (status.status.id === 'COMPLETED') {
            if (status.operation?.location) say.ok(`savepoint of ${job.name}: ${status.operation.location}`);
            else say.warn(`savepoint of ${job.name} failed; it will restart from its committed Kafka offsets`);
            return;
          }
          await sleep(300);
        }
        say.warn(`savepoint of ${job.name} took over ${timeoutMs / 1000} s; stopping without it`);
      } catch (error) {
        say.warn(`could not take a savepoint of ${job.name}: ${(error as Error).message}`);
      }
    }),
  );
}
