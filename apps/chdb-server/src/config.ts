import { join } from 'node:path';
import { env, loadConfig } from '@social-pulse/config';
import { DEFAULT_PORTS } from '@social-pulse/shared';

const repoRoot = join(__dirname, '..', '..', '..');

/** Every environment variable the chDB server reads, with its one-machine default; parsed once at start. */
export const chdbServerConfigShape = {
  /** production refuses the one-machine defaults below that would be unsafe on a network. */
  NODE_ENV: env.nodeEnv(),
  CLICKHOUSE_HTTP_HOST: env.text('127.0.0.1'),
  CLICKHOUSE_HTTP_PORT: env.port(DEFAULT_PORTS.clickhouseHttp),
  /** The one data directory this process owns; no other process may open it while it runs. */
  CHDB_DATA_DIR: env.text(join(repoRoot, '.pulse', 'data', 'clickhouse')),
  /** Engine connections, i.e. statements that run at the same time; more wait in line. */
  CHDB_POOL_SIZE: env.positiveInt(8),
  /** Requests allowed to wait for a connection before new ones are refused (TOO_MANY_SIMULTANEOUS_QUERIES). */
  CHDB_MAX_QUEUED: env.positiveInt(1000),
  /** Largest request body accepted, after decompression. */
  CHDB_MAX_BODY_BYTES: env.positiveInt(1024 * 1024 * 1024),
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
