import { createLogger } from '@social-pulse/observability';
import { env, loadConfig } from '@social-pulse/config';
import { DEFAULT_PORTS } from '@social-pulse/shared';
import { AdFunnelModel } from './ad-funnel-model';
import { BrowsingModel } from './browsing-model';
import { TrafficModel } from './traffic-model';

const logger = createLogger('demo-traffic');

/**
 * Posts demo events through the collector: content events like a few hundred people posting, plus a
 * spammer and a bot ring the trending job damps (traffic-model.ts), and visitors browsing in
 * sessions from several countries and devices (browsing-model.ts), and viewers of three ad
 * campaigns through impressions, clicks and conversions (ad-funnel-model.ts). The country travels in the
 * x-country header, as an edge proxy would set it: `pulse up --demo` lists loopback in the
 * collector's TRUSTED_PROXIES so it believes the header.
 */
async function run(): Promise<void> {
  const config = loadConfig({
    DEMO_COLLECTOR_URL: env.url(`http://127.0.0.1:${DEFAULT_PORTS.collector}`),
    DEMO_WRITE_KEY: env.text('pulse-dev-write-key'),
    /** Ordinary people's events a second; the spammer and the bot ring add theirs (DEMO_SCENARIOS). */
    DEMO_EVENTS_PER_SECOND: env.positiveInt(20),
    DEMO_USERS: env.positiveInt(300),
    /** Visitors browsing in sessions (about one event a visitor every 20 seconds while they browse). */
    DEMO_VISITORS: env.positiveInt(200),
    /** Viewers of the demo campaigns (about one impression a viewer every 45 seconds). */
    DEMO_AD_VIEWERS: env.positiveInt(300),
  });
  const model = new TrafficModel({ users: config.DEMO_USERS, peoplePerSecond: config.DEMO_EVENTS_PER_SECOND });
  const browsing = new BrowsingModel({ visitors: config.DEMO_VISITORS });
  const ads = new AdFunnelModel({ viewers: config.DEMO_AD_VIEWERS });
  const post = async (events: Record<string, unknown>[], country?: string): Promise<boolean> => {
    try {
      const res = await fetch(`${config.DEMO_COLLECTOR_URL}/v1/batch`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-write-key': config.DEMO_WRITE_KEY,
          ...(country ? { 'x-country': country } : {}),
        },
        body: JSON.stringify({ sent_at: new Date().toISOString(), events }),
      });
      if (!res.ok) logger.warn({ status: res.status }, 'collector refused a demo batch');
      return res.ok;
    } catch (error) {
      logger.warn({ error: (error as Error).message }, 'collector unreachable');
      return false;
    }
  };
  const tickMs = 500;
  let sent = 0;
  let stopping = false;
  process.on('SIGTERM', () => (stopping = true));
  process.on('SIGINT', () => (stopping = true));
  logger.info({ eventsPerSecond: model.eventsPerSecond }, 'demo traffic starting');

  while (!stopping) {
    const started = Date.now();
    const count = Math.max(1, Math.round((model.eventsPerSecond * tickMs) / 1000));
    const events = Array.from({ length: count }, () => model.nextEvent());
    if (await post(events)) sent += count;
    for (const [country, batch] of byCountry([...browsing.due(), ...ads.due()])) {
      if (await post(batch, country)) sent += batch.length;
    }
    if (sent % 1000 < count) {
      logger.info({ sent, surge: model.currentSurge(), slowBurnShare: model.slowBurnShare() }, 'demo traffic');
    }
    await new Promise((r) => setTimeout(r, Math.max(0, tickMs - (Date.now() - started))));
  }
  logger.info({ sent }, 'demo traffic stopped');
}

function byCountry(
  events: { country: string; event: Record<string, unknown> }[],
): Map<string, Record<string, unknown>[]> {
  const batches = new Map<string, Record<string, unknown>[]>();
  for (const { country, event } of events) batches.set(country, [...(batches.get(country) ?? []), event]);
  return batches;
}

run().catch((error) => {
  logger.fatal(error);
  process.exit(1);
});
