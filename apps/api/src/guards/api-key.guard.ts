import {
  HttpStatus,
  Inject,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { metricsRegistry } from '@social-pulse/observability';
import { PROBLEM_TYPES, ProblemException } from '@social-pulse/observability/nest';
import type { FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Counter } from 'prom-client';
import { API_CONFIG, type ApiConfig, type ApiScope } from '../config';
import { ApiKeyRateLimit } from './api-key-rate-limit';

const SCOPE_METADATA = 'social-pulse:api-scope';

/** The scope a route needs (read when a route does not say). */
export const RequireScope = (scope: ApiScope) => SetMetadata(SCOPE_METADATA, scope);

const refusedRequests = new Counter({
  name: 'api_requests_refused_total',
  help: 'Requests refused before any work: no or an unknown key (401), a scope too small (403), over the key’s rate (429)',
  labelNames: ['reason'],
  registers: [metricsRegistry],
});

interface KnownKey {
  buffer: Buffer;
  scope: ApiScope;
  /** The rate limit's bucket and the logs' name of the key: a hash prefix, never the key. */
  name: string;
}

/**
 * Dashboard reads need an API key, in X-API-Key or as a Bearer token, in this order:
 * 1. the key must be known (401), compared in constant time;
 * 2. it takes a token from its bucket (429 with Retry-After), so a key over its rate costs nothing more;
 * 3. its scope must cover the route's (403): API_KEYS are `read`, API_ADMIN_KEYS `admin` (which implies read).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: KnownKey[];

  constructor(
    @Inject(API_CONFIG) config: ApiConfig,
    private readonly reflector: Reflector,
    private readonly rateLimit: ApiKeyRateLimit,
  ) {
    // A key in both lists is an admin key.
    const scopes = new Map<string, ApiScope>(config.API_KEYS.map((key) => [key, 'read']));
    for (const key of config.API_ADMIN_KEYS) scopes.set(key, 'admin');
    this.keys = [...scopes].map(([key, scope]) => ({
      buffer: Buffer.from(key),
      scope,
      name: `${scope}:${createHash('sha256').update(key).digest('hex').slice(0, 12)}`,
    }));
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const key = this.authenticate(request);
    try {
      this.rateLimit.take(key.name);
    } catch (error) {
      refusedRequests.inc({ reason: 'rate-limited' });
      throw error;
    }
    const required = this.reflector.getAllAndOverride<ApiScope | undefined>(SCOPE_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (required === 'admin' && key.scope !== 'admin') {
      refusedRequests.inc({ reason: 'forbidden' });
      throw new ProblemException(HttpStatus.FORBIDDEN, 'this route needs an API key of scope admin', {
        type: PROBLEM_TYPES.insufficientScope,
        extensions: { required_scope: required },
      });
    }
    return true;
  }

  private authenticate(request: FastifyRequest): KnownKey {
    const header = request.headers['x-api-key'];
    const bearer = request.headers.authorization?.match(/^Bearer (.+)$/)?.[1];
    const key = typeof header === 'string' && header ? header : bearer;
    if (!key) {
      refusedRequests.inc({ reason: 'unauthorized' });
      throw new UnauthorizedException('missing API key: send X-API-Key');
    }
    const given = Buffer.from(key);
    // Every known key is compared, so the time taken does not tell which scope's list was searched.
    let found: KnownKey | undefined;
    for (const known of this.keys) {
      if (known.buffer.length === given.length && timingSafeEqual(known.buffer, given)) found = known;
    }
    if (!found) {
      refusedRequests.inc({ reason: 'unauthorized' });
      throw new UnauthorizedException('unknown API key');
    }
    return found;
  }
}
