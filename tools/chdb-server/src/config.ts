import { join } from 'node:path';
import { env, loadConfig } from '@social-pulse/config';
import { DEFAULT_PORTS } from '@social-pulse/shared';

const repoRoot = join(__dirname, '..', '..', '..');

/** Every environment variable the chDB server reads, with its one-machine default; parsed once at start. */
export const chdbServerConfigShape = {
  /** production refuses the one-machine defaults below that would be unsafe on a network. */
  NODE_ENV: env.nodeEnv(),
  /** Address to listen on; anything but loopback needs CLICKHOUSE_USERS_FILE (see listenAddressProblem). */
  CLICKHOUSE_HTTP_HOST: env.text('127.0.0.1'),
  CLICKHOUSE_HTTP_PORT: env.port(DEFAULT_PORTS.clickhouseHttp),
  /** The one data directory this process owns; no other process may open it while it runs. */
  CHDB_DATA_DIR: env.text(join(repoRoot, '.pulse', 'data', 'clickhouse')),
  /** Engine connections, i.e. statements that run at the same time; more wait in line. */
  CHDB_POOL_SIZE: env.positiveInt(8),
  /** Requests allowed to wait for a connection before new ones are refused (TOO_MANY_SIMULTANEOUS_QUERIES). */
  CHDB_MAX_QUEUED: env.positiveInt(1000),
  /** Largest request body accepted, after decompression (INSERT data streams through; this bounds it). */
  CHDB_MAX_BODY_BYTES: env.positiveInt(1024 * 1024 * 1024),
  /**
   * Largest query text (URL `query` + body up to an INSERT's data, or a multipart form), held in memory
   * before anything runs. 1 MiB: four times the engine's own max_query_size default (256 KiB), so a
   * client may still raise max_query_size for a long IN list, while a non-insert body cannot make the
   * server buffer more than this. Over it: Code 62 "Max query size exceeded", as ClickHouse answers.
   */
  CHDB_MAX_QUERY_BYTES: env.positiveInt(1024 * 1024),
  /** Time to receive a request's headers (Node's server.headersTimeout). */
  CHDB_HEADERS_TIMEOUT_MS: env.positiveInt(10_000),
  /**
   * Time to receive a whole request, headers and body (Node's server.requestTimeout); a client
   * trickling its body is cut off. Does not cover the response: a long-running query is not cut off.
   */
  CHDB_REQUEST_TIMEOUT_MS: env.positiveInt(300_000),
  /** Longest wait for the next piece of a body; a stalled INSERT upload then releases its engine connection. */
  CHDB_BODY_IDLE_TIMEOUT_MS: env.positiveInt(30_000),
  /** How long an idle kept-alive connection stays open (Keep-Alive: timeout=N). */
  CHDB_KEEP_ALIVE_TIMEOUT_MS: env.positiveInt(10_000),
  /** Open TCP connections at once; more are dropped on arrival (Node's server.maxConnections). */
  CHDB_MAX_CONNECTIONS: env.positiveInt(1024),
  /**
   * Comma-separated browser origins (`http://localhost:3000`) allowed to send requests. Empty: every
   * request carrying an Origin header, or Sec-Fetch-Site: cross-site, is refused (403), so a web page
   * cannot run queries here; clients that are not browsers send neither and are unaffected.
   */
  CHDB_ALLOWED_ORIGINS: env.text(''),
  /** HTTP sessions (session_id) alive at once; each holds its own engine connection. */
  CHDB_MAX_SESSIONS: env.positiveInt(64),
  /** Seconds a session lives after its last request, and the most a client may ask for. */
  CHDB_DEFAULT_SESSION_TIMEOUT: env.positiveInt(60),
  CHDB_MAX_SESSION_TIMEOUT: env.positiveInt(3600),
  /** How long SIGTERM waits for running queries before cancelling them. */
  CHDB_SHUTDOWN_TIMEOUT_MS: env.positiveInt(10_000),
  /** JSON file of users and profiles; unset means one user `default` without a password (not in production). */
  CLICKHOUSE_USERS_FILE: env.production(env.text(''), {
    check: (file) =>
      file === ''
        ? 'means user default without a password, refused with NODE_ENV=production: set CLICKHOUSE_USERS_FILE ' +
          'to a JSON users file whose users have passwords'
        : undefined,
  }),
  LOG_LEVEL: env.logLevel(),
};

export const loadChdbServerConfig = (source: NodeJS.ProcessEnv = process.env) =>
  loadConfig(chdbServerConfigShape, source);

export type ChdbServerConfig = ReturnType<typeof loadChdbServerConfig>;

/** The origins of CHDB_ALLOWED_ORIGINS, normalised as browsers send them (no trailing slash). */
export function allowedOrigins(config: Pick<ChdbServerConfig, 'CHDB_ALLOWED_ORIGINS'>): Set<string> {
  return new Set(
    config.CHDB_ALLOWED_ORIGINS.split(',')
      .map((origin) => origin.trim().replace(/\/+$/, '').toLowerCase())
      .filter(Boolean),
  );
}

/** Whether an address given to listen() only takes connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  const bare = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare) || bare === '::ffff:127.0.0.1';
}

/**
 * A server reachable from the network must not hand out the passwordless default user: listening
 * on anything but loopback needs a users file. Returns the start-up refusal, naming the variables.
 */
export function listenAddressProblem(
  config: Pick<ChdbServerConfig, 'CLICKHOUSE_HTTP_HOST' | 'CLICKHOUSE_USERS_FILE'>,
): string | undefined {
  if (isLoopbackHost(config.CLICKHOUSE_HTTP_HOST) || config.CLICKHOUSE_USERS_FILE) return undefined;
  return (
    `CLICKHOUSE_HTTP_HOST=${JSON.stringify(config.CLICKHOUSE_HTTP_HOST)} is not a loopback address and ` +
    'CLICKHOUSE_USERS_FILE is unset: the passwordless user default would be open to the network. ' +
    'Set CLICKHOUSE_USERS_FILE to a JSON users file whose users have passwords, or CLICKHOUSE_HTTP_HOST=127.0.0.1'
  );
}
