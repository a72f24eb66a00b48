import type { IncomingMessage, ServerResponse } from 'node:http';
import { ClickHouseError, toClickHouseError } from './clickhouse-error';
import type { HandlerContext, QueryRun } from './query-context';
import type { ResponseOutput } from './response-output';

/**
 * Answers a request that failed at any step with ClickHouse's error, after leaving its connection
 * fit for the next statement, and drains what is left of its body.
 */
export async function answerQueryFailure(
  ctx: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  output: ResponseOutput,
  clientGone: AbortSignal,
  run: QueryRun,
  thrown: unknown,
): Promise<void> {
  const { kind, options, connection, body } = run;
  const error = explainReadonlyGet(
    clientGone.aborted ? ClickHouseError.of('QUERY_WAS_CANCELLED', 'Query was cancelled') : toClickHouseError(thrown),
    req.method,
  );
  if (connection && !options?.sessionId) connection.tainted = true;
  // A cancelled statement stays listed in system.processes until its connection runs another, and
  // a failed one's rows made before the error would lead the session's next result.
  if (connection && options?.sessionId) await connection.session.queryAsync('SELECT 1').catch(() => undefined);
  ctx.metrics.queries.inc({ kind, outcome: error.type });
  ctx.logger.debug({ kind, code: error.code, error: error.message }, 'query failed');
  if (!res.destroyed) {
    // A POST body left unread would be taken for the next request on a kept-alive connection.
    if (body && !body.ended) res.setHeader('Connection', 'close');
    await output.fail(error, ctx.pool.info.version);
  }
  await body?.discard().catch(() => undefined);
}

/** ClickHouse's wording when a GET, read-only by its method, tries to modify. */
function explainReadonlyGet(error: ClickHouseError, method: string | undefined): ClickHouseError {
  if (error.type === 'READONLY' && method === 'GET' && /Cannot execute query in readonly mode/.test(error.message)) {
    return new ClickHouseError(
      error.code,
      error.type,
      'Cannot execute query in readonly mode. For queries over HTTP, method GET implies readonly. You should use method POST for modifying queries',
    );
  }
  return error;
}
