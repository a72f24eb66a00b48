import { HttpException, HttpStatus, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { COLLECTOR_CONFIG, type CollectorConfig } from '../config';
import { TokenBuckets } from '../services/token-buckets';
import type { KeyedRequest } from './write-key.guard';

function tooMany(context: ExecutionContext, waitSeconds: number, what: string): HttpException {
  context.switchToHttp().getResponse<FastifyReply>().header('Retry-After', String(waitSeconds));
  return new HttpException(
    {
      statusCode: 429,
      error: 'Too Many Requests',
      message: `rate limit per ${what} exceeded; retry in ${waitSeconds} s`,
    },
    HttpStatus.TOO_MANY_REQUESTS,
  );
}

/** Per client IP, before the key is checked: also slows down guessing keys. */
@Injectable()
export class IpRateLimitGuard implements CanActivate {
  private readonly buckets: TokenBuckets;

  constructor(@Inject(COLLECTOR_CONFIG) config: CollectorConfig) {
    this.buckets = new TokenBuckets(config.COLLECTOR_IP_RATE_LIMIT);
  }

  canActivate(context: ExecutionContext): boolean {
    const wait = this.buckets.take(context.switchToHttp().getRequest<KeyedRequest>().ip);
    if (wait > 0) throw tooMany(context, wait, 'ip');
    return true;
  }
}

/** Per write key; runs after WriteKeyGuard, which names the key. */
@Injectable()
export class KeyRateLimitGuard implements CanActivate {
  private readonly buckets: TokenBuckets;

  constructor(@Inject(COLLECTOR_CONFIG) config: CollectorConfig) {
    this.buckets = new TokenBuckets(config.COLLECTOR_KEY_RATE_LIMIT);
  }

  canActivate(context: ExecutionContext): boolean {
    const key = context.switchToHttp().getRequest<KeyedRequest>().writeKey;
    const wait = key ? this.buckets.take(key) : 0;
    if (wait > 0) throw tooMany(context, wait, 'key');
    return true;
  }
}
