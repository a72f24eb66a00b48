import { startAppProcess, type AppProcess } from './app-process';

/**
 * An API process of a test's own, on a port of its own: `env` points it at the test's ClickHouse
 * database (the URL's path) or Redis database, so its answers and cache never mix with the
 * platform's API.
 */
export function startApi(env: NodeJS.ProcessEnv = {}): Promise<AppProcess> {
  return startAppProcess({
    name: 'api',
    entry: 'apps/api/src/main.ts',
    portEnv: (port) => ({ API_PORT: String(port) }),
    env,
    healthPath: '/health',
  });
}
