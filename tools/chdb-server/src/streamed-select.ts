import type { ChdbQueryStream, StreamChunk } from 'chdb';
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
