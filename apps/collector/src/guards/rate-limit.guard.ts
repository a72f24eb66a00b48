import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { rateLimitNameOf } from '../client-address';
import { COLLECTOR_CONFIG, type CollectorConfig } from '../config';
import { TokenBuckets } from '../services/token-buckets';

function tooMany(reply: FastifyReply, waitSeconds: number, what: string): HttpException {
  reply.header('Retry-After', String(waitSeconds));
  return new HttpException(
    {
      statusCode: 429,
      error: 'Too Many Requests',
      message: `rate limit per ${what} exceeded; retry in ${waitSeconds} s`,
    },
    HttpStatus.TOO_MANY_REQUESTS,
  );
}

/**
 * Per client IP (an IPv6 client by its /64), before the key is checked: also slows down guessing
 * keys. The client IP is the peer's, or X-Forwarded-For's when the peer is one of TRUSTED_PROXIES.
 */
@Injectable()
export class IpRateLimitGuard {
  private readonly buckets: TokenBuckets;

  constructor(@Inject(COLLECTOR_CONFIG) config: CollectorConfig) {
    this.buckets = new TokenBuckets(config.COLLECTOR_IP_RATE_LIMIT);
  }

  /** Takes a token for the request's client; throws 429 (with Retry-After set on the reply) if none is left. */
  check(request: FastifyRequest, reply: FastifyReply): void {
    const wait = this.buckets.take(rateLimitNameOf(request.ip));
    if (wait > 0) throw tooMany(reply, wait, 'ip');
  }
}

/** Per write key, once the key is known to be valid. */
@Injectable()
export class KeyRateLimitGuard {
  private readonly buckets: TokenBuckets;

  constructor(@Inject(COLLECTOR_CONFIG) config: CollectorConfig) {
    this.buckets = new TokenBuckets(config.COLLECTOR_KEY_RATE_LIMIT);
  }

  /** Takes a token for the key; throws 429 (with Retry-After set on the reply) if none is left. */
  check(key: string, reply: FastifyReply): void {
    const wait = this.buckets.take(key);
    if (wait > 0) throw tooMany(reply, wait, 'key');
  }
}
