import type { IncomingMessage } from 'node:http';
import { pipeline, type Readable, type Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { ClickHouseError } from './clickhouse-error';

/**
 * The request body as it arrives, decompressed per Content-Encoding and counted against the
 * size limit, pulled chunk by chunk so a large INSERT flows to the engine without being held.
 */
export class RequestBody {
  private readonly iterator: AsyncIterator<Buffer>;
  private bytes = 0;
  /** Set once the client stalled past the idle timeout: every later read fails the same way. */
  private stalled: ClickHouseError | undefined;
  /** A read still waiting for the client (one the idle timeout gave up on). */
  private pending: Promise<unknown> | undefined;
  ended = false;

  /**
   * `idleTimeoutMs`: the longest wait for the next chunk. A client that stalls longer is
   * disconnected and reading fails with SOCKET_TIMEOUT, so it cannot hold an engine connection.
   */
  constructor(
    private readonly req: IncomingMessage,
    private readonly maxBytes: number,
    private readonly idleTimeoutMs = 0,
  ) {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
    const stream = decompress(req, String(req.headers['content-encoding'] ?? ''));
    this.iterator = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }

  get bytesRead(): number {
    return this.bytes;
  }

  /** The next chunk, or null at the end of the body. */
  async next(): Promise<Buffer | null> {
    if (this.ended) return null;
    if (this.stalled) throw this.stalled;
    let result: IteratorResult<Buffer>;
    let timer: NodeJS.Timeout | undefined;
    try {
      const next = this.iterator.next();
      if (this.idleTimeoutMs > 0) {
        this.pending = next.then(
          () => (this.pending = undefined),
          () => (this.pending = undefined),
        );
        const stalled = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(socketTimeout(this.idleTimeoutMs)), this.idleTimeoutMs);
        });
        result = await Promise.race([next, stalled]);
      } else result = await next;
    } catch (error) {
      if (error instanceof ClickHouseError) {
        // Nothing more will be read; the caller answers (Connection: close) and discards the rest.
        this.stalled = error;
        throw error;
      }
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code.startsWith('Z_') || code.startsWith('ERR_BROTLI') || code.startsWith('ERR__')) {
        throw ClickHouseError.of(
          'CANNOT_DECOMPRESS',
          `Cannot decompress the request body: ${(error as Error).message}`,
        );
      }
      throw ClickHouseError.of('NETWORK_ERROR', `Cannot read the request body: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
    if (result.done) {
      this.ended = true;
      return null;
    }
    this.bytes += result.value.length;
    if (this.bytes > this.maxBytes) throw tooLarge(this.maxBytes);
    return result.value;
  }

  /**
   * Reads what is left into one buffer (a query text or form, not insert data), refusing more
   * than `maxQueryBytes` as ClickHouse refuses a query over max_query_size.
   */
  async rest(maxQueryBytes = this.maxBytes): Promise<Buffer> {
    const text = new QueryText(maxQueryBytes);
    for (let chunk = await this.next(); chunk; chunk = await this.next()) text.append(chunk);
    text.check();
    return text.bytes;
  }

  /** Stops reading; used when the request already failed. */
  async discard(): Promise<void> {
    this.ended = true;
    // The iterator would only return after the read it is waiting on, which a stalled client never
    // completes: drop the client instead (its answer has been written), which ends that read.
    if (this.pending) {
      this.req.destroy();
      return;
    }
    await this.iterator.return?.();
  }
}

/**
 * A query text as it arrives: appended chunk by chunk in amortised linear time (the capacity
 * doubles), and bounded: it holds at most `maxBytes` plus the one chunk that crossed the limit
 * (so the caller can still see whether that chunk completed an INSERT's statement); appending
 * past that throws what ClickHouse answers past max_query_size, as does `check()`.
 */
export class QueryText {
  private buffer: Buffer;
  private used = 0;

  constructor(
    readonly maxBytes: number,
    initial?: Buffer,
  ) {
    this.buffer = Buffer.allocUnsafe(Math.min(maxBytes, Math.max(initial?.length ?? 0, 16 * 1024)));
    if (initial) this.append(initial);
  }

  get length(): number {
    return this.used;
  }

  /** Whether more than `maxBytes` arrived. */
  get over(): boolean {
    return this.used > this.maxBytes;
  }

  /** What was appended so far (a view, valid until the next append). */
  get bytes(): Buffer {
    return this.buffer.subarray(0, this.used);
  }

  append(chunk: Buffer): void {
    this.check();
    const needed = this.used + chunk.length;
    if (needed > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, Math.min(this.maxBytes, this.buffer.length * 2)));
      this.buffer.copy(grown, 0, 0, this.used);
      this.buffer = grown;
    }
    chunk.copy(this.buffer, this.used);
    this.used = needed;
  }

  /** Throws if more than `maxBytes` arrived. */
  check(): void {
    if (this.over) throw queryTooLarge(this.maxBytes, this.used);
  }
}

/** ClickHouse: `Syntax error: ... Max query size exceeded` (Code 62, HTTP 400) for a query over max_query_size. */
export function queryTooLarge(maxBytes: number, atLeast: number): ClickHouseError {
  return ClickHouseError.of(
    'SYNTAX_ERROR',
    `Max query size exceeded: the query text is at least ${atLeast} bytes, more than ${maxBytes}, ` +
      'the limit this server is configured with (CHDB_MAX_QUERY_BYTES)',
  );
}

/** ClickHouse's answer to a client that stops sending: SOCKET_TIMEOUT (209). */
function socketTimeout(idleTimeoutMs: number): ClickHouseError {
  return new ClickHouseError(
    209,
    'SOCKET_TIMEOUT',
    `Timeout exceeded while reading from socket: no part of the request body arrived for ${idleTimeoutMs} ms (CHDB_BODY_IDLE_TIMEOUT_MS)`,
  );
}

function tooLarge(maxBytes: number): ClickHouseError {
  return ClickHouseError.of(
    'QUERY_IS_TOO_LARGE',
    `Request body is larger than ${maxBytes} bytes, the limit this server is configured with (CHDB_MAX_BODY_BYTES)`,
  );
}

function decompress(req: IncomingMessage, encoding: string): Readable {
  switch (encoding.trim().toLowerCase()) {
    case '':
    case 'identity':
    case 'none':
      return req;
    case 'gzip':
    case 'x-gzip':
      return through(req, createGunzip());
    case 'deflate':
      return through(req, createInflate());
    case 'br':
      return through(req, createBrotliDecompress());
    case 'zstd':
    case 'lz4':
    case 'xz':
    case 'bz2':
    case 'snappy':
      throw ClickHouseError.of(
        'NOT_IMPLEMENTED',
        `Compression method '${encoding}' is not supported by this server; use gzip, deflate or br`,
      );
    default:
      throw ClickHouseError.of(
        'NOT_IMPLEMENTED',
        `Unknown compression method '${encoding}'. Only 'auto', 'none', 'gzip', 'deflate', 'br', 'xz', 'zstd', 'lz4', 'bz2', 'snappy' are supported as compression methods`,
      );
  }
}

/** A client that goes away mid-body must fail the decompressor too, or reading would hang. */
function through(req: IncomingMessage, transform: Transform): Readable {
  return pipeline(req, transform, () => undefined);
}
