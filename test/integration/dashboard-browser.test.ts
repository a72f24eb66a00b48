import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildDashboard, describeBuild } from '@social-pulse/dashboard/build';
import { repoRoot } from '@social-pulse/pulse/testing';
import {
  adEvent,
  BROWSER_USER_AGENT,
  contentEvent,
  launchChromium,
  platform,
  startApi,
  startRedisServer,
  startTcpProxy,
  userEvent,
  type AppProcess,
  type RedisServerProcess,
  type TcpProxy,
} from '@social-pulse/testing';
import Redis from 'ioredis';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The dashboard page in headless Chromium, served by API processes of the test's own (the
// platform's API runs the code it was started with): one on the platform's Redis and ClickHouse,
// for the live data and its updates; one on a Redis of its own and a proxy to ClickHouse that the
// test stops, so "ClickHouse is down" is shown without stopping the shared ClickHouse.

/** A key of scope read, the only kind a dashboard user has; the admin key exists but the page never has it. */
const DASHBOARD_KEY = `dashboard-${randomUUID()}`;
const ADMIN_KEY = `admin-${randomUUID()}`;
const WRITE_KEY = 'pulse-dev-write-key';
const ARTIFACTS = join(repoRoot, 'test-artifacts', 'dashboard');

const PANELS = [
  'trending-1m',
  'trending-5m',
  'trending-15m',
  'engagement-live',
  'engagement-last-hour',
  'engagement-last-day',
  'engagement-by-device',
  'engagement-by-country',
  'ads-last-hour',
  'ads-by-device',
  'ads-campaigns',
];

/** The panels that answers computed at read time keep fresh: stale within seconds once nothing recomputes them. */
const FAST_PANELS = ['engagement-live', 'engagement-last-hour', 'ads-last-hour'];

/**
 * Answers whose range is whole minutes up to now: their key (and so their last good copy) changes
 * every minute, so once a minute has turned with ClickHouse down there is no copy of the new range,
 * and the API answers 503: the page says the source is down.
 */
const MINUTE_RANGED_PANELS = ['engagement-last-hour', 'ads-last-hour'];

const post = async (events: unknown[]) => {
  const response = await fetch(`${platform.collectorUrl}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-write-key': WRITE_KEY, 'user-agent': BROWSER_USER_AGENT },
    body: JSON.stringify({ sent_at: new Date().toISOString(), events }),
  });
  expect(response.status, await response.text()).toBe(202);
};

/** Some traffic of each family: a platform just started (as in CI) has none, and every area needs data. */
async function postSeedTraffic() {
  const run = `seed${Date.now().toString(36)}`;
  await post(
    Array.from({ length: 16 }, (_, i) =>
      contentEvent({
        user_id: `dashboard-seed-author-${run}-${i % 8}`,
        event_type: 'content.post_created',
        properties: { content_id: `post-${run}-${i}`, hashtags: [run] },
      }),
    ),
  );
  await post(
    Array.from({ length: 10 }, (_, i) =>
      adEvent({
        user_id: `dashboard-seed-viewer-${run}-${i}`,
        properties: { campaign_id: `dashboard-${run}`, ad_id: 'seed', cost_micros: 1_000_000, currency: 'USD' },
      }),
    ),
  );
  await post(Array.from({ length: 5 }, (_, i) => userEvent({ user_id: `dashboard-seed-visitor-${run}-${i}` })));
}

/** Each panel's state as the page shows it: loading, fresh, stale or down. */
const panelStates = (page: Page) =>
  page.evaluate(() =>
    Object.fromEntries(
      Array.from(document.querySelectorAll<HTMLElement>('[data-panel]')).map((panel) => [
        panel.dataset.panel!,
        panel.dataset.state!,
      ]),
    ),
  );

const text = (page: Page, selector: string) => page.locator(selector).first().innerText();

const tileNumber = async (page: Page, panel: string, metric: string) =>
  Number((await text(page, `[data-panel="${panel}"] [data-metric="${metric}"] .tile-value`)).replace(/[^\d]/g, ''));

/** What expiry does to a Redis of answers: the answers go, their last good copies (kept longer) stay. */
async function expireAnswersKeepingLastGood(url: string): Promise<void> {
  const redis = new Redis(url);
  try {
    const answers = (await redis.keys('pulse:*')).filter((key) => !key.startsWith('pulse:last-good:'));
    expect(answers.length, 'answers the page read before ClickHouse stopped').toBeGreaterThan(0);
    await redis.unlink(...answers);
  } finally {
    redis.disconnect();
  }
}

const screenshot = (page: Page, name: string) =>
  page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

describe('dashboard in a browser', () => {
  let browser: Browser;
  let liveApi: AppProcess;
  let ownApi: AppProcess;
  let ownRedis: RedisServerProcess;
  let clickhouse: TcpProxy;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    console.log(describeBuild(await buildDashboard()).join('\n'));
    [ownRedis, clickhouse] = await Promise.all([startRedisServer(), startTcpProxy(platform.clickhouseUrl)]);
    const keys = { API_KEYS: DASHBOARD_KEY, API_ADMIN_KEYS: ADMIN_KEY };
    [browser, liveApi, ownApi] = await Promise.all([
      launchChromium(),
      startApi({ ...keys, REDIS_URL: platform.redisUrl, CLICKHOUSE_URL: platform.clickhouseUrl }),
      // Trending lists computed on a miss are kept 2 s (not 30): with ClickHouse gone they expire soon.
      startApi({ ...keys, REDIS_URL: ownRedis.url, CLICKHOUSE_URL: clickhouse.url, TRENDING_CACHE_TTL_SECONDS: '2' }),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([liveApi?.stop(), ownApi?.stop()]);
    await Promise.all([ownRedis?.stop(), clickhouse?.stop()]);
  });

  describe('with the platform running', () => {
    let page: Page;

    beforeAll(async () => {
      page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      await postSeedTraffic();
    });

    it('should show the three areas with the platform’s data, given a dashboard key in its link', async () => {
      await page.goto(`${liveApi.url}/dashboard#key=${DASHBOARD_KEY}`);

      await expect
        .poll(() => panelStates(page), { timeout: 30_000, interval: 250 })
        .toEqual(Object.fromEntries(PANELS.map((panel) => [panel, expect.stringMatching(/^(fresh|stale)$/)])));
      // The seed traffic reaches the page within the pipeline's latency.
      await expect
        .poll(() => page.locator('[data-panel="trending-1m"] tr[data-topic]').count(), { timeout: 60_000 })
        .toBeGreaterThan(0);
      await expect
        .poll(() => text(page, '[data-panel="engagement-live"] [data-metric="active_users"] .tile-value'), {
          timeout: 60_000,
        })
        .toMatch(/^\d/);
      await expect
        .poll(() => page.locator('[data-panel="ads-campaigns"] tr[data-campaign]').count(), { timeout: 60_000 })
        .toBeGreaterThan(0);
      expect(await text(page, '#connection')).toMatch(/^Live/);
      // The key left the address bar for the browser's storage.
      expect(page.url()).toBe(`${liveApi.url}/dashboard`);
      expect(await page.evaluate(() => localStorage.getItem('social-pulse.api-key'))).toBe(DASHBOARD_KEY);
      await screenshot(page, '1-live');
    });

    it('should show new events without a reload, reading an answer when the API says it changed', async () => {
      const run = Date.now().toString(36);
      const hashtag = `dash${run}`;
      const campaign = `dashboard-${run}`;
      await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
      const requests: string[] = [];
      page.on('request', (request) => requests.push(new URL(request.url()).pathname + new URL(request.url()).search));
      const impressionsBefore = await tileNumber(page, 'ads-last-hour', 'impressions');
      const started = Date.now();

      // Several people posting the tag (one author would be damped), ads with spend enough to rank first.
      await post(
        Array.from({ length: 24 }, (_, i) =>
          contentEvent({
            user_id: `dashboard-author-${run}-${i % 8}`,
            event_type: 'content.post_created',
            properties: { content_id: `post-${run}-${i}`, hashtags: [hashtag] },
          }),
        ),
      );
      await post(
        Array.from({ length: 20 }, (_, i) =>
          adEvent({
            user_id: `dashboard-viewer-${run}-${i}`,
            properties: { campaign_id: campaign, ad_id: 'hero', cost_micros: 5_000_000, currency: 'USD' },
          }),
        ),
      );
      await post(Array.from({ length: 5 }, (_, i) => userEvent({ user_id: `dashboard-visitor-${run}-${i}` })));

      await expect
        .poll(() => page.locator(`[data-panel="trending-1m"] tr[data-topic="${hashtag}"]`).count(), {
          timeout: 60_000,
          interval: 250,
        })
        .toBe(1);
      console.log(`a hashtag reached the open page ${Date.now() - started} ms after it was posted`);
      await expect
        .poll(() => tileNumber(page, 'ads-last-hour', 'impressions'), { timeout: 60_000, interval: 250 })
        .toBeGreaterThanOrEqual(impressionsBefore + 20);
      await expect
        .poll(() => page.locator(`[data-panel="ads-campaigns"] tr[data-campaign="${campaign}"]`).count(), {
          timeout: 60_000,
          interval: 250,
        })
        .toBe(1);
      await screenshot(page, '2-updated');

      expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
      // The same stream all along (no reconnect), and an answer refreshed every 30 s read about that
      // often, not every second: twice per refresh at most (near the hour the refresher writes the
      // next hour's key too, and each key is announced).
      expect(requests.filter((path) => path.startsWith('/v1/stream'))).toEqual([]);
      const refreshes = Math.ceil((Date.now() - started) / 30_000) + 1;
      expect(requests.filter((path) => path.startsWith('/v1/ads/campaigns')).length).toBeLessThanOrEqual(2 * refreshes);
    });

    it('should ask for another key when the API refuses the one given', async () => {
      const stranger = await browser.newPage();
      await stranger.goto(`${liveApi.url}/dashboard#key=not-a-dashboard-key`);

      await expect.poll(() => stranger.locator('#key-form').isVisible(), { timeout: 15_000 }).toBe(true);
      expect(await text(stranger, '#key-error')).toBe('This key was not accepted. Enter your dashboard key.');
      expect(await stranger.locator('#dashboard').isVisible()).toBe(false);
      expect(await stranger.evaluate(() => localStorage.getItem('social-pulse.api-key'))).toBeNull();
      await stranger.close();
    });
  });

  describe('with ClickHouse stopped', () => {
    let page: Page;

    beforeAll(async () => {
      page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    });

    it('should ask for the key once, then show the data', async () => {
      await page.goto(`${ownApi.url}/dashboard`);
      await page.locator('#key-input').fill(DASHBOARD_KEY);
      await page.locator('#key-form button[type="submit"]').click();

      await expect
        .poll(() => panelStates(page), { timeout: 30_000, interval: 250 })
        .toEqual(Object.fromEntries(PANELS.map((panel) => [panel, expect.stringMatching(/^(fresh|stale)$/)])));
      for (const panel of FAST_PANELS) expect((await panelStates(page))[panel]).toBe('fresh');
    });

    it('should mark the data stale without a reload, then show every panel stale from its last good copy', async () => {
      await clickhouse.stop();

      await expect
        .poll(
          async () => {
            const states = await panelStates(page);
            return FAST_PANELS.map((panel) => [panel, states[panel]]);
          },
          {
            timeout: 30_000,
            interval: 250,
          },
        )
        .toEqual(FAST_PANELS.map((panel) => [panel, 'stale']));
      expect(await text(page, '[data-panel="engagement-live"] .badge')).toBe('Stale');
      expect(await text(page, '[data-panel="engagement-live"] .note')).toMatch(/last good copy|normally under/);

      // Once every answer Redis held has expired (30 s at most), a fresh load finds only last good copies.
      // This Redis is the test's own: expiring the answers now stands for the 30 s wait.
      await expireAnswersKeepingLastGood(ownRedis.url);
      await page.reload();
      await expect
        .poll(() => panelStates(page), { timeout: 30_000, interval: 250 })
        .toEqual(
          Object.fromEntries(
            PANELS.map((panel) => [
              panel,
              MINUTE_RANGED_PANELS.includes(panel) ? expect.stringMatching(/^(stale|down)$/) : 'stale',
            ]),
          ),
        );
      await screenshot(page, '3-stale');
    });

    it('should say a source is down when neither Redis nor ClickHouse answers', async () => {
      await ownRedis.stop();

      await expect
        .poll(async () => (await panelStates(page))['engagement-live'], { timeout: 30_000, interval: 250 })
        .toBe('down');
      expect(await text(page, '[data-panel="engagement-live"] .badge')).toBe('Source down');
      expect(await text(page, '[data-panel="engagement-live"] .note')).toMatch(
        /(Redis and ClickHouse|ClickHouse and Redis) are down/,
      );
      expect(await text(page, '#connection')).toMatch(/paused|reconnecting/);
      await screenshot(page, '4-down');
    });
  });
});
