import { join } from 'node:path';
import { repoRoot } from '../paths';
import type { Settings } from '../settings';
import { httpOk } from './health';
import type { ServiceSpec } from './service';

/**
 * The platform's own Node apps, run from their TypeScript sources through SWC. With demo traffic
 * the collector believes loopback's country header (TRUSTED_PROXIES, unless set): the demo sender
 * stands in for the edge that would set it, so the dashboards show countries.
 */
export function appServices(
  settings: Settings,
  env: NodeJS.ProcessEnv,
  options: { demo?: boolean } = {},
): ServiceSpec[] {
  const collectorEnv =
    options.demo && env.TRUSTED_PROXIES === undefined ? { ...env, TRUSTED_PROXIES: '127.0.0.1,::1' } : env;
  const app = (name: string, port: number, entry: string, appEnv = env): ServiceSpec => ({
    name,
    group: name,
    ports: [port],
    url: `http://127.0.0.1:${port}`,
    version: '0.1.0',
    command: async () => ({
      command: process.execPath,
      args: ['--enable-source-maps', '-r', '@swc-node/register', join(repoRoot, entry)],
      cwd: repoRoot,
      env: appEnv,
    }),
    healthy: () => httpOk(`http://127.0.0.1:${port}/health`),
    startTimeoutMs: 60_000,
    stopTimeoutMs: 10_000,
  });
  return [
    app('worker', settings.WORKER_PORT, 'apps/worker/src/main.ts'),
    app('collector', settings.COLLECTOR_PORT, 'apps/collector/src/main.ts', collectorEnv),
    app('api', settings.API_PORT, 'apps/api/src/main.ts'),
  ];
}

/** Demo traffic for `npm start`: content and browsing events through the collector, so trends and engagement move on their own. */
export function demoTrafficService(settings: Settings, env: NodeJS.ProcessEnv): ServiceSpec {
  return {
    name: 'demo-traffic',
    group: 'demo-traffic',
    ports: [],
    version: '0.1.0',
    command: async () => ({
      command: process.execPath,
      args: ['--enable-source-maps', '-r', '@swc-node/register', join(repoRoot, 'tools/pulse/src/demo/traffic.ts')],
      cwd: repoRoot,
      env: { ...env, DEMO_COLLECTOR_URL: `http://127.0.0.1:${settings.COLLECTOR_PORT}` },
    }),
    healthy: async () => true,
    startTimeoutMs: 10_000,
    stopTimeoutMs: 5_000,
  };
}
