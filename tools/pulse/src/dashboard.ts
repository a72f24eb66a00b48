import { DEV_API_KEY } from '@social-pulse/api/config';
import { buildDashboard, describeBuild } from '@social-pulse/dashboard/build';
import { say } from './console';
import type { Settings } from './settings';

/**
 * Builds the dashboard page (apps/dashboard) before the API starts, so `npm start` serves the
 * current page. A page that does not build is a warning, not a failed start: the platform is
 * useful without it, and the API answers /dashboard with 503 saying how to build it.
 */
export async function buildDashboardPage(): Promise<void> {
  try {
    const files = await buildDashboard();
    say.ok(`dashboard page built: ${describeBuild(files).at(-1)}`);
  } catch (error) {
    say.warn(
      `the dashboard page did not build (${(error as Error).message.split('\n')[0]}); ` +
        'see `npm run build -w @social-pulse/dashboard`',
    );
  }
}

/**
 * The dashboard's address. With the one-machine key (API_KEYS unset or holding it) the link carries
 * it, so it opens at once; a key of a real deployment is a secret and never printed.
 */
export function dashboardUrl(settings: Pick<Settings, 'API_PORT'>, env: NodeJS.ProcessEnv = process.env): string {
  const url = `http://127.0.0.1:${settings.API_PORT}/dashboard`;
  const keys = env.API_KEYS?.split(',').map((key) => key.trim());
  return keys === undefined || keys.includes(DEV_API_KEY)
    ? `${url}#key=${DEV_API_KEY}`
    : `${url} (with a key of API_KEYS)`;
}
