import { createLogger } from '@social-pulse/observability';
import { env, loadConfig } from '@social-pulse/config';
import { DEFAULT_PORTS } from '@social-pulse/shared';
import { TrafficModel } from './traffic-model';

const logger = createLogger('demo-traffic');

/**
 * Posts demo content events through the collector, like a few hundred people using the app, plus a
 * spammer and a bot ring the trending job damps (traffic-model.ts).
 */
async function run(): Promise<void> {
  const config = loadConfig({
    DEMO_COLLECTOR_URL: env.url(`http://127.0.0.1:${DEFAULT_PORTS.collector}`),
    DEMO_WRITE_KEY: env.text('pulse-dev-write-key'),
    /** Ordinary people's events a second; the spammer and the bot ring add theirs (DEMO_SCENARIOS). */
    DEMO_EVENTS_PER_SECOND: env.positiveInt(20),
    DEMO_USERS: env.positiveInt(300),
  });
  const model = new TrafficModel({ users: config.DEMO_USERS, peoplePerSecond: config.DEMO_EVENTS_PER_SECOND });
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
    try {
      const res = await fetch(`${config.DEMO_COLLECTOR_URL}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-write-key': config.DEMO_WRITE_KEY },
        body: JSON.stringify({ sent_at: new Date().toISOString(), events }),
      });
      if (res.ok) sent += count;
      else logger.warn({ status: res.status }, 'collector refused a demo batch');
    } catch (error) {
      logger.warn({ error: (error as Error).message }, 'collector unreachable');
    }
    if (sent % 1000 < count) {
      logger.info({ sent, surge: model.currentSurge(), slowBurnShare: model.slowBurnShare() }, 'demo traffic');
    }
    await new Promise((r) => setTimeout(r, Math.max(0, tickMs - (Date.now() - started))));
  }
  logger.info({ sent }, 'demo traffic stopped');
}

run().catch((error) => {
  logger.fatal(error);
  process.exit(1);
});
