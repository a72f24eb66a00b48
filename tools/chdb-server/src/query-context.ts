import type { Logger } from '@social-pulse/observability';
import type { EngineConnection, EnginePool } from './engine-pool';
import type { HttpSessions } from './http-sessions';
import type { ServerMetrics } from './metrics';
import type { FifoSupply } from './piped-insert';
import type { RequestBody } from './request-body';
import type { RequestOptions } from './request-options';
import type { RequestState } from './session-state';
import type { UserDirectory } from './users';

export interface HandlerContext {
  pool: EnginePool;
  sessions: HttpSessions;
  users: UserDirectory;
  fifos: FifoSupply;
  logger: Logger;
  metrics: ServerMetrics;
  maxBodyBytes: number;
  /** Query text held before anything runs (CHDB_MAX_QUERY_BYTES); only INSERT data may go past it. */
  maxQueryBytes: number;
  /** Longest stall between two chunks of a body (CHDB_BODY_IDLE_TIMEOUT_MS). */
  bodyIdleTimeoutMs: number;
  displayName: string;
}

/**
 * What one query request has taken on so far, filled in step by step as it gets that far. The
 * failure answer and the final cleanup of handleQuery read it: the kind that labels the metrics,
 * the body to drain, the connection to taint, and the lease and cancel hook to give back.
 */
export interface QueryRun {
  /** The statement's kind (`SELECT`, `INSERT`, ...); `UNKNOWN` until the statement is read. */
  kind: string;
  options?: RequestOptions;
  body?: RequestBody;
  connection?: EngineConnection;
  /** Gives the connection back: to its session, or to the pool. */
  release?: () => void;
  /** Kills the running statement when the client goes away. */
  stopOnGone?: () => void;
  /** The request's database, profile and settings, undone when a session's connection is released. */
  requestState?: RequestState;
}
