import { ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { COLLECTOR_CONFIG, originsOf, type CollectorConfig, type WriteKey } from '../config';

/** The write key a request was authorised with, for the per-key rate limit, and whether it is the canary's. */
export type KeyedRequest = FastifyRequest & { writeKey?: string; canary?: boolean };

/**
 * Only holders of a write key may post events. The key comes in the X-Write-Key header, as the
 * user of HTTP Basic auth, or as `write_key` in the query or the JSON body (sendBeacon cannot set
 * headers). A browser request (one with an Origin) must come from an origin the key allows.
 * Called from the request gate (request-gate.ts): before the body is read when the key is outside it.
 */
@Injectable()
export class WriteKeyGuard {
  private readonly keys: { buffer: Buffer; key: WriteKey; origins: string[]; canary: boolean }[];

  constructor(@Inject(COLLECTOR_CONFIG) config: CollectorConfig) {
    const canary: WriteKey = { key: config.COLLECTOR_CANARY_WRITE_KEY };
    this.keys = [...config.COLLECTOR_WRITE_KEYS, canary].map((key) => ({
      buffer: Buffer.from(key.key),
      key,
      origins: originsOf(config, key),
      canary: key === canary,
    }));
  }

  /** Checks the key given with a request and records it on the request; throws 401 or 403. */
  authorize(request: KeyedRequest, key: string | undefined): void {
    if (!key) throw new UnauthorizedException('missing write key: send X-Write-Key');
    const given = Buffer.from(key);
    const known = this.keys.find(({ buffer }) => buffer.length === given.length && timingSafeEqual(buffer, given));
    if (!known) throw new UnauthorizedException('unknown write key');
    const origin = request.headers.origin;
    if (origin && !known.origins.includes('*') && !known.origins.includes(origin)) {
      throw new ForbiddenException(`origin ${origin.slice(0, 200)} may not post with this write key`);
    }
    request.writeKey = known.key.key;
    request.canary = known.canary;
  }
}

/** The key in the X-Write-Key header, HTTP Basic auth or the query; these win over one in the body. */
export function writeKeyOutsideBody(request: FastifyRequest): string | undefined {
  const header = request.headers['x-write-key'];
  if (typeof header === 'string' && header) return header;
  const auth = request.headers.authorization;
  if (auth?.startsWith('Basic ')) return Buffer.from(auth.slice(6), 'base64').toString().split(':')[0];
  const query = (request.query as Record<string, unknown> | undefined)?.write_key;
  return typeof query === 'string' && query ? query : undefined;
}

/** The `write_key` field of a parsed JSON body (sendBeacon-style clients). */
export function writeKeyInBody(body: unknown): string | undefined {
  const inBody =
    body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>).write_key : undefined;
  return typeof inBody === 'string' && inBody ? inBody : undefined;
}
