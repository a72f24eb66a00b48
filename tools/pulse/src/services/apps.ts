import { join } from 'node:path';
import { repoRoot } from '../paths';
import type { Settings } from '../settings';
import { collectorInstances } from './collector-lb';
import { httpOk } from './health';
import type { ServiceSpec } from './service';

/**
 * The collectors' environment. With demo traffic the collector believes loopback's country header
 * (TRUSTED_PROXIES, unless set): the demo sender stands in for the edge that would set it, so the
 * dashboards show countries.
 */
export function collectorEnvironment(env: NodeJS.ProcessEnv, options: { demo?: boolean } = {}): NodeJS.ProcessEnv {
  return options.demo && env.TRUSTED_PROXIES === undefined ? { ...env, TRUSTED_PROXIES: '127.0.0.1,::1' } : env;
}

/**
 * The platform's own Node apps, run from their TypeScript sources through SWC: the worker, each
 * collector (collectorInstances: one, or COLLECTOR_REPLICAS behind the load balancer) and the API.
 */
export function appServices(
  settings: Settings,
  env: NodeJS.ProcessEnv,
  options: { demo?: boolean } = {},
): ServiceSpec[] {
  const app = (name: string, group: string, port: number, entry: string, appEnv = env): ServiceSpec => ({
    name,
    group,
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
  const collectorEnv = collectorEnvironment(env, options);
  return [
    app('worker', 'worker', settings.WORKER_PORT, 'apps/worker/src/main.ts'),
    ...collectorInstances(settings).map(({ name, port }) =>
      app(name, 'collector', port, 'apps/collector/src/main.ts', { ...collectorEnv, COLLECTOR_PORT: String(port) }),
    ),
    app('api', 'api', settings.API_PORT, 'apps/api/src/main.ts'),
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
