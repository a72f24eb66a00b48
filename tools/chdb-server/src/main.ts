import './threadpool';
import { hostname } from 'node:os';
import { ConfigError } from '@social-pulse/config';
import { createLogger, startDefaultMetrics } from '@social-pulse/observability';
import { allowedOrigins, listenAddressProblem, loadChdbServerConfig } from './config';
import { EnginePool } from './engine-pool';
import { HttpSessions } from './http-sessions';
import { createHttpServer } from './http-server';
import { createServerMetrics } from './metrics';
import { FifoSupply } from './piped-insert';
import { defaultUsers, loadUsersFile } from './users';

const logger = createLogger('chdb-server');

/** A ClickHouse server for one machine: ClickHouse's HTTP interface over the chDB engine. */
async function run(): Promise<void> {
  const config = loadChdbServerConfig();
  const addressProblem = listenAddressProblem(config);
  if (addressProblem) throw new ConfigError([addressProblem]);
  const users = config.CLICKHOUSE_USERS_FILE ? loadUsersFile(config.CLICKHOUSE_USERS_FILE) : defaultUsers();
  startDefaultMetrics('chdb-server');

  // Step 1: open the data directory; this process owns it until it exits.
  const pool = new EnginePool(config.CHDB_DATA_DIR, config.CHDB_POOL_SIZE, config.CHDB_MAX_QUEUED);
  const engine = await pool.start();
  const sessions = new HttpSessions(pool, {
    maxSessions: config.CHDB_MAX_SESSIONS,
    defaultTimeoutSeconds: config.CHDB_DEFAULT_SESSION_TIMEOUT,
    maxTimeoutSeconds: config.CHDB_MAX_SESSION_TIMEOUT,
  });
  const fifos = new FifoSupply();

  // Step 2: serve the HTTP interface.
  const server = createHttpServer(
    {
      pool,
      sessions,
      users,
      fifos,
      logger,
      metrics: createServerMetrics(pool, sessions),
      maxBodyBytes: config.CHDB_MAX_BODY_BYTES,
      maxQueryBytes: config.CHDB_MAX_QUERY_BYTES,
      bodyIdleTimeoutMs: config.CHDB_BODY_IDLE_TIMEOUT_MS,
      displayName: hostname(),
    },
    {
      headersTimeoutMs: config.CHDB_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: config.CHDB_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: config.CHDB_KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: config.CHDB_MAX_CONNECTIONS,
      allowedOrigins: allowedOrigins(config),
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.CLICKHOUSE_HTTP_PORT, config.CLICKHOUSE_HTTP_HOST, resolve);
  });
  logger.info(
    {
      port: config.CLICKHOUSE_HTTP_PORT,
      dataDir: config.CHDB_DATA_DIR,
      poolSize: config.CHDB_POOL_SIZE,
      engine: engine.version,
      threads: process.env.UV_THREADPOOL_SIZE,
    },
    'ClickHouse HTTP interface ready',
  );

  // Step 3: on SIGTERM/SIGINT stop taking requests, let running ones finish for a while, then cancel them.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, timeoutMs: config.CHDB_SHUTDOWN_TIMEOUT_MS }, 'stopping');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Kept-alive connections become idle as their last response ends; close them as they do.
    const closeIdle = setInterval(() => server.closeIdleConnections(), 100);
    server.closeIdleConnections();
    const timedOut = await Promise.race([
      closed.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), config.CHDB_SHUTDOWN_TIMEOUT_MS).unref()),
    ]);
    clearInterval(closeIdle);
    if (timedOut) {
      logger.warn('queries still running after the shutdown timeout: cancelling them');
      await pool.killAll();
      server.closeAllConnections();
    }
    sessions.closeAll();
    await pool.close();
    fifos.dispose();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

run().catch((error) => {
  logger.fatal(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
