import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { COLLECTOR_CONFIG, type CollectorConfig } from '../config';

/**
 * Only holders of a write key may post events. The key comes in the X-Write-Key header, as the
 * user of HTTP Basic auth, or as `write_key` in the query (sendBeacon cannot set headers).
 */
@Injectable()
export class WriteKeyGuard implements CanActivate {
  private readonly keys: Buffer[];

  constructor(@Inject(COLLECTOR_CONFIG) config: CollectorConfig) {
    this.keys = config.COLLECTOR_WRITE_KEYS.map((key) => Buffer.from(key));
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const key = writeKeyOf(request);
    if (!key) throw new UnauthorizedException('missing write key: send X-Write-Key');
    const given = Buffer.from(key);
    if (!this.keys.some((known) => known.length === given.length && timingSafeEqual(known, given))) {
      throw new UnauthorizedException('unknown write key');
    }
    return true;
  }
}

function writeKeyOf(request: FastifyRequest): string | undefined {
  const header = request.headers['x-write-key'];
  if (typeof header === 'string' && header) return header;
  const auth = request.headers.authorization;
  if (auth?.startsWith('Basic ')) return Buffer.from(auth.slice(6), 'base64').toString().split(':')[0];
  const query = (request.query as Record<string, unknown> | undefined)?.write_key;
  return typeof query === 'string' && query ? query : undefined;
}
