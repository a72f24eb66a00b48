import type { ChdbQueryStream } from 'chdb';
import { ClickHouseError } from './clickhouse-error';
import type { EngineConnection } from './engine-pool';
import { summaryOf } from './query-summary';
import { type ResponseOutput, emptySummary } from './response-output';
import { type StreamMode, headerLength } from './stream-formats';

/** Sends a result block by block as the engine produces it; a client that leaves cancels it. */
export async function streamSelectResult(run: {
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
  // Cancelling a stream takes effect between blocks; the KILL sent when the client goes (see
  // leaseConnection in query-lease.ts) stops a long block too.
  const onGone = () => stream.cancel();
  clientGone.addEventListener('abort', onGone, { once: true });
  const summary = emptySummary();
  const iterator = stream[Symbol.asyncIterator]();
  // Blocks not sent yet: the first one until the second shows whether there is more (a one-block
  // result goes out in one write with its length, the common small answer), or every block
  // with wait_end_of_query.
  const held: Uint8Array[] = [];
  const send = async (chunks: Uint8Array[]) => {
    for (const chunk of chunks.splice(0)) await output.write(chunk);
  };
  try {
    let next = await iterator.next();
    let first = true;
    while (!next.done) {
      summary.result_rows += next.value.numRows;
      summary.result_bytes += next.value.numBytes;
      summary.read_rows += next.value.numRows;
      // Every block after the first repeats the format's header; keep only the first one.
      const raw = first ? next.value.raw() : next.value.raw().subarray(headerLength(next.value.raw(), mode));
      first = false;
      // The engine makes the next block while this one is written.
      const upcoming = iterator.next();
      upcoming.catch(() => undefined);
      held.push(raw);
      if (!waitEndOfQuery && (output.headersSent || held.length > 1)) {
        if (!output.headersSent) {
          summary.elapsed_ns = Number(process.hrtime.bigint() - started);
          output.start(contentType, summary);
        }
        await send(held);
      }
      if (clientGone.aborted) throw ClickHouseError.of('QUERY_WAS_CANCELLED', 'Query was cancelled');
      next = await upcoming;
    }
    summary.elapsed_ns = Number(process.hrtime.bigint() - started);
    if (!output.headersSent) return await output.whole(contentType, summary, held);
    await send(held);
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
