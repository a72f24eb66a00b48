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
  ended = false;

  constructor(
    req: IncomingMessage,
    private readonly maxBytes: number,
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
    let result: IteratorResult<Buffer>;
    try {
      result = await this.iterator.next();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code.startsWith('Z_') || code.startsWith('ERR_BROTLI') || code.startsWith('ERR__')) {
        throw ClickHouseError.of(
          'CANNOT_DECOMPRESS',
          `Cannot decompress the request body: ${(error as Error).message}`,
        );
      }
      throw ClickHouseError.of('NETWORK_ERROR', `Cannot read the request body: ${(error as Error).message}`);
    }
    if (result.done) {
      this.ended = true;
      return null;
    }
    this.bytes += result.value.length;
    if (this.bytes > this.maxBytes) throw tooLarge(this.maxBytes);
    return result.value;
  }

  /** Reads what is left into one buffer (a query text, not insert data). */
  async rest(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for (let chunk = await this.next(); chunk; chunk = await this.next()) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  /** Stops reading; used when the request already failed. */
  async discard(): Promise<void> {
    this.ended = true;
    await this.iterator.return?.();
  }
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
