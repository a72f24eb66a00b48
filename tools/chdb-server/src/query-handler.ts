import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HandlerContext, QueryRun } from './query-context';
import { executeStatement } from './query-execute';
import { answerQueryFailure } from './query-failure';
import { applyRequestPrelude, leaseConnection } from './query-lease';
import { authenticateRequest, checkStatement, readRequestStatement } from './query-request';
import { ResponseOutput, chooseEncoding } from './response-output';

export type { HandlerContext } from './query-context';

/**
 * Serves one query request of ClickHouse's HTTP interface (GET or POST on `/`), in steps:
 * authenticate and read the statement (query-request.ts), lease a connection and apply the
 * request's state to it (query-lease.ts), run the statement the way its kind needs
 * (query-execute.ts, streamed-select.ts), and on any failure answer ClickHouse's error (query-failure.ts).
 */
export async function handleQuery(
  ctx: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const started = process.hrtime.bigint();
  const clientGone = abortWhenClientLeaves(res);
  const search = url.searchParams;
  const output = openResponseOutput(ctx, req, res, search);
  const run: QueryRun = { kind: 'UNKNOWN' };
  try {
    const { user, options } = authenticateRequest(ctx, req, search, output, run);
    const { body, statement } = await readRequestStatement(ctx, req, options, run);
    checkStatement(statement, options);
    const connection = await leaseConnection(ctx, user, options, clientGone.signal, run);
    await applyRequestPrelude(connection, user, options, req, statement, run);
    await executeStatement({
      ctx,
      connection,
      statement,
      options,
      body,
      output,
      clientGone: clientGone.signal,
      started,
    });
    ctx.metrics.queries.inc({ kind: run.kind, outcome: 'ok' });
  } catch (thrown) {
    await answerQueryFailure(ctx, req, res, output, clientGone.signal, run, thrown);
  } finally {
    if (run.stopOnGone) clientGone.signal.removeEventListener('abort', run.stopOnGone);
    run.release?.();
    ctx.metrics.duration.observe({ kind: run.kind }, Number(process.hrtime.bigint() - started) / 1e9);
  }
}

/** Aborts when the response closes before it was finished: the client went away. */
function abortWhenClientLeaves(res: ServerResponse): AbortController {
  const clientGone = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) clientGone.abort();
  });
  return clientGone;
}

/** The answer's writer: HTTP compression if the URL enables it and the client accepts one, and the server's headers. */
function openResponseOutput(
  ctx: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  search: URLSearchParams,
): ResponseOutput {
  const settingValue = (name: string) => search.get(name);
  const encoding = ['1', 'true'].includes(settingValue('enable_http_compression') ?? '')
    ? chooseEncoding(req.headers['accept-encoding'])
    : undefined;
  const output = new ResponseOutput(res, encoding, Number(settingValue('http_zlib_compression_level') ?? 3) || 3);
  output.headers['X-ClickHouse-Server-Display-Name'] = ctx.displayName;
  output.headers['X-ClickHouse-Timezone'] = ctx.pool.info.timezone;
  return output;
}
