import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from '@social-pulse/pulse/testing';
import { chromium, type Browser } from 'playwright-core';

/** Where `buildSdk` puts the SDK's browser script (global `SocialPulse`). */
export const sdkBrowserScript = join(repoRoot, 'sdk', 'dist', 'social-pulse.iife.js');

/** Builds the SDK (sdk/scripts/build.ts) as a customer would get it. */
export function buildSdk(): void {
  execFileSync(process.execPath, ['-r', '@swc-node/register', join(repoRoot, 'sdk', 'scripts', 'build.ts')], {
    cwd: repoRoot,
  });
}

/** The base URL of a server listening on 127.0.0.1. */
export const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/**
 * A customer's site on an origin of its own (a free port): `/social-pulse.iife.js` is the SDK's
 * browser build, every other path a blank page that loads it. Close the server when done.
 */
export function serveSdkPage(title = 'sdk'): Promise<Server> {
  const html = `<!doctype html><html><head><title>${title}</title><script src="/social-pulse.iife.js"></script></head><body>${title}</body></html>`;
  const server = createServer((req, res) => {
    if (req.url === '/social-pulse.iife.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(readFileSync(sdkBrowserScript));
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(html);
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** The Chromium the browser tests drive: CHROMIUM_PATH, or Debian's /usr/bin/chromium. */
export const chromiumPath = (): string => process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Chromium (see `chromiumPath`), headless, through playwright-core: no browser download. Throws
 * when there is no browser there, so the tests that need one fail (call it in beforeAll) rather
 * than being skipped.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath))
    throw new Error(
      `no Chromium at ${executablePath}: install it (apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary`,
    );
  return chromium.launch({
    executablePath,
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
}
