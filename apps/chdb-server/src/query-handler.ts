import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChdbQueryStream, ChdbResult, StreamChunk } from 'chdb';
import type { Logger } from '@social-pulse/observability';
import { ClickHouseError, toClickHouseError } from './clickhouse-error';
import type { EngineConnection, EnginePool } from './engine-pool';
import { contentTypeFor } from './formats';
import type { HttpSessions } from './http-sessions';
import type { ServerMetrics } from './metrics';
import { parseMultipartFields } from './multipart-form';
import { type FifoSupply, runPipedInsert } from './piped-insert';
import { type StreamMode, headerLength, streamModeFor } from './stream-formats';
import { QueryText, RequestBody, queryTooLarge } from './request-body';
import { parseRequestOptions, readCredentials, type RequestOptions } from './request-options';
import { ResponseOutput, chooseEncoding, emptySummary, type Summary } from './response-output';
import { RequestState, leavesConnectionState } from './session-state';
import { checkAccess } from './sql-access';
import { INCOMPLETE, type StatementShape, analyzeStatement } from './sql-lexer';
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

/** Statements whose result the engine can hand over block by block. */
const STREAMABLE = new Set(['SELECT', 'WITH', 'SHOW', 'DESCRIBE', 'DESC', 'EXPLAIN', 'EXISTS', '']);
/** How much of a body is searched for the end of an INSERT statement before the rest is taken as query text. */
const MAX_STATEMENT_SEARCH = 1024 * 1024;

interface Statement {
  shape: StatementShape;
  /** The SQL the engine runs (for an INSERT with data: up to the format name). */
  sql: string;
  /** Inline INSERT data read so far. */
  head: Buffer;
}

/** Serves one query request of ClickHouse's HTTP interface (GET or POST on `/`). */
export async function handleQuery(
  ctx: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const started = process.hrtime.bigint();
  const clientGone = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) clientGone.abort();
  });
  const search = url.searchParams;
  const settingValue = (name: string) => search.get(name);
  const encoding = ['1', 'true'].includes(settingValue('enable_http_compression') ?? '')
    ? chooseEncoding(req.headers['accept-encoding'])
    : undefined;
  const output = new ResponseOutput(res, encoding, Number(settingValue('http_zlib_compression_level') ?? 3) || 3);
  output.headers['X-ClickHouse-Server-Display-Name'] = ctx.displayName;
  output.headers['X-ClickHouse-Timezone'] = ctx.pool.info.timezone;

  let kind = 'UNKNOWN';
  let body: RequestBody | undefined;
  let release: (() => void) | undefined;
  let connection: EngineConnection | undefined;
  let options: RequestOptions | undefined;
  let stopOnGone: (() => void) | undefined;
  let requestState: RequestState | undefined;
  try {
    const credentials = readCredentials(search, req.headers);
    const user = ctx.users.authenticate(credentials.user, credentials.password);
    output.compressErrors = true;
    options = parseRequestOptions(search, req.headers);
    const queryId = options.queryId ?? randomUUID();
    output.headers['X-ClickHouse-Query-Id'] = queryId;
    if (options.internalCompression || ['1', 'true'].includes(search.get('decompress') ?? '')) {
      throw ClickHouseError.of(
        'NOT_IMPLEMENTED',
        "ClickHouse's native block compression (compress=1, decompress=1) is not supported by this server; use HTTP compression (Content-Encoding, enable_http_compression=1 with Accept-Encoding)",
      );
    }

    body = new RequestBody(req, ctx.maxBodyBytes, ctx.bodyIdleTimeoutMs);
    const contentType = String(req.headers['content-type'] ?? '');
    if (contentType.toLowerCase().startsWith('multipart/form-data')) {
      const fields = parseMultipartFields(await body.rest(ctx.maxQueryBytes), contentType);
      for (const [name, value] of fields) {
        if (name === 'query') options.query = value;
        else if (name.startsWith('param_') && !(name.slice(6) in options.params)) options.params[name.slice(6)] = value;
      }
    }
    const statement = await readStatement(options.query, body, ctx.maxQueryBytes);
    const { shape } = statement;
    kind = shape.kind || 'UNKNOWN';
    if (!statement.sql.trim() && !shape.insert) throw ClickHouseError.of('SYNTAX_ERROR', 'Empty query');
    if (shape.multiStatement) throw ClickHouseError.of('SYNTAX_ERROR', 'Multi-statements are not allowed');
    if (shape.intoOutfile) throw ClickHouseError.of('INTO_OUTFILE_NOT_ALLOWED', 'INTO OUTFILE is not allowed');
    if (shape.fromInfile)
      throw ClickHouseError.of('UNKNOWN_TYPE_OF_QUERY', 'Query has infile and was send directly to server');
    // Nothing reaches outside the database: files, other hosts, programs (ACCESS_DENIED otherwise).
    checkAccess(statement.sql, { settings: options.settings, params: options.params });

    // Step 1: a connection, the session's own or one from the pool (waiting in line if need be).
    const sessionId = options.sessionId;
    if (sessionId) {
      const timeout = ctx.sessions.timeoutSeconds(options.sessionTimeout);
      connection = await ctx.sessions.acquire(sessionId, user, timeout, options.sessionCheck);
      const closeSession = options.closeSession;
      release = () => ctx.sessions.release(sessionId, closeSession, () => requestState?.restore() ?? Promise.resolve());
    } else {
      const leased = await ctx.pool.acquire(clientGone.signal);
      connection = leased;
      release = () => ctx.pool.release(leased);
    }

    // A client that goes away cancels what runs for it: the engine stops at its next check.
    const held = connection;
    stopOnGone = () => void ctx.pool.kill(held);
    clientGone.signal.addEventListener('abort', stopOnGone, { once: true });

    // Step 2: the request's database, the user's profile and the URL's settings and parameters
    // (see session-state.ts: for this request only; a pooled connection left with state is replaced).
    if (!sessionId && leavesConnectionState(statement.sql)) connection.tainted = true;
    requestState = await RequestState.apply(connection, user, options, {
      isGet: req.method === 'GET',
      inSession: Boolean(sessionId),
      sql: statement.sql,
    });

    // Step 3: the statement itself, the way its kind needs.
    const defaultFormat = options.defaultFormat ?? 'TabSeparated';
    if (shape.insert) {
      const result = await runPipedInsert({
        pool: ctx.pool,
        connection,
        fifos: ctx.fifos,
        statement: statement.sql,
        shape: shape.insert,
        head: statement.head,
        body,
      });
      // rows read from the pipe are the rows the INSERT wrote (materialized views aside).
      const summary = summaryOf(result, started, { written: true });
      output.start(undefined, summary);
      await output.end();
    } else if (STREAMABLE.has(shape.kind) && streamModeFor(shape.outputFormat ?? defaultFormat)) {
      const format = shape.outputFormat ?? defaultFormat;
      output.headers['X-ClickHouse-Format'] = format;
      await streamResult({
        connection,
        sql: statement.sql,
        format: defaultFormat,
        mode: streamModeFor(format)!,
        contentType: contentTypeFor(format),
        output,
        waitEndOfQuery: options.waitEndOfQuery,
        clientGone: clientGone.signal,
        started,
      });
    } else {
      const result = await connection.session.queryAsync(statement.sql, { format: defaultFormat });
      const bytes = result.bytes();
      if (bytes.length > 0 || shape.outputFormat) {
        const format = shape.outputFormat ?? defaultFormat;
        output.headers['X-ClickHouse-Format'] = format;
        output.start(contentTypeFor(format), summaryOf(result, started, { resultBytes: bytes.length }));
      } else {
        output.start(undefined, summaryOf(result, started, { written: shape.kind === 'INSERT' }));
      }
      await output.write(bytes);
      await output.end();
    }
    ctx.metrics.queries.inc({ kind, outcome: 'ok' });
  } catch (thrown) {
    let error = clientGone.signal.aborted
      ? ClickHouseError.of('QUERY_WAS_CANCELLED', 'Query was cancelled')
      : toClickHouseError(thrown);
    if (
      error.type === 'READONLY' &&
      req.method === 'GET' &&
      /Cannot execute query in readonly mode/.test(error.message)
    ) {
      error = new ClickHouseError(
        error.code,
        error.type,
        'Cannot execute query in readonly mode. For queries over HTTP, method GET implies readonly. You should use method POST for modifying queries',
      );
    }
    if (connection && !options?.sessionId) connection.tainted = true;
    // A cancelled statement stays listed in system.processes until its connection runs another.
    if (connection && options?.sessionId) await connection.session.queryAsync('SELECT 1').catch(() => undefined);
    ctx.metrics.queries.inc({ kind, outcome: error.type });
    ctx.logger.debug({ kind, code: error.code, error: error.message }, 'query failed');
    if (!res.destroyed) {
      // A POST body left unread would be taken for the next request on a kept-alive connection.
      if (body && !body.ended) res.setHeader('Connection', 'close');
      await output.fail(error, ctx.pool.info.version);
    }
    await body?.discard().catch(() => undefined);
  } finally {
    if (stopOnGone) clientGone.signal.removeEventListener('abort', stopOnGone);
    release?.();
    ctx.metrics.duration.observe({ kind }, Number(process.hrtime.bigint() - started) / 1e9);
  }
}

/**
 * The text of the statement: the `query` parameter, a newline, and the body (ClickHouse's
 * rule). For `INSERT ... FORMAT name` only the statement is read; the data stays in the body.
 */
async function readStatement(queryParam: string, body: RequestBody, maxQueryBytes: number): Promise<Statement> {
  const text = new QueryText(maxQueryBytes, queryParam ? Buffer.from(`${queryParam}\n`) : undefined);
  while (true) {
    const buffered = text.bytes;
    // latin1 keeps one character per byte, so offsets found in the text are offsets in the bytes.
    if (body.ended || buffered.length <= MAX_STATEMENT_SEARCH || text.over) {
      const shape = analyzeStatement(buffered.toString('latin1'), body.ended);
      if (shape !== INCOMPLETE) {
        if (shape.insert && shape.insert.statementEnd <= maxQueryBytes) {
          return {
            shape,
            sql: buffered.subarray(0, shape.insert.statementEnd).toString('utf8'),
            head: buffered.subarray(shape.insert.dataStart),
          };
        }
        if (body.ended && !text.over) return { shape, sql: buffered.toString('utf8'), head: Buffer.alloc(0) };
      }
    }
    if (text.over) throw queryTooLarge(maxQueryBytes, text.length);
    const chunk = await body.next();
    if (chunk) text.append(chunk);
  }
}

/** Sends a result block by block as the engine produces it; a client that leaves cancels it. */
async function streamResult(run: {
  connection: EngineConnection;
  sql: string;
  format: string;
  mode: StreamMode;
  contentType: string;
  output: ResponseOutput;
  waitEndOfQuery: boolean;
  clientGone: AbortSignal;
  started: bigint;
}): Promise<void> {
  const { connection, sql, format, mode, contentType, output, waitEndOfQuery, clientGone, started } = run;
  let stream: ChdbQueryStream;
  try {
    stream = connection.session.queryStream(sql, { format });
  } catch (error) {
    // Some statements that look like reads cannot stream (the engine says so); run them whole.
    if (/Streaming query is not supported/.test(String((error as Error).message))) {
      const result = await connection.session.queryAsync(sql, { format });
      const bytes = result.bytes();
      output.start(contentType, summaryOf(result, started, { resultBytes: bytes.length }));
      await output.write(bytes);
      return output.end();
    }
    throw error;
  }
  // Cancelling a stream takes effect between blocks; the KILL that handleQuery sends stops a long block too.
  const onGone = () => stream.cancel();
  clientGone.addEventListener('abort', onGone, { once: true });
  const summary = emptySummary();
  const iterator = stream[Symbol.asyncIterator]();
  const held: Uint8Array[] = [];
  try {
    let next = await iterator.next();
    const count = (chunk: StreamChunk) => {
      summary.result_rows += chunk.numRows;
      summary.result_bytes += chunk.numBytes;
      summary.read_rows += chunk.numRows;
    };
    if (!waitEndOfQuery) {
      if (!next.done) count(next.value);
      summary.elapsed_ns = Number(process.hrtime.bigint() - started);
      output.start(contentType, summary);
    }
    let first = true;
    while (!next.done) {
      // Every block after the first repeats the format's header; keep only the first one.
      const raw = first ? next.value.raw() : next.value.raw().subarray(headerLength(next.value.raw(), mode));
      first = false;
      if (waitEndOfQuery) {
        count(next.value);
        held.push(raw);
      } else await output.write(raw);
      if (clientGone.aborted) throw ClickHouseError.of('QUERY_WAS_CANCELLED', 'Query was cancelled');
      next = await iterator.next();
      if (!waitEndOfQuery && !next.done) count(next.value);
    }
    if (waitEndOfQuery) {
      summary.elapsed_ns = Number(process.hrtime.bigint() - started);
      output.start(contentType, summary);
      for (const chunk of held) await output.write(chunk);
    }
    await output.end();
  } catch (error) {
    stream.cancel();
    throw unwrapStreamError(error);
  } finally {
    clientGone.removeEventListener('abort', onGone);
  }
}

/** chDB wraps a failed fetch in ChdbStreamError; the engine's own error is its cause. */
function unwrapStreamError(error: unknown): unknown {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error && /Code: \d+/.test(cause.message) ? cause : error;
}

function summaryOf(result: ChdbResult, started: bigint, extra: { written?: boolean; resultBytes?: number }): Summary {
  const summary = emptySummary();
  summary.read_rows = result.rowsRead;
  summary.read_bytes = result.bytesRead;
  if (extra.written) {
    summary.written_rows = result.rowsRead;
    summary.written_bytes = result.bytesRead;
  }
  summary.result_bytes = extra.resultBytes ?? 0;
  summary.elapsed_ns = Number(process.hrtime.bigint() - started);
  return summary;
}
