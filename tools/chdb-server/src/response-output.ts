import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import {
  brotliCompressSync,
  constants,
  createBrotliCompress,
  createDeflate,
  createGzip,
  deflateSync,
  gzipSync,
  type Gzip,
} from 'node:zlib';
import { type ClickHouseError, httpStatusFor } from './clickhouse-error';

/**
 * The counters of X-ClickHouse-Summary; ClickHouse sends every value as a string. A type alias, not an
 * interface, so that it is indexable as `Record<string, number>` and Object.entries types its values.
 */
export type Summary = {
  read_rows: number;
  read_bytes: number;
  written_rows: number;
  written_bytes: number;
  total_rows_to_read: number;
  result_rows: number;
  result_bytes: number;
  elapsed_ns: number;
};

export const emptySummary = (): Summary => ({
  read_rows: 0,
  read_bytes: 0,
  written_rows: 0,
  written_bytes: 0,
  total_rows_to_read: 0,
  result_rows: 0,
  result_bytes: 0,
  elapsed_ns: 0,
});

export const summaryHeader = (summary: Summary) =>
  JSON.stringify(Object.fromEntries(Object.entries<number>(summary).map(([k, v]) => [k, String(Math.round(v))])));

type Encoding = 'gzip' | 'deflate' | 'br';

/** Picks a response encoding the client accepts, in ClickHouse's order of preference among those Node has. */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding | undefined {
  const accepted = (acceptEncoding ?? '').toLowerCase();
  if (/\bbr\b/.test(accepted)) return 'br';
  if (/\bgzip\b/.test(accepted)) return 'gzip';
  if (/\bdeflate\b/.test(accepted)) return 'deflate';
  return undefined;
}

const EXCEPTION_MARKER = '__exception__';

/**
 * The response of one query: headers sent once, with the first bytes (or at the end), body
 * possibly compressed, and an error after the headers written in-band the way ClickHouse
 * 25.11+ does (a tagged `__exception__` block that clients look for).
 */
export class ResponseOutput {
  private readonly exceptionTag = randomBytes(8).toString('hex');
  private compressor?: Gzip;
  private started = false;
  /** Set once the user is known: from then on ClickHouse sends errors through the compressed stream too. */
  compressErrors = false;
  readonly headers: Record<string, string> = {};

  constructor(
    private readonly res: ServerResponse,
    private readonly encoding: Encoding | undefined,
    private readonly compressionLevel: number,
  ) {}

  get headersSent(): boolean {
    return this.started;
  }

  /** Sends status 200 and the headers; the body follows through write(). */
  start(contentType: string | undefined, summary: Summary): void {
    if (this.started) return;
    this.started = true;
    const headers: Record<string, string> = {
      ...this.headers,
      'X-ClickHouse-Summary': summaryHeader(summary),
      'X-ClickHouse-Exception-Tag': this.exceptionTag,
    };
    // ClickHouse answers text/plain unless the result has a format of its own.
    headers['Content-Type'] = contentType ?? 'text/plain; charset=UTF-8';
    if (this.encoding) headers['Content-Encoding'] = this.encoding;
    this.res.writeHead(200, headers);
    if (this.encoding) {
      const level = Math.min(9, Math.max(1, this.compressionLevel));
      const compressor =
        this.encoding === 'gzip'
          ? createGzip({ level })
          : this.encoding === 'deflate'
            ? createDeflate({ level })
            : createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: level } });
      this.compressor = compressor;
      this.compressor.pipe(this.res);
    }
  }

  /**
   * A whole answer known before anything was sent: uncompressed, it goes out in one write with
   * its Content-Length rather than in chunks.
   */
  async whole(contentType: string, summary: Summary, chunks: Uint8Array[]): Promise<void> {
    if (this.encoding) {
      this.start(contentType, summary);
      for (const chunk of chunks) await this.write(chunk);
      return this.end();
    }
    const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    this.headers['Content-Length'] = String(body.length);
    this.start(contentType, summary);
    return new Promise((resolve) => this.res.end(body, resolve));
  }

  /** Writes body bytes; resolves when the socket can take more (backpressure). */
  async write(chunk: Uint8Array): Promise<void> {
    if (chunk.length === 0) return;
    const target = this.compressor ?? this.res;
    if (!target.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          target.off('drain', done);
          this.res.off('close', done);
          resolve();
        };
        target.once('drain', done);
        this.res.once('close', done);
      });
    }
  }

  end(): Promise<void> {
    return new Promise((resolve) => {
      if (this.compressor) {
        this.res.once('finish', resolve);
        this.res.once('close', resolve);
        this.compressor.end();
      } else this.res.end(resolve);
    });
  }

  /** Reports an error: as a whole response before the headers, in-band after them. */
  async fail(error: ClickHouseError, version: string): Promise<void> {
    const text = error.format(version);
    if (!this.started) {
      const headers: Record<string, string> = {
        ...this.headers,
        'Content-Type': 'text/plain; charset=UTF-8',
        'X-ClickHouse-Exception-Code': String(error.code),
      };
      let body = Buffer.from(`${text}\n`);
      if (this.encoding && this.compressErrors) {
        headers['Content-Encoding'] = this.encoding;
        body =
          this.encoding === 'gzip'
            ? gzipSync(body)
            : this.encoding === 'deflate'
              ? deflateSync(body)
              : brotliCompressSync(body);
      }
      this.res.writeHead(httpStatusFor(error), headers);
      this.res.end(body);
      return;
    }
    const message = `${text}\n`;
    const block = `\r\n${EXCEPTION_MARKER}\r\n${this.exceptionTag}\n${message}${Buffer.byteLength(message)} ${this.exceptionTag}\r\n${EXCEPTION_MARKER}\r\n`;
    await this.write(Buffer.from(block));
    await this.end();
  }
}
