import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metricsRegistry } from '@social-pulse/observability';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CanaryRunner } from './canary-runner';
import { httpCanaryCollector, trendingCanary } from './http-canary-ports';

const WRITE_KEY = 'canary-write-key';
const ADMIN_KEY = 'admin-key-0123';

/** The metric's value for feature=trending (histogram: its count). */
async function metric(name: string): Promise<number> {
  const { values } = await metricsRegistry.getSingleMetric(name)!.get();
  const value = values.find(
    (v) => v.labels.feature === 'trending' && (!('metricName' in v) || v.metricName === `${name}_count`),
  );
  return value?.value ?? 0;
}

const body = async (request: IncomingMessage) => {
  let text = '';
  for await (const chunk of request) text += chunk;
  return JSON.parse(text) as { events: { properties: { hashtags: string[] } }[] };
};

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * The runner against fakes at its two outgoing ports: a collector that takes the canary's batches
 * (and checks its key), and an API whose canary route lists the topics the test lets through.
 */
describe(CanaryRunner.name, () => {
  let collector: Server;
  let api: Server;
  let runner: CanaryRunner;
  const sent: string[] = [];
  /** Whether the API shows what the collector took: the pipeline between them flows. */
  let flowing = false;
  let collectorUp = true;

  beforeEach(async () => {
    metricsRegistry.resetMetrics();
    sent.length = 0;
    flowing = false;
    collectorUp = true;
    collector = createServer((request, response) => {
      const ok = collectorUp && request.headers['x-write-key'] === WRITE_KEY;
      void body(request).then(({ events }) => {
        if (ok) sent.push(...events.map((e) => e.properties.hashtags[0]));
        response.writeHead(ok ? 202 : 503, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ accepted: ok ? 1 : 0, rejected: [] }));
      });
    });
    api = createServer((request, response) => {
      const ok = request.headers['x-api-key'] === ADMIN_KEY && request.url === '/v1/canary/trending?window=1m';
      response.writeHead(ok ? 200 : 403, { 'content-type': 'application/json' });
      const topics = (flowing ? sent : []).map((tag) => ({ topic: `CANARY:${tag}` }));
      response.end(JSON.stringify({ data: { topics } }));
    });
    const [collectorUrl, apiUrl] = await Promise.all([listen(collector), listen(api)]);
    runner = new CanaryRunner({
      features: [trendingCanary(apiUrl, ADMIN_KEY)],
      collector: httpCanaryCollector(collectorUrl, WRITE_KEY),
      intervalMs: 100,
      pollMs: 20,
      timeoutMs: 1_000,
    });
  });

  afterEach(async () => {
    await runner.stop();
    collector.close();
    api.close();
  });

  it('should time each canary until the API lists it, and report none pending then', async () => {
    runner.start();
    await expect.poll(() => sent.length).toBeGreaterThanOrEqual(2);
    expect(new Set(sent).size).toBe(sent.length);
    expect(await metric('pulse_canary_e2e_latency_seconds')).toBe(0);
    expect(await metric('pulse_canary_oldest_unseen_seconds')).toBeGreaterThan(0);

    flowing = true;

    await expect.poll(() => metric('pulse_canary_e2e_latency_seconds')).toBeGreaterThanOrEqual(3);
    // Each new canary is seen at the next read, a poll (20 ms) later.
    await expect.poll(() => metric('pulse_canary_oldest_unseen_seconds')).toBeLessThan(0.1);
    expect(await metric('pulse_canary_timeouts_total')).toBe(0);
  });

  it('should age the oldest unseen canary while nothing arrives, and count the ones given up', async () => {
    runner.start();
    await expect.poll(() => metric('pulse_canary_oldest_unseen_seconds')).toBeGreaterThan(0.5);
    await expect.poll(() => metric('pulse_canary_timeouts_total'), { timeout: 5_000 }).toBeGreaterThan(0);
    expect(await metric('pulse_canary_oldest_unseen_seconds')).toBeLessThanOrEqual(1.1);
    expect(await metric('pulse_canary_e2e_latency_seconds')).toBe(0);
  });

  it('should keep a canary the collector refused pending, so that an outage there ages it too', async () => {
    collectorUp = false;
    runner.start();
    await expect.poll(() => metric('pulse_canary_send_failures_total')).toBeGreaterThan(0);
    await expect.poll(() => metric('pulse_canary_oldest_unseen_seconds')).toBeGreaterThan(0.3);
  });
});
