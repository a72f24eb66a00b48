import { buildDashboard, describeBuild } from '@social-pulse/dashboard/build';
import { launchChromium, platform, startApi, type AppProcess } from '@social-pulse/testing';

/**
 * The dashboard page's time to first render in headless Chromium: from navigation to the first
 * panel drawn with data, and to every panel drawn, each run in a fresh browser context (nothing
 * cached), plus the page's size as built. Needs a running platform (`npm start`). The platform's
 * API serves the page once it runs this code; otherwise the bench starts an API of its own on the
 * platform's Redis and ClickHouse.
 *
 *   node -r @swc-node/register bench/dashboard.bench.ts [runs=10]
 */
const apiKey = process.env.API_KEY ?? 'pulse-dev-api-key';

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function servesDashboard(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/dashboard`, { signal: AbortSignal.timeout(2_000) })).status === 200;
  } catch {
    return false;
  }
}

async function run(): Promise<void> {
  const runs = Number(process.argv[2] ?? 10);
  console.log(describeBuild(await buildDashboard()).join('\n'));
  let own: AppProcess | undefined;
  let apiUrl = process.env.API_URL ?? platform.apiUrl;
  if (!(await servesDashboard(apiUrl))) {
    own = await startApi({ REDIS_URL: platform.redisUrl, CLICKHOUSE_URL: platform.clickhouseUrl });
    apiUrl = own.url;
    console.log(`the API at ${platform.apiUrl} does not serve /dashboard yet: using one of the bench's own`);
  }
  const browser = await launchChromium();
  const first: number[] = [];
  const all: number[] = [];
  try {
    for (let i = 0; i <= runs; i++) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
      const page = await context.newPage();
      await page.goto(`${apiUrl}/dashboard#key=${apiKey}`);
      await page.waitForFunction(() => performance.getEntriesByName('pulse:all-panels-data').length > 0, null, {
        timeout: 30_000,
      });
      const marks = await page.evaluate(() => ({
        first: performance.getEntriesByName('pulse:first-panel-data')[0].startTime,
        all: performance.getEntriesByName('pulse:all-panels-data')[0].startTime,
      }));
      await context.close();
      // The first run warms the API's code paths and Chromium; it is not counted.
      if (i === 0) continue;
      first.push(marks.first);
      all.push(marks.all);
    }
  } finally {
    await browser.close();
    await own?.stop();
  }
  first.sort((a, b) => a - b);
  all.sort((a, b) => b - a).reverse();
  const row = (name: string, s: number[]) =>
    `${name.padEnd(40)} p50 ${percentile(s, 50).toFixed(0).padStart(5)} ms   p95 ${percentile(s, 95).toFixed(0).padStart(5)} ms   max ${s.at(-1)!.toFixed(0).padStart(5)} ms`;
  console.log(`${runs} page loads, each in a fresh browser context`);
  console.log(row('navigation → first panel with data', first));
  console.log(row('navigation → every panel with data', all));
}

run().catch((error) => {
  console.error(error);
  process.exit(1);
});
