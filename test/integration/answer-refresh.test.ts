import { Client, Connection } from '@temporalio/client';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LIVE_REFRESHER_WORKFLOW_ID, PLATFORM_SCHEDULES } from '@social-pulse/activities/platform-schedules';
import { ANSWER_UPDATES_CHANNEL, PRECOMPUTED_ANSWERS, PRECOMPUTED_ANSWER_NAMES } from '@social-pulse/shared';
import { platform, startWorker as startTestWorker, type AppProcess } from '@social-pulse/testing';
import { liveAnswersRefresherWorkflow } from '@social-pulse/workflows';

// The pre-computed answers on the running platform: the Schedules and the live refresher that
// `pulse up` created, refreshing through the real worker, ClickHouse and Redis. The API has no
// timer of its own (its component tests show it never queries ClickHouse unasked).

/** The requests a dashboard sends for each pre-computed answer, with their default ranges. */
const DASHBOARD_REQUESTS: Record<string, string[]> = {
  'trending-1m': ['/v1/trending?window=1m'],
  'trending-5m': ['/v1/trending?window=5m'],
  'trending-15m': ['/v1/trending?window=15m'],
  'engagement-live': ['/v1/engagement/live'],
  'engagement-last-hour': ['/v1/engagement/summary'],
  'engagement-last-day': [
    '/v1/engagement/summary?interval=hour',
    '/v1/engagement/summary?interval=hour&group_by=device',
    '/v1/engagement/summary?interval=hour&group_by=country',
  ],
  'ads-last-hour': ['/v1/ads/performance'],
  'ads-last-day': ['/v1/ads/performance?interval=hour', '/v1/ads/performance?interval=hour&group_by=device'],
  'ads-campaigns': ['/v1/ads/campaigns'],
};

/** The longest cadence, and some room for a Schedule's first run and the worker's pace. */
const LISTEN_MS = Math.max(...PRECOMPUTED_ANSWER_NAMES.map((name) => PRECOMPUTED_ANSWERS[name].refreshEveryMs)) + 5_000;

describe('pre-computed answers', () => {
  let connection: Connection;
  let client: Client;
  let subscriber: Redis;
  const updates = new Map<string, number[]>();

  beforeAll(async () => {
    connection = await Connection.connect({ address: platform.temporalAddress });
    client = new Client({ connection });
    subscriber = new Redis(platform.redisUrl);
    subscriber.on('message', (_channel, message: string) => {
      const { answer } = JSON.parse(message) as { answer: string };
      updates.set(answer, [...(updates.get(answer) ?? []), Date.now()]);
    });
    await subscriber.subscribe(ANSWER_UPDATES_CHANNEL);
  });
  afterAll(async () => {
    subscriber?.disconnect();
    await connection?.close();
  });

  it('should run every platform Schedule and the live refresher', async () => {
    for (const schedule of PLATFORM_SCHEDULES) {
      const description = await client.schedule.getHandle(schedule.id).describe();
      expect(description.state.paused, schedule.id).toBe(false);
    }
    const refresher = await client.workflow.getHandle(LIVE_REFRESHER_WORKFLOW_ID).describe();
    expect(refresher.status.name).toBe('RUNNING');
  });

  it('should refresh every answer at its cadence and announce each refresh', async () => {
    await new Promise((resolve) => setTimeout(resolve, LISTEN_MS));

    for (const name of PRECOMPUTED_ANSWER_NAMES) {
      const times = updates.get(name) ?? [];
      const { refreshEveryMs } = PRECOMPUTED_ANSWERS[name];
      expect(times.length, `${name}: announcements in ${LISTEN_MS} ms`).toBeGreaterThanOrEqual(
        Math.floor(LISTEN_MS / refreshEveryMs / 2),
      );
      const gaps = times.slice(1).map((time, i) => time - times[i]);
      // A Schedule's runs and the refresher's rounds keep their cadence; a round may take a second.
      expect(Math.max(0, ...gaps), `${name}: longest gap between refreshes`).toBeLessThanOrEqual(
        refreshEveryMs + 1_500,
      );
    }
  }, 60_000);

  it("should answer the dashboard's requests from Redis, with engagement and ads fresh", async () => {
    expect(Object.keys(DASHBOARD_REQUESTS).sort()).toEqual([...PRECOMPUTED_ANSWER_NAMES].sort());
    for (const [name, paths] of Object.entries(DASHBOARD_REQUESTS)) {
      for (const path of paths) {
        const response = await fetch(`${platform.apiUrl}${path}`, { headers: { 'x-api-key': 'pulse-dev-api-key' } });
        const body = (await response.json()) as { source: string; stale: boolean };
        expect(response.status, path).toBe(200);
        expect(body.source, `${name}: ${path}`).toBe('redis');
        // A trending list is as old as the job's last window (no traffic, old); the others are read times.
        if (!name.startsWith('trending-')) expect(body.stale, `${name}: ${path}`).toBe(false);
      }
    }
  });

  describe('a refresher whose worker is killed', () => {
    // Workers of this test's own, on a task queue of its own: the platform's worker is never touched.
    const taskQueue = `refresh-kill-${Date.now()}`;
    const workers: AppProcess[] = [];
    const startWorker = async () => {
      const worker = await startTestWorker(taskQueue);
      workers.push(worker);
      return worker;
    };
    /** The worker's count of trending-1m refreshes, from its /metrics. */
    const refreshes = async (worker: AppProcess) => {
      const text = await (await fetch(`${worker.url}/metrics`)).text();
      const line = text
        .split('\n')
        .find((l) => l.startsWith('pulse_answer_refreshes_total{answer="trending-1m",outcome="ok"'));
      return line ? Number(line.split(' ').at(-1)) : 0;
    };

    afterAll(async () => {
      await client?.workflow
        .getHandle(taskQueue)
        .terminate('test over')
        .catch(() => undefined);
      await Promise.all(workers.map((worker) => worker.stop()));
    });

    it('should go on refreshing on the next worker within its heartbeat timeout (kill -9)', async () => {
      const first = await startWorker();
      await client.workflow.start(liveAnswersRefresherWorkflow, {
        taskQueue,
        workflowId: taskQueue,
        args: [{ answers: ['trending-1m'], runForMs: 60_000 }],
      });
      await vi.waitFor(async () => expect(await refreshes(first)).toBeGreaterThanOrEqual(3), {
        timeout: 30_000,
        interval: 200,
      });

      await first.stop('SIGKILL');
      const second = await startWorker();
      const ready = Date.now();
      await vi.waitFor(async () => expect(await refreshes(second)).toBeGreaterThanOrEqual(1), {
        timeout: 15_000,
        interval: 100,
      });

      // The killed attempt times out 5 s after its last heartbeat (the workflow's heartbeatTimeout)
      // and is retried at once on the live worker: at most that long after the new worker polls.
      expect(Date.now() - ready).toBeLessThanOrEqual(5_000 + 2_000);
      const { status } = await client.workflow.getHandle(taskQueue).describe();
      expect(status.name).toBe('RUNNING');
    }, 120_000);
  });
});
