import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { execFileSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../tools/pulse/src/paths';
import { platform } from './platform';

const SDK_DIST = join(repoRoot, 'sdk', 'dist');
const API_KEY = 'pulse-dev-api-key';

/** A page on its own origin that loads the SDK's browser build, as a customer's site would. */
function servePage(): Promise<Server> {
  const page = `<!doctype html><html><head><title>e2e</title><script src="/social-pulse.iife.js"></script></head><body>e2e</body></html>`;
  const server = createServer((req, res) => {
    if (req.url === '/social-pulse.iife.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(readFileSync(join(SDK_DIST, 'social-pulse.iife.js')));
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(page);
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function trendingTopics(): Promise<string[]> {
  const res = await fetch(`${platform.apiUrl}/v1/trending?window=1m&limit=100`, { headers: { 'x-api-key': API_KEY } });
  if (!res.ok) return [];
  return ((await res.json()) as { topics: { topic: string }[] }).topics.map((t) => t.topic);
}

describe('trending topics end to end', () => {
  let server: Server;
  let browser: Browser;

  beforeAll(async () => {
    execFileSync(process.execPath, ['-r', '@swc-node/register', join(repoRoot, 'sdk', 'scripts', 'build.ts')], {
      cwd: repoRoot,
    });
    server = await servePage();
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it('should show a hashtag posted from a browser in the 1-minute trending list', async () => {
    const hashtag = `e2e${Date.now().toString(36)}`;
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const sentAt = Date.now();
    const answer = await page.evaluate(
      async ({ endpoint, hashtag }) => {
        const pulse = (window as any).SocialPulse.init({ endpoint, writeKey: 'pulse-dev-write-key', flushAt: 100 });
        for (let i = 0; i < 30; i++) {
          pulse.track('content.post_created', { content_id: `post-${i}`, hashtags: [hashtag, 'e2e'] });
        }
        await pulse.flush();
        return pulse.stats;
      },
      { endpoint: platform.collectorUrl, hashtag },
    );
    expect(answer).toMatchObject({ sent: 30, rejected: 0, dropped: 0 });

    await expect.poll(trendingTopics, { timeout: 30_000, interval: 250 }).toContain(hashtag);
    const latencyMs = Date.now() - sentAt;
    console.log(`event-to-API latency: ${latencyMs} ms`);
    expect(latencyMs).toBeLessThan(30_000);
  });
});
