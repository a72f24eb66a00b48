import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateEvent } from '@social-pulse/events';
import { metricsRegistry } from '@social-pulse/observability';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CanaryRunner, type CanaryFeature } from './canary-runner';
import { adsCanary, CANARY_CAMPAIGN_ID, httpCanaryCollector, sessionsCanary } from './http-canary-ports';

const WRITE_KEY = 'canary-write-key';
const ADMIN_KEY = 'admin-key-0123';

type Event = { user_id: string; event_type: string; properties?: { campaign_id: string; ad_id: string } };

/** The latency histogram's count for a feature. */
async function latencyCount(feature: string): Promise<number> {
  const { values } = await metricsRegistry.getSingleMetric('pulse_canary_e2e_latency_seconds')!.get();
  const count = values.find(
    (v) =>
      v.labels.feature === feature && 'metricName' in v && v.metricName === 'pulse_canary_e2e_latency_seconds_count',
  );
  return count?.value ?? 0;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const body = async (request: IncomingMessage) => {
  let text = '';
  for await (const chunk of request) text += chunk;
  return JSON.parse(text) as { events: Event[] };
};

/**
 * The sessions and ads features in the runner against fakes at its two ports: a collector that
 * validates each event with the collector's own schema, and an API whose canary routes answer what
 * the jobs would write of the events taken (CANARY: and the visitor, CANARY: and the campaign),
 * beside a user's session and campaign that the canary must not take for its own.
 */
describe('sessions and ads canaries', () => {
  let collector: Server;
  let api: Server;
  let apiUrl: string;
  let collectorUrl: string;
  let runner: CanaryRunner | undefined;
  const taken: Event[] = [];
  const rejected: string[] = [];

  beforeEach(async () => {
    metricsRegistry.resetMetrics();
    taken.length = 0;
    rejected.length = 0;
    collector = createServer((request, response) => {
      void body(request).then(({ events }) => {
        for (const event of events) {
          const validation = validateEvent(event);
          if (validation.ok) taken.push(event);
          else rejected.push(validation.reason);
        }
        response.writeHead(202, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ accepted: events.length, rejected: [] }));
      });
    });
    api = createServer((request, response) => {
      const admin = request.headers['x-api-key'] === ADMIN_KEY;
      const sessions = [{ user_id: 'u-1' }, ...taken.filter((e) => e.event_type === 'user.page_viewed')].map((e) => ({
        user_id: e.user_id === 'u-1' ? e.user_id : `CANARY:${e.user_id}`,
      }));
      const ads = [
        { campaign_id: 'spring-sale', ad_id: 'video-1' },
        ...taken
          .filter((e) => e.event_type === 'ad.impression')
          .map((e) => ({ campaign_id: `CANARY:${e.properties!.campaign_id}`, ad_id: e.properties!.ad_id })),
      ];
      const answers: Record<string, unknown> = { '/v1/canary/sessions': { sessions }, '/v1/canary/ads': { ads } };
      const data = admin ? answers[request.url ?? ''] : undefined;
      response.writeHead(data ? 200 : 403, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ data }));
    });
    [collectorUrl, apiUrl] = await Promise.all([listen(collector), listen(api)]);
  });

  afterEach(async () => {
    await runner?.stop();
    collector.close();
    api.close();
  });

  const run = (feature: CanaryFeature) => {
    runner = new CanaryRunner({
      features: [feature],
      collector: httpCanaryCollector(collectorUrl, WRITE_KEY),
      intervalMs: 100,
      pollMs: 20,
      timeoutMs: 1_000,
    });
    runner.start();
  };

  it('should send a valid page view by a visitor of its own per canary, and time it until its session is listed', async () => {
    run(sessionsCanary(apiUrl, ADMIN_KEY));

    await expect.poll(() => latencyCount('sessions')).toBeGreaterThanOrEqual(2);
    expect(rejected).toEqual([]);
    const visitors = taken.map((e) => e.user_id);
    expect(new Set(visitors).size).toBe(visitors.length);
    expect(visitors.every((v) => v.startsWith('canary-'))).toBe(true);
  });

  it("should send a valid impression of the canary's campaign, an ad per canary, and time it until the ad is listed", async () => {
    run(adsCanary(apiUrl, ADMIN_KEY));

    await expect.poll(() => latencyCount('ads')).toBeGreaterThanOrEqual(2);
    expect(rejected).toEqual([]);
    expect(taken.every((e) => e.properties?.campaign_id === CANARY_CAMPAIGN_ID)).toBe(true);
    const ads = taken.map((e) => e.properties!.ad_id);
    expect(new Set(ads).size).toBe(ads.length);
  });

  it("should see only the canary's own: a user's session or campaign never shows a marker", async () => {
    const sessions = await sessionsCanary(apiUrl, ADMIN_KEY).visible();
    const ads = await adsCanary(apiUrl, ADMIN_KEY).visible();

    expect([...sessions, ...ads]).toEqual([]);
  });
});
