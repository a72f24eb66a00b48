import type { IncomingMessage } from 'node:http';
import type { EngineConnection } from './engine-pool';
import type { HandlerContext, QueryRun } from './query-context';
import type { Statement } from './query-request';
import type { RequestOptions } from './request-options';
import { RequestState, leavesConnectionState } from './session-state';
import type { User } from './users';

/**
 * Step 1: a connection, the session's own or one from the pool (waiting in line if need be). From
 * then on a client that goes away cancels what runs for it: the engine stops at its next check.
 */
export async function leaseConnection(
  ctx: HandlerContext,
  user: User,
  options: RequestOptions,
  clientGone: AbortSignal,
  run: QueryRun,
): Promise<EngineConnection> {
  const connection = options.sessionId
    ? await leaseSessionConnection(ctx, user, options, options.sessionId, run)
    : await leasePooledConnection(ctx, clientGone, run);
  run.stopOnGone = () => void ctx.pool.kill(connection);
  clientGone.addEventListener('abort', run.stopOnGone, { once: true });
  return connection;
}

/** The session's own connection; released, it first undoes this request's state (see applyRequestPrelude). */
async function leaseSessionConnection(
  ctx: HandlerContext,
  user: User,
  options: RequestOptions,
  sessionId: string,
  run: QueryRun,
): Promise<EngineConnection> {
  const timeout = ctx.sessions.timeoutSeconds(options.sessionTimeout);
  const connection = await ctx.sessions.acquire(sessionId, user, timeout, options.sessionCheck);
  run.connection = connection;
  const closeSession = options.closeSession;
  run.release = () =>
    ctx.sessions.release(sessionId, closeSession, () => run.requestState?.restore() ?? Promise.resolve());
  return connection;
}

/** A connection from the pool, waiting in line for one unless the client goes away first. */
async function leasePooledConnection(
  ctx: HandlerContext,
  clientGone: AbortSignal,
  run: QueryRun,
): Promise<EngineConnection> {
  const leased = await ctx.pool.acquire(clientGone);
  run.connection = leased;
  run.release = () => ctx.pool.release(leased);
  return leased;
}

/**
 * Step 2: the request's database, the user's profile and the URL's settings and parameters
 * (see session-state.ts: for this request only; a pooled connection left with state is replaced).
 */
export async function applyRequestPrelude(
  connection: EngineConnection,
  user: User,
  options: RequestOptions,
  req: IncomingMessage,
  statement: Statement,
  run: QueryRun,
): Promise<void> {
  const sessionId = options.sessionId;
  if (!sessionId && leavesConnectionState(statement.sql)) connection.tainted = true;
  run.requestState = await RequestState.apply(connection, user, options, {
    isGet: req.method === 'GET',
    inSession: Boolean(sessionId),
    sql: statement.sql,
  });
}
