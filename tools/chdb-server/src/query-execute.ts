import type { EngineConnection } from './engine-pool';
import { contentTypeFor } from './formats';
import { runPipedInsert } from './piped-insert';
import type { HandlerContext } from './query-context';
import type { Statement } from './query-request';
import { summaryOf } from './query-summary';
import type { RequestBody } from './request-body';
import type { RequestOptions } from './request-options';
import type { ResponseOutput } from './response-output';
import type { InsertShape } from './sql-lexer';
import { streamModeFor } from './stream-formats';
import { streamSelectResult } from './streamed-select';

/** Statements whose result the engine can hand over block by block. */
const STREAMABLE = new Set(['SELECT', 'WITH', 'SHOW', 'DESCRIBE', 'DESC', 'EXPLAIN', 'EXISTS', '']);

/** A checked statement on a leased connection with its request state applied, and where its answer goes. */
export interface Execution {
  ctx: HandlerContext;
  connection: EngineConnection;
  statement: Statement;
  options: RequestOptions;
  body: RequestBody;
  output: ResponseOutput;
  clientGone: AbortSignal;
  started: bigint;
}

/**
 * Step 3: the statement itself, the way its kind needs: an INSERT with data piped from the body, a
 * read in a streamable format block by block, anything else run whole.
 */
export async function executeStatement(execution: Execution): Promise<void> {
  const { shape } = execution.statement;
  const defaultFormat = execution.options.defaultFormat ?? 'TabSeparated';
  if (shape.insert) return runPipedInsertStatement(execution, shape.insert);
  const format = shape.outputFormat ?? defaultFormat;
  const mode = STREAMABLE.has(shape.kind) ? streamModeFor(format) : undefined;
  if (mode) {
    const { connection, statement, options, output, clientGone, started } = execution;
    output.headers['X-ClickHouse-Format'] = format;
    return streamSelectResult({
      connection,
      sql: statement.sql,
      format: defaultFormat,
      mode,
      contentType: contentTypeFor(format),
      output,
      waitEndOfQuery: options.waitEndOfQuery,
      clientGone,
      started,
    });
  }
  return runWholeStatement(execution, defaultFormat);
}

/** INSERT ... FORMAT: the engine reads the data from a pipe fed by the request body (see piped-insert.ts). */
async function runPipedInsertStatement(execution: Execution, insert: InsertShape): Promise<void> {
  const { ctx, connection, statement, body, output, started } = execution;
  const result = await runPipedInsert({
    pool: ctx.pool,
    connection,
    fifos: ctx.fifos,
    statement: statement.sql,
    shape: insert,
    head: statement.head,
    body,
  });
  // rows read from the pipe are the rows the INSERT wrote (materialized views aside).
  const summary = summaryOf(result, started, { written: true });
  output.start(undefined, summary);
  await output.end();
}

/** A command, or a read in a whole-document format: run to the end, then answered in one piece. */
async function runWholeStatement(execution: Execution, defaultFormat: string): Promise<void> {
  const { connection, statement, output, started } = execution;
  const { shape } = statement;
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
