import { Inject, Injectable } from '@nestjs/common';
import { TokenBuckets } from '@social-pulse/observability';
import { rateLimitedProblem } from '@social-pulse/observability/nest';
import type { FastifyRequest } from 'fastify';
import { rateLimitNameOf } from '../client-address';
import { COLLECTOR_CONFIG, type CollectorConfig } from '../config';

/** 429 problem; its Retry-After (header and `retry_after`) is what the SDK's backoff honours. */
const tooMany = (waitSeconds: number, what: string) =>
  rateLimitedProblem(waitSeconds, `rate limit per ${what} exceeded; retry in ${waitSeconds} s`);

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

  /** Takes a token for the request's client; throws 429 (with Retry-After) if none is left. */
  check(request: FastifyRequest): void {
    const wait = this.buckets.take(rateLimitNameOf(request.ip));
    if (wait > 0) throw tooMany(wait, 'ip');
  }
}

/** Per write key, once the key is known to be valid. */
@Injectable()
export class KeyRateLimitGuard {
  private readonly buckets: TokenBuckets;

  constructor(@Inject(COLLECTOR_CONFIG) config: CollectorConfig) {
    this.buckets = new TokenBuckets(config.COLLECTOR_KEY_RATE_LIMIT);
  }

  /** Takes a token for the key; throws 429 (with Retry-After) if none is left. */
  check(key: string): void {
    const wait = this.buckets.take(key);
    if (wait > 0) throw tooMany(wait, 'key');
  }
}
