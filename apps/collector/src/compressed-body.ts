import type { FastifyInstance } from 'fastify';
import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import { ingestMetrics } from './services/ingest.metrics';

/**
 * Accepts gzip and deflate request bodies (the SDK gzips large batches). The body limit then
 * applies to the decompressed bytes, so a small compressed bomb is refused with 413 like any
 * large body; a corrupt stream is a 400.
 */
export function acceptCompressedBodies(fastify: FastifyInstance): void {
  fastify.addHook('preParsing', async (request, _reply, payload) => {
    const encoding = String(request.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding === 'identity') return payload;
    if (encoding !== 'gzip' && encoding !== 'deflate') {
      throw Object.assign(new Error(`unsupported Content-Encoding "${encoding}"; send gzip, deflate or none`), {
        statusCode: 415,
      });
    }
    const inflate = encoding === 'gzip' ? createGunzip() : createInflate();
    ingestMetrics.inflatedBodies.inc({ encoding });
    // Fastify checks Content-Length against what it read: tell it the encoded byte count.
    const decoded = inflate as unknown as Readable & { receivedEncodedLength: number };
    decoded.receivedEncodedLength = 0;
    payload.on('data', (chunk: Buffer) => (decoded.receivedEncodedLength += chunk.length));
    payload.on('error', (error) => inflate.destroy(error));
    inflate.on('error', (error: Error & { statusCode?: number }) => {
      error.statusCode ??= 400;
      error.message = `request body is not valid ${encoding}: ${error.message}`;
    });
    return payload.pipe(inflate);
  });
}
