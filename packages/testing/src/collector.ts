import { startAppProcess, waitForHttp, type AppProcess } from './app-process';

export type CollectorProcess = AppProcess;

/**
 * A collector process of a test's own (for tests and benchmarks that need settings or a Kafka
 * other than the platform's: give it KAFKA_BROKERS), on a free port unless one is given.
 * Resolves once it answers /health; `waitReady` waits for Kafka too.
 */
export function startCollector(
  env: NodeJS.ProcessEnv,
  options: { port?: number; timeoutMs?: number } = {},
): Promise<CollectorProcess> {
  return startAppProcess({
    name: 'collector',
    entry: 'apps/collector/src/main.ts',
    port: options.port,
    timeoutMs: options.timeoutMs,
    env,
    portEnv: (port) => ({ COLLECTOR_HOST: '127.0.0.1', COLLECTOR_PORT: String(port) }),
    healthPath: '/health',
  });
}

/** Resolves once the collector reports ready (Kafka connected). */
export function waitReady(url: string, timeoutMs = 60_000): Promise<void> {
  return waitForHttp(`${url}/ready`, timeoutMs).catch(() => {
    throw new Error(`collector at ${url} was not ready within ${timeoutMs} ms`);
  });
}
