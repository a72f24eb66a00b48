import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ClickHouseError } from './clickhouse-error';
import { parseMultipartFields } from './multipart-form';
import type { HandlerContext, QueryRun } from './query-context';
import { QueryText, RequestBody, queryTooLarge } from './request-body';
import { parseRequestOptions, readCredentials, type RequestOptions } from './request-options';
import type { ResponseOutput } from './response-output';
import { checkAccess } from './sql-access';
import { INCOMPLETE, type StatementShape, analyzeStatement } from './sql-lexer';
import type { User } from './users';

/** How much of a body is searched for the end of an INSERT statement before the rest is taken as query text. */
const MAX_STATEMENT_SEARCH = 1024 * 1024;

export interface Statement {
  shape: StatementShape;
  /** The SQL the engine runs (for an INSERT with data: up to the format name). */
  sql: string;
  /** Inline INSERT data read so far. */
  head: Buffer;
}

/**
 * Who is asking (the user's credentials checked first) and what the URL and headers ask for. From
 * here on errors are answered compressed, and the answer carries the query id.
 */
export function authenticateRequest(
  ctx: HandlerContext,
  req: IncomingMessage,
  search: URLSearchParams,
  output: ResponseOutput,
  run: QueryRun,
): { user: User; options: RequestOptions } {
  const credentials = readCredentials(search, req.headers);
  const user = ctx.users.authenticate(credentials.user, credentials.password);
  output.compressErrors = true;
  const options = parseRequestOptions(search, req.headers);
  run.options = options;
  const queryId = options.queryId ?? randomUUID();
  output.headers['X-ClickHouse-Query-Id'] = queryId;
  refuseNativeCompression(options, search);
  return { user, options };
}

function refuseNativeCompression(options: RequestOptions, search: URLSearchParams): void {
  if (options.internalCompression || ['1', 'true'].includes(search.get('decompress') ?? '')) {
    throw ClickHouseError.of(
      'NOT_IMPLEMENTED',
      "ClickHouse's native block compression (compress=1, decompress=1) is not supported by this server; use HTTP compression (Content-Encoding, enable_http_compression=1 with Accept-Encoding)",
    );
  }
}

/**
 * Opens the request body and reads the statement from it (after a multipart form's fields, if the
 * body is one), holding no more than CHDB_MAX_QUERY_BYTES of query text; INSERT data stays in the body.
 */
export async function readRequestStatement(
  ctx: HandlerContext,
  req: IncomingMessage,
  options: RequestOptions,
  run: QueryRun,
): Promise<{ body: RequestBody; statement: Statement }> {
  const body = new RequestBody(req, ctx.maxBodyBytes, ctx.bodyIdleTimeoutMs);
  run.body = body;
  await readMultipartForm(req, body, options, ctx.maxQueryBytes);
  const statement = await readStatement(options.query, body, ctx.maxQueryBytes);
  run.kind = statement.shape.kind || 'UNKNOWN';
  return { body, statement };
}

/** A multipart/form-data body carries the query and parameters as fields; the URL's parameters win. */
async function readMultipartForm(
  req: IncomingMessage,
  body: RequestBody,
  options: RequestOptions,
  maxQueryBytes: number,
): Promise<void> {
  const contentType = String(req.headers['content-type'] ?? '');
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) return;
  const fields = parseMultipartFields(await body.rest(maxQueryBytes), contentType);
  for (const [name, value] of fields) {
    if (name === 'query') options.query = value;
    else if (name.startsWith('param_') && !(name.slice(6) in options.params)) options.params[name.slice(6)] = value;
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

/**
 * Refuses what this server never runs: an empty query, several statements, INTO OUTFILE, FROM INFILE,
 * and anything that reaches outside the database: files, other hosts, programs (ACCESS_DENIED).
 */
export function checkStatement(statement: Statement, options: RequestOptions): void {
  const { shape } = statement;
  if (!statement.sql.trim() && !shape.insert) throw ClickHouseError.of('SYNTAX_ERROR', 'Empty query');
  if (shape.multiStatement) throw ClickHouseError.of('SYNTAX_ERROR', 'Multi-statements are not allowed');
  if (shape.intoOutfile) throw ClickHouseError.of('INTO_OUTFILE_NOT_ALLOWED', 'INTO OUTFILE is not allowed');
  if (shape.fromInfile)
    throw ClickHouseError.of('UNKNOWN_TYPE_OF_QUERY', 'Query has infile and was send directly to server');
  checkAccess(statement.sql, { settings: options.settings, params: options.params });
}
