import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLiveDashboardTestApp, type LiveDashboardTestApp } from '../testing/live-dashboard-test-app';
import { DashboardController } from './dashboard.controller';

describe(DashboardController.name, () => {
  let api: LiveDashboardTestApp;

  const build = (files: Record<string, string>) => {
    for (const [name, body] of Object.entries(files)) writeFileSync(join(api.dashboardDir, name), body);
  };
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${api.url}${path}`, { headers });

  beforeEach(async () => {
    api = await startLiveDashboardTestApp();
  });

  afterEach(async () => {
    await api.close();
  });

  describe('the page', () => {
    it('should serve the page without an API key, allowed to load only its own files', async () => {
      build({ 'index.html': '<!doctype html><title>Social Pulse</title>' });

      const response = await get('/dashboard');

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await response.text()).toBe('<!doctype html><title>Social Pulse</title>');
      const policy = response.headers.get('content-security-policy');
      expect(policy).toContain("script-src 'self'");
      expect(policy).toContain("connect-src 'self'");
      expect(policy).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    });

    it('should answer 503 saying how to build the page when it is not built', async () => {
      const response = await get('/dashboard');

      expect(response.status).toBe(503);
      expect(await response.text()).toContain('npm run build -w @social-pulse/dashboard');
    });

    it('should serve a rebuilt page without a restart', async () => {
      build({ 'index.html': 'first' });
      expect(await (await get('/dashboard')).text()).toBe('first');

      build({ 'index.html': 'second build' });
      // A modification time of its own, as a later build gives it (not one the clock may not have left).
      const later = new Date(Date.now() + 60_000);
      utimesSync(join(api.dashboardDir, 'index.html'), later, later);

      expect(await (await get('/dashboard')).text()).toBe('second build');
    });
  });

  describe('its files', () => {
    it('should serve the script and the styles with their types, revalidated on each load', async () => {
      build({ 'dashboard.js': 'console.log(1)', 'dashboard.css': 'body{}' });

      const script = await get('/dashboard/dashboard.js');
      const styles = await get('/dashboard/dashboard.css');

      expect(script.status).toBe(200);
      expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(script.headers.get('cache-control')).toBe('no-cache');
      expect(await script.text()).toBe('console.log(1)');
      expect(styles.headers.get('content-type')).toBe('text/css; charset=utf-8');
    });

    it('should answer 304 to a file the browser holds already', async () => {
      build({ 'dashboard.js': 'console.log(1)' });
      const etag = (await get('/dashboard/dashboard.js')).headers.get('etag')!;

      const again = await get('/dashboard/dashboard.js', { 'if-none-match': etag });

      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
    });

    it.each([
      ['a file the page does not have', '/dashboard/package.json'],
      ['a path out of the directory', '/dashboard/..%2Fconfig.ts'],
      ['a missing file of the page', '/dashboard/dashboard.js'],
    ])('should answer 404 to %s', async (_, path) => {
      build({ 'index.html': 'page' });

      const response = await get(path);

      expect(response.status).toBe(404);
    });
  });
});
