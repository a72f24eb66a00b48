import { startAppProcess, type AppProcess } from './app-process';
import { platform } from './platform';

/**
 * A Temporal worker of a test's own, polling a task queue of the test's own beside the platform's
 * worker, on the platform's Temporal and services: a test may kill it (SIGKILL) without touching
 * the platform's. `env` overrides its configuration, e.g. CLICKHOUSE_URL with a test database as
 * the URL's path.
 */
export function startWorker(taskQueue: string, env: NodeJS.ProcessEnv = {}): Promise<AppProcess> {
  return startAppProcess({
    name: 'worker',
    entry: 'apps/worker/src/main.ts',
    portEnv: (port) => ({ WORKER_PORT: String(port) }),
    env: { TEMPORAL_TASK_QUEUE: taskQueue, TEMPORAL_ADDRESS: platform.temporalAddress, ...env },
    healthPath: '/health',
  });
}
